import Testing
import WokCore
import WokSimulator
import WokWire

@testable import WokDaemon

/// A wall clock a test sets: the host's own never moves in a test.
private final class TestWallClock {
    var seconds = 1_000_000.0
}

/// A daemon core whose wall clock the test steps, with the monotonic clock the runner would hand
/// it kept beside the station's time.
private struct WallClockRig {
    let wall = TestWallClock()
    let core: DaemonCore
    let log = MemoryLog()
    let records: MemoryCookRecordStore
    var monotonicSeconds = 0.0

    init(record: CookRecord? = nil) throws {
        records = MemoryCookRecordStore(record: record)
        let devices = try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3)
        core = try DaemonCore(
            station: .standard, devices: devices, recipeDirectories: [CoreRig.recipes], speed: 1, isSimulated: true,
            records: records, log: log, nowSeconds: 0, wallClock: { [wall] in wall.seconds })
    }

    /// Ticks for `seconds`, both clocks keeping pace, as the runner does.
    mutating func run(seconds: Double) {
        let end = monotonicSeconds + seconds
        while monotonicSeconds < end {
            monotonicSeconds += core.station.control.periodSeconds
            wall.seconds += core.station.control.periodSeconds
            core.watchWallClock(monotonicSeconds: monotonicSeconds)
            core.tick(nowSeconds: monotonicSeconds)
        }
    }
}

@Suite struct WallClockTests {
    /// NTP setting a stale clock an hour forward during a cook: said in words to the log and the
    /// watchers, nothing latched, the cook goes on; the cook's record moves with the clock.
    @Test(arguments: [3600.0, -90.0])
    func aStepOfTheWallClockIsSaidAndTheCookGoesOn(step: Double) throws {
        var rig = try WallClockRig()
        _ = try rig.core.handle(ControlRequest(id: 1, method: .start, params: ["recipe": "caramelised-pork-mince"]), from: peer).get()
        rig.run(seconds: 30)
        _ = rig.core.drainEvents()
        let stamped = try #require(rig.records.record?.updatedAtUnixSeconds)
        rig.wall.seconds += step
        rig.run(seconds: 30)
        let events = rig.core.drainEvents()
        let jump = try #require(events.first { $0.name == "clock-jump" }, "no clock-jump event")
        #expect(jump.message.contains("\(formatNumber(abs(step))) s \(step > 0 ? "forward" : "back")"), "\(jump.message)")
        #expect(rig.log.lines.contains { $0.priority == .warning && $0.message.contains("wall clock stepped") })
        #expect(![CookState.fault, .idle, .done].contains(rig.core.state), "the cook stopped: \(rig.core.state)")
        #expect(!events.contains { $0.name == "fault" }, "a step of the wall clock latched a fault")
        #expect(abs((rig.records.record?.updatedAtUnixSeconds ?? 0) - (stamped + step)) < 1e-6)
    }

    /// The time left to resume an interrupted cook counts real seconds, whatever the wall clock
    /// does: a Pi whose clock NTP sets an hour forward just after it boots still offers the cook.
    @Test func anInterruptedCookStaysResumableWhenTheClockIsSetForward() throws {
        var rig = try WallClockRig(record: try InterruptedCookTests.record(stage: 2, updatedAt: 1_000_000 - 60))
        rig.run(seconds: 5)
        rig.wall.seconds += 3600
        rig.run(seconds: 5)
        #expect(rig.core.interrupted?.stageIndex == 2, "the cook record was dropped as if an hour had passed")
        #expect(abs((rig.records.record?.updatedAtUnixSeconds ?? 0) - (1_000_000 - 60 + 3600)) < 1e-6)
    }

    @Test func clocksKeepingPaceSayNothing() throws {
        var rig = try WallClockRig()
        rig.run(seconds: 60)
        #expect(!rig.core.drainEvents().contains { $0.name == "clock-jump" })
        #expect(!rig.log.lines.contains { $0.message.contains("wall clock") })
    }

    /// The runner looks at both clocks every tick: a step while it serves is logged.
    @Test func theRunnerWatchesTheWallClock() throws {
        let wall = TestWallClock()
        wall.seconds = 0
        let rig = try RunnerRig(wallStep: { [wall] in wall.seconds })
        rig.run(seconds: 5)
        wall.seconds = -120
        rig.run(seconds: 5)
        #expect(rig.log.lines.contains { $0.priority == .warning && $0.message.contains("wall clock stepped 120 s back") })
    }

    private var peer: Peer { Peer(description: "uid 1000 (cook) pid 42", mayChange: true) }
}
