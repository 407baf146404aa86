import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

/// A daemon core on the simulated station in virtual time: no sockets, no clocks, no sleeps.
struct CoreRig {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    static let recipes = root + "/recipes"

    let core: DaemonCore
    let log = MemoryLog()
    let records: MemoryCookRecordStore
    /// The simulated relay itself (a shared reference), so a test can break it or read it.
    let relay: SimulatedRelay
    let valve: SimulatedValve
    /// The stove's buttons and buzzer (shared references).
    let buttons: SimulatedButtons
    let buzzer: SimulatedBuzzer
    var now = 0.0
    let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
    let stranger = Peer(description: "uid 2000 (guest) pid 43", mayChange: false)

    init(
        record: CookRecord? = nil, wallSeconds: Double = 1_000_000, station: Station = .standard, faults: [FaultInjection] = [],
        presses: [PlannedPress] = []
    ) throws {
        records = MemoryCookRecordStore(record: record)
        let devices = try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3, faults: faults, presses: presses)
        relay = devices.world.relay
        valve = devices.world.valve
        buttons = devices.buttons
        buzzer = devices.buzzer
        core = try DaemonCore(
            station: station, devices: devices, recipeDirectories: [Self.recipes], speed: 1, isSimulated: true,
            records: records, log: log, nowSeconds: 0, wallClock: { wallSeconds })
    }

    mutating func run(seconds: Double) {
        let end = now + seconds
        while now < end {
            now += core.station.control.periodSeconds
            core.tick(nowSeconds: now)
        }
    }

    /// Ticks until `condition` holds or `limitSeconds` of station time pass.
    mutating func run(until condition: (JSONObject) -> Bool, limitSeconds: Double = 3600) -> Bool {
        let end = now + limitSeconds
        while now < end {
            now += core.station.control.periodSeconds
            core.tick(nowSeconds: now)
            if condition(core.snapshot().jsonObject) { return true }
        }
        return false
    }

    func ask(_ method: ControlMethod, _ params: JSONObject = JSONObject(), as peer: Peer? = nil) -> Result<JSONValue, ControlError> {
        core.handle(ControlRequest(id: 1, method: method, params: params), from: peer ?? cook).map(\.json)
    }
}

func state(_ snapshot: JSONObject) -> String? { snapshot["state"]?.stringValue }
func stageIndex(_ snapshot: JSONObject) -> Int? { snapshot["stage"]?.objectValue?["index"]?.intValue }

@Suite struct DaemonCoreTests {
    @Test func aWholeCookRunsFromStartToDoneWithTheCookConfirmingTheCaramel() throws {
        var rig = try CoreRig()
        let started = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        #expect(started.objectValue?["state"]?.stringValue == "preheating")
        #expect(rig.records.record?.recipeName == "Vietnamese caramelised pork mince")

        let reached1 = rig.run(until: { state($0) == "waiting-for-cook" })

        #expect(reached1)
        let waiting = rig.core.snapshot().jsonObject
        #expect(stageIndex(waiting) == 1)
        #expect(waiting["prompt"]?.stringValue?.contains("wokctl next") == true)
        _ = try rig.ask(.next).get()
        let reached2 = rig.run(until: { state($0) == "done" })

        #expect(reached2)
        #expect(rig.core.burnerIsOn == false)
        #expect(rig.records.record == nil, "a finished cook leaves no record to resume")
        #expect(rig.log.lines.contains { $0.message.contains("uid 1000 (cook) pid 42 started") })
        #expect(rig.log.lines.contains { $0.message.contains("confirmed") })
    }

    @Test func confirmingTooEarlyIsRefusedWithTheTimeLeft() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached3 = rig.run(until: { stageIndex($0) == 1 })

