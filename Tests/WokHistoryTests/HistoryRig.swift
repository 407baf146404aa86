import Foundation
import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon
@testable import WokHistory

/// A temporary directory, removed when the test is done with it.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/wok-history-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw CocoaError(.fileWriteUnknown) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    var database: String { path + "/" + HistoryReader.fileName }
}

/// Passes every call on to the real journal and keeps what it was given, so a test can compare
/// what the daemon wrote with what it reads back.
final class TeeJournal: CookJournal {
    let inner: HistoryWriter
    var starts: [CookStart] = []
    var events: [(event: CookEvent, stationSeconds: Double)] = []
    var samples: [CookSample] = []
    var endings: [(outcome: HistoryOutcome, reason: String?, stationSeconds: Double)] = []

    init(_ inner: HistoryWriter) {
        self.inner = inner
    }

    func cookStarted(_ start: CookStart) {
        starts.append(start)
        inner.cookStarted(start)
    }

    func recorded(_ event: CookEvent, stationSeconds: Double) {
        events.append((event, stationSeconds))
        inner.recorded(event, stationSeconds: stationSeconds)
    }

    func sampled(_ sample: CookSample) {
        samples.append(sample)
        inner.sampled(sample)
    }

    func cookEnded(_ outcome: HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double) {
        endings.append((outcome, reason, stationSeconds))
        inner.cookEnded(outcome, reason: reason, stationSeconds: stationSeconds, unixSeconds: unixSeconds)
    }

    func closeInterruptedCooks(reason: String, unixSeconds: Double) { inner.closeInterruptedCooks(reason: reason, unixSeconds: unixSeconds) }
    func flush(realSeconds: Double) { inner.flush(realSeconds: realSeconds) }
    func flushNow() { inner.flushNow() }
    var statusJSON: JSONValue { inner.statusJSON }
}

/// A daemon core on the simulated station in virtual time, writing a real history. The "real"
/// clock the runner would pass to `flush` advances with station time here (speed 1).
struct HistoryRig {
    static let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    static let recipes = root + "/recipes"

    let core: DaemonCore
    let journal: TeeJournal
    let log = MemoryLog()
    var now = 0.0
    let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
    let wallSeconds: Double

    init(
        database: String, retention: HistoryRetention = .standard, wallSeconds: Double = 1_750_000_000, faults: [FaultInjection] = [],
        records: MemoryCookRecordStore = MemoryCookRecordStore()
    ) throws {
        self.wallSeconds = wallSeconds
        let log = self.log
        let writer = try HistoryWriter(path: database, retention: retention, nowUnixSeconds: wallSeconds) { log.write(.error, $0) }
        journal = TeeJournal(writer)
        let devices = try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3, faults: faults)
        core = try DaemonCore(
            station: .standard, devices: devices, recipeDirectories: [Self.recipes], speed: 1, isSimulated: true,
            records: records, log: log, nowSeconds: 0, wallClock: { wallSeconds }, journal: journal)
    }

    /// Ticks until `condition` holds or `limitSeconds` pass; `everyTick` sees each report.
    mutating func run(
        limitSeconds: Double = 3600, everyTick: (TickReport?) -> Void = { _ in }, until condition: (JSONObject) -> Bool
    ) -> Bool {
        let end = now + limitSeconds
        while now < end {
            now += core.station.control.periodSeconds
            everyTick(core.tick(nowSeconds: now))
            core.flushJournal(realSeconds: now)
            if condition(core.snapshot().jsonObject) { return true }
        }
        return false
    }

    func ask(_ method: ControlMethod, _ params: JSONObject = JSONObject()) -> Result<JSONValue, ControlError> {
        core.handle(ControlRequest(id: 1, method: method, params: params), from: cook).map(\.json)
    }

    /// Starts the caramelised pork, confirms the caramel when asked, and runs to the end.
    mutating func cookCaramelisedPork(everyTick: (TickReport?) -> Void = { _ in }) throws -> Bool {
        _ = try ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        guard run(everyTick: everyTick, until: { $0["state"]?.stringValue == "waiting-for-cook" }) else { return false }
        _ = try ask(.next).get()
        return run(everyTick: everyTick, until: { ["done", "fault", "idle"].contains($0["state"]?.stringValue ?? "") })
    }
}
