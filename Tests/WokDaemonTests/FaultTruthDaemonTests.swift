import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

private func reading(_ snapshot: JSONObject) -> (celsius: Double, trusted: Bool)? {
    guard let object = snapshot["reading"]?.objectValue, let celsius = object["celsius"]?.numberValue, let trusted = object["trusted"]?.boolValue
    else { return nil }
    return (celsius, trusted)
}

/// Acknowledges as a person would: again, each second, until the cause has gone (or the limit).
private func acknowledgeOnceClear(_ rig: inout CoreRig, limitSeconds: Double = 120) -> Bool {
    let end = rig.now + limitSeconds
    while rig.now < end {
        if case .success = rig.ask(.ack) { return true }
        rig.run(seconds: 1)
    }
    return false
}

/// What status tells a person while a fault is latched and after it: every reading that decodes,
/// marked where the sensor is in doubt; then an idle station that says what the fault was.
@Suite struct FaultTruthDaemonTests {
    @Test func aWeldedRelaysWokIsShownWhileTheFaultIsLatched() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .relayWelded, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(until: { state($0) == "fault" }, limitSeconds: 600)
        try #require(faulted)
        let kind = rig.core.snapshot().fault?.kind
        #expect(kind == "heating-while-off" || kind == "over-limit")
        // A person closing the gas by hand sees the wok, tick after tick, believed.
        for _ in 0..<40 {
            rig.run(seconds: 0.25)
            let snapshot = rig.core.snapshot().jsonObject
            #expect(state(snapshot) == "fault")
            #expect(snapshot["temperatureC"] == .null, "control uses nothing while the fault is latched")
            let shown = try #require(reading(snapshot))
            #expect(shown.trusted)
            let trueC = try #require(snapshot["trueTemperatureC"]?.numberValue)
            #expect(abs(shown.celsius - trueC) < 15, "the reading follows the steel: \(shown.celsius) against \(trueC)")
        }
        #expect(rig.core.statusLine.hasPrefix("FAULT"))
    }

    @Test func aFrozenConvertersReadingIsShownButNotTrusted() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .frozen, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(until: { state($0) == "fault" }, limitSeconds: 120)
        try #require(faulted)
        #expect(rig.core.snapshot().fault?.kind == "sensor-frozen")
        for _ in 0..<20 {
            rig.run(seconds: 0.25)
            let snapshot = rig.core.snapshot().jsonObject
            #expect(snapshot["temperatureC"] == .null)
            let doubted = try #require(reading(snapshot))
            #expect(doubted.trusted == false, "the converter's own fault: its number is shown, never as if good")
        }
        #expect(rig.core.burnerIsOn == false)
    }

    @Test func afterTheAcknowledgementTheStationIsIdleAndSaysWhatTheLastFaultWas() throws {
        // The thermocouple comes unplugged, and is plugged back 10 s later.
        var rig = try CoreRig(faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30, durationSeconds: 10)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(until: { state($0) == "fault" }, limitSeconds: 120)
        try #require(faulted)
        let latched = try #require(rig.core.snapshot().fault)
        #expect(rig.core.snapshot().shownReading == nil, "an open thermocouple decodes to nothing: no reading")
        let pluggedBack = rig.run(until: { reading($0) != nil }, limitSeconds: 60)
        try #require(pluggedBack)
        #expect(rig.core.snapshot().shownReading?.trusted == false, "back, but doubted until a person acknowledges")

        #expect(acknowledgeOnceClear(&rig))
        rig.run(seconds: 1)
        let after = rig.core.snapshot()
        #expect(after.state == .idle, "acknowledged: the station is idle, not at fault")
        #expect(after.fault == nil)
        #expect(after.prompt == nil)
        #expect(after.lastFault == latched, "and it says what the last fault was")
        #expect(after.shownReading?.trusted == true)
        #expect(rig.core.statusLine.contains(latched.kind))

        _ = try rig.ask(.start, ["recipe": "reheat"]).get()
        #expect(rig.core.snapshot().lastFault == nil, "the next cook starts afresh; the history keeps the fault")
    }

    @Test func aWatcherSeesTheDoubtedReadingsInItsChartAndSnapshots() throws {
        let rig = try RunnerRig(faults: [FaultInjection(kind: .frozen, atSeconds: 20)])
        rig.run(seconds: 1)
        guard case .result = try #require(rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])) else {
            Issue.record("start refused")
            return
        }
        let end = rig.now + 120
        while rig.core.state != .fault, rig.now < end { rig.run(seconds: 1) }
        #expect(rig.core.state == .fault)
        rig.run(seconds: 10)

        let watcher = rig.cook()
        watcher.send(line: ControlRequest(id: 1, method: .subscribe).line)
        rig.run(seconds: 2)
        var subscription: Subscription?
        var pushed: [StationSnapshot] = []
        for line in watcher.receivedLines() {
            switch ControlMessage.decode(line) {
            case .result(_, let value)?: subscription = try Subscription(json: value)
            case .snapshot(let value)?: pushed.append(try StationSnapshot(json: .object(value)))
            default: continue
            }
        }
        let history = try #require(subscription?.history)
        let doubted = history.filter { !$0.trusted }
        #expect(!doubted.isEmpty, "the chart's record marks the readings shown during the sensor's fault")
        #expect(doubted.allSatisfy { $0.temperatureC != nil })
        #expect(history.contains { $0.trusted && $0.temperatureC != nil }, "and the readings before it as believed")
        #expect(!pushed.isEmpty)
        #expect(pushed.allSatisfy { $0.shownReading?.trusted == false && $0.temperatureC == nil })
    }
}

@Suite struct FaultTruthWireTests {
    @Test func aPointNotTrustedCarriesAFifthElementAndATrustedOneKeepsTheOldFour() throws {
        let doubted = TemperaturePoint(timeSeconds: 12, temperatureC: 212, targetC: nil, burnerOn: false, trusted: false)
        #expect(doubted.json.serialized() == "[12,212,null,false,false]")
        #expect(try TemperaturePoint(json: doubted.json, path: "p") == doubted)
        let believed = TemperaturePoint(timeSeconds: 12, temperatureC: 212, targetC: 200, burnerOn: true)
        #expect(believed.json.serialized() == "[12,212,200,true]")
        #expect(try TemperaturePoint(json: believed.json, path: "p") == believed)
        #expect(throws: WireDecodingError.self) { try TemperaturePoint(json: .array([1, 2, 3, true, 5]), path: "p") }
    }

    @Test func theSnapshotCarriesTheReadingAndTheLastFaultAndReadsAnOlderDaemonsAsWhatControlUsed() throws {
        var snapshot = StationSnapshot(state: .idle, temperatureC: nil)
        snapshot.shownReading = ShownReading(celsius: 212.5, trusted: false)
        snapshot.lastFault = .init(kind: "sensor-rate", reason: "a jump", detectedAtSeconds: 30.25)
        #expect(try StationSnapshot(json: snapshot.json) == snapshot)
        #expect(snapshot["reading"] == .object(["celsius": 212.5, "trusted": false]))

        var older = snapshot.jsonObject
        older.members.removeAll { $0.key == "reading" || $0.key == "lastFault" }
        older.members = older.members.map { $0.key == "temperatureC" ? (key: "temperatureC", value: .number(180)) : $0 }
        let decoded = try StationSnapshot(json: .object(older))
        #expect(decoded.shownReading == ShownReading(celsius: 180, trusted: true))
        #expect(decoded.lastFault == nil)
    }
}