        #expect(reached3)
        guard case .failure(let error) = rig.ask(.next) else {
            Issue.record("confirm accepted before the caramel's minimum time")
            return
        }
        #expect(error.code == .refused)
        #expect(error.message.contains("more before it can end"))
    }

    @Test func holdFreezesTheStageClockAndResumeLetsItRun() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached4 = rig.run(until: { stageIndex($0) == 1 })

        #expect(reached4)
        rig.run(seconds: 10)
        _ = try rig.ask(.hold).get()
        rig.run(seconds: 1)
        let held = rig.core.snapshot().jsonObject
        #expect(state(held) == "holding")
        let elapsed = try #require(held["stage"]?.objectValue?["elapsedSeconds"]?.numberValue)
        rig.run(seconds: 30)
        #expect(rig.core.snapshot()["stage"]?.objectValue?["elapsedSeconds"]?.numberValue == elapsed)
        #expect(rig.core.snapshot()["targetC"]?.numberValue == 200, "the heat stays on while held")
        _ = try rig.ask(.resume).get()
        rig.run(seconds: 5)
        #expect(try #require(rig.core.snapshot()["stage"]?.objectValue?["elapsedSeconds"]?.numberValue) > elapsed + 4)
    }

    @Test func abortTurnsTheBurnerOffBeforeAnswering() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)
        #expect(rig.core.burnerIsOn, "the preheat runs at full power")
        let answer = try rig.ask(.abort).get()
        #expect(answer.objectValue?["burner"]?.stringValue == "off")
        #expect(rig.core.burnerIsOn == false)
        #expect(answer.objectValue?["state"]?.stringValue == "idle")
        #expect(rig.records.record == nil)
    }

    @Test func shutdownMidCookTurnsTheBurnerOffAndKeepsTheCookAsInterrupted() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)
        #expect(rig.relay.command == .on, "the preheat runs at full power")
        #expect(rig.core.shutdown(reason: "SIGTERM"))
        #expect(rig.relay.command == .off)
        #expect(rig.records.record?.stageIndex == 0, "the cook stays recorded for a person to resume")
        #expect(rig.log.lines.contains { $0.message.contains("burner off; stopping (SIGTERM)") })
    }

    @Test func aRelayThatRefusesOffAtShutdownIsReportedNotHidden() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)
        rig.relay.failure = "driver gone"
        #expect(rig.core.shutdown(reason: "SIGTERM") == false, "wokd exits 1 and the kernel's release is the last defence")
        #expect(rig.log.lines.filter { $0.priority == .error && $0.message.contains("switching the burner off failed") }.count == 3)
    }

    @Test func aRelayThatStopsObeyingMidCookLatchesAFaultAndTheValveStopsTheGas() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)
        #expect(rig.valve.isOpen, "the valve is open while a cook runs")
        rig.relay.failure = "line lost"
        rig.run(seconds: 1)
        let snapshot = rig.core.snapshot().jsonObject
        #expect(state(snapshot) == "fault")
        #expect(snapshot["fault"]?.objectValue?["kind"]?.stringValue == "relay-failure")
        // The relay refuses even "off", so the status says it is on, truthfully; the gas is stopped
        // by the shut-off valve, which only the safety monitor drives.
        #expect(snapshot["burner"]?.stringValue == "on")
        #expect(rig.valve.isOpen == false)
    }

    @Test func aPeerOutsideTheGroupMayWatchButNotChange() throws {
        let rig = try CoreRig()
        for method in ControlMethod.allCases where method.changesState {
            guard case .failure(let error) = rig.ask(method, ["recipe": "reheat"], as: rig.stranger) else {
                Issue.record("\(method) accepted from a peer without permission")
                continue
            }
            #expect(error.code == .notPermitted)
        }
        #expect((try? rig.ask(.status, as: rig.stranger).get()) != nil)
        #expect(rig.core.state == .idle)
        #expect(rig.log.lines.contains { $0.priority == .warning && $0.message.contains("uid 2000 (guest)") })
    }

    @Test func recipeProblemsComeBackTyped() throws {
        let rig = try CoreRig()
        guard case .failure(let missing) = rig.ask(.start, ["recipe": "no-such-dish"]) else {
            Issue.record("started a missing recipe")
            return
        }
        #expect(missing.code == .recipeNotFound)
        #expect(missing.message.contains("caramelised-pork-mince"), "names what is available")
        // The daemon never opens a path a client names: the client sends the text instead.
        guard case .failure(let path) = rig.ask(.start, ["path": .string(CoreRig.recipes + "/reheat.json")]) else {
            Issue.record("opened a path a client named")
            return
        }
        #expect(path.code == .invalidRequest)
        guard case .failure(let escape) = rig.ask(.start, ["recipe": "../etc/passwd"]) else {
            Issue.record("accepted a path as a name")
            return
        }
        #expect(escape.code == .invalidRequest)
        guard case .failure(let notARecipe) = rig.ask(.start, ["document": "{\"name\": 3}", "source": "mine.json"]) else {
            Issue.record("started a file that is not a recipe")
            return
        }
        #expect(notARecipe.code == .recipeInvalid)
        guard case .failure(let both) = rig.ask(.start, ["recipe": "reheat", "document": "{}"]) else {
            Issue.record("accepted both")
            return
        }
        #expect(both.code == .invalidRequest)
        #expect(rig.core.state == .idle)
    }

    @Test func aFaultLatchesAndItsAcknowledgementIsRefusedWhileTheCausePersists() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached5 = rig.run(until: { state($0) == "fault" }, limitSeconds: 60)

        #expect(reached5)
        #expect(rig.core.burnerIsOn == false)
        let snapshot = rig.core.snapshot().jsonObject
        #expect(snapshot["fault"]?.objectValue?["kind"]?.stringValue != nil)
        #expect(snapshot["prompt"]?.stringValue?.contains("wokctl ack") == true)
        guard case .failure(let error) = rig.ask(.ack) else {
            Issue.record("acknowledged a fault whose cause persists")
            return
        }
        #expect(error.code == .refused)
        guard case .failure(let busy) = rig.ask(.start, ["recipe": "reheat"]) else {
            Issue.record("started with a fault latched")
            return
        }
        #expect(busy.code == .refused)
        #expect(rig.records.record == nil, "a faulted cook is over, not interrupted")
    }

    @Test func aSecondStartWhileCookingIsRefused() throws {
        let rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "reheat"]).get()
        guard case .failure(let error) = rig.ask(.start, ["recipe": "caramelised-pork-mince"]) else {
            Issue.record("two cooks at once")
            return
        }
        #expect(error.code == .refused)
    }
}

@Suite struct InterruptedCookTests {
    static func record(stage: Int, updatedAt: Double) throws -> CookRecord {
        let text = try readSmallFile(CoreRig.recipes + "/caramelised-pork-mince.json", maxBytes: 1 << 20)
        return CookRecord(
            recipeName: "Vietnamese caramelised pork mince", recipeDocument: text, recipeSource: "test", stageIndex: stage,
            stageName: "Brown the pork", startedAtUnixSeconds: updatedAt - 300, updatedAtUnixSeconds: updatedAt,
            startedBy: "uid 1000 (cook) pid 42")
    }

    @Test func aRecordedCookComesBackInterruptedWithTheBurnerOffAndNeverResumesByItself() throws {
        var rig = try CoreRig(record: try Self.record(stage: 2, updatedAt: 1_000_000 - 30))
        #expect(rig.core.interrupted?.stageIndex == 2)
        #expect(rig.log.lines.contains { $0.priority == .warning && $0.message.contains("interrupted") })
        rig.run(seconds: 120)
        #expect(rig.core.state == .idle)
        #expect(rig.core.burnerIsOn == false)
        let snapshot = rig.core.snapshot().jsonObject
        #expect(snapshot["interrupted"]?.objectValue?["stageIndex"]?.intValue == 2)
    }

    @Test func resumeContinuesFromTheStartOfTheRecordedStage() throws {
        var rig = try CoreRig(record: try Self.record(stage: 2, updatedAt: 1_000_000 - 30))
        let answer = try rig.ask(.resume).get()
        #expect(answer.objectValue?["stage"]?.objectValue?["index"]?.intValue == 2)
        #expect(answer.objectValue?["stage"]?.objectValue?["elapsedSeconds"]?.numberValue == 0)
        #expect(rig.core.interrupted == nil)
        #expect(rig.records.record?.stageIndex == 2, "the continued cook is recorded again")
        rig.run(seconds: 5)
        #expect(rig.core.burnerIsOn)
    }

    @Test func anInterruptedCookTooOldToResumeIsDropped() throws {
        var rig = try CoreRig(record: try Self.record(stage: 2, updatedAt: 1_000_000 - Station.standard.daemon.resumeWithinSeconds - 1))
        rig.run(seconds: 1)
        #expect(rig.core.interrupted == nil)
        #expect(rig.records.record == nil)
        guard case .failure(let error) = rig.ask(.resume) else {
            Issue.record("resumed a stale cook")
            return
        }
        #expect(error.code == .refused)
    }

    @Test func abortDiscardsAnInterruptedCook() throws {
        let rig = try CoreRig(record: try Self.record(stage: 1, updatedAt: 1_000_000))
        _ = try rig.ask(.abort).get()
        #expect(rig.core.interrupted == nil)
        #expect(rig.records.record == nil)
    }

    @Test func aTornRecordIsReportedAndIgnored() throws {
        #expect(throws: Never.self) { _ = CookRecord.decode("{\"schema\": 1, \"recipe\": ") }
        guard case .failure = CookRecord.decode("{\"schema\": 1, \"recipe\": ") else {
            Issue.record("a torn record decoded")
            return
        }
        guard case .failure = CookRecord.decode("{\"schema\": 2}") else {
            Issue.record("a foreign schema decoded")
            return
        }
        let record = try Self.record(stage: 3, updatedAt: 5)
        #expect(try CookRecord.decode(record.json.serialized()).get() == record)
    }
}
