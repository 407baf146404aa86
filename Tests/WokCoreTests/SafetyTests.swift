import Testing

@testable import WokCore

private func sample(_ celsius: Double) -> Result<ThermocoupleSample, SensorFault> {
    .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int(celsius * 16))))
}

/// A sensor that plays back a script of readings, then repeats the last.
struct ScriptedSensor: TemperatureSensor {
    var script: [Result<ThermocoupleSample, SensorFault>]
    var index = 0
    mutating func read() -> Result<ThermocoupleSample, SensorFault> {
        defer { index = min(index + 1, script.count - 1) }
        return script[index]
    }
}

/// A relay that records every command and can be made to fail.
struct RecordingRelay: BurnerRelay {
    var commands: [BurnerCommand] = []
    var failOn: Bool = false
    mutating func set(_ command: BurnerCommand) throws(RelayFailure) {
        if failOn && command == .on { throw RelayFailure(reason: "line write failed") }
        commands.append(command)
    }
}

@Suite struct SafetyMonitorTests {
    @Test(arguments: [
        (SensorFault.openCircuit, FaultKind.sensorOpen),
        (.shortCircuit, .sensorShort),
        (.inputRangeExceeded, .sensorRange),
        (.implausible(celsius: 2000), .sensorImplausible),
    ])
    func sensorFaultsTripOnTheFirstReading(fault: SensorFault, kind: FaultKind) {
        var monitor = SafetyMonitor(station: .standard)
        #expect(monitor.check(nowSeconds: 0, reading: sample(150)) == .trusted(celsius: 150))
        guard case .tripped(let tripped) = monitor.check(nowSeconds: 0.25, reading: .failure(fault)) else {
            Issue.record("did not trip on \(fault)")
            return
        }
        #expect(tripped.kind == kind)
        #expect(tripped.detectedAtSeconds == 0.25)
        #expect(monitor.gate(.on, verdict: .trusted(celsius: 150)) == .off, "latched means off whatever the reading")
    }

    @Test func busErrorsBlindAtOnceAndTripAfterTheBound() {
        var monitor = SafetyMonitor(station: .standard)
        var now = 0.0
        var verdict = monitor.check(nowSeconds: now, reading: .failure(.bus(.timeout)))
        #expect(verdict == .blind(.bus(.timeout)))
        #expect(monitor.gate(.on, verdict: verdict) == .off)
        while now + 0.25 < Station.SafetySettings().busErrorBoundSeconds - 1e-9 {
            now += 0.25
            verdict = monitor.check(nowSeconds: now, reading: .failure(.bus(.timeout)))
            #expect(monitor.latched == nil)
        }
        now += 0.25
        verdict = monitor.check(nowSeconds: now, reading: .failure(.bus(.nack)))
        guard case .tripped(let fault) = verdict else {
            Issue.record("persistent bus errors did not trip")
            return
        }
        #expect(fault.kind == .busErrors)
        #expect(now == Station.SafetySettings().busErrorBoundSeconds, "trips on the first read at the bound")
    }

    @Test func aGoodReadingResetsTheBusErrorBound() {
        var monitor = SafetyMonitor(station: .standard)
        for step in 0..<20 {
            let now = Double(step) * 0.25
            let reading: Result<ThermocoupleSample, SensorFault> = step % 3 == 2 ? sample(100) : .failure(.bus(.busError))
            _ = monitor.check(nowSeconds: now, reading: reading)
        }
        #expect(monitor.latched == nil)
    }

    @Test func overTheLimitTrips() {
        var monitor = SafetyMonitor(station: .standard)
        guard case .tripped(let fault) = monitor.check(nowSeconds: 1, reading: sample(300)) else {
            Issue.record("300 °C did not trip")
            return
        }
        #expect(fault.kind == .overLimit)
    }

    @Test func acknowledgementIsRefusedWhileTheCausePersists() throws {
        var monitor = SafetyMonitor(station: .standard)
        _ = monitor.check(nowSeconds: 0, reading: .failure(.openCircuit))
        _ = monitor.check(nowSeconds: 1, reading: .failure(.openCircuit))
        #expect(throws: AcknowledgeError.self) { try monitor.acknowledge() }
        _ = monitor.check(nowSeconds: 2, reading: sample(40))
        #expect(try monitor.acknowledge() == .sensorOpen)
        #expect(monitor.latched == nil)
        #expect(throws: AcknowledgeError.nothingLatched) { try monitor.acknowledge() }
    }
}

@Suite struct StationLoopTests {
    let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)])

    @Test func aSensorFaultTurnsTheBurnerOffInTheSameTick() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [sample(25), sample(25), sample(26), .failure(.openCircuit)])
        var relay = RecordingRelay()
        #expect(loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay).burner == .on)
        _ = loop.tick(nowSeconds: 0.25, sensor: &sensor, relay: &relay)
        _ = loop.tick(nowSeconds: 0.5, sensor: &sensor, relay: &relay)
        let report = loop.tick(nowSeconds: 0.75, sensor: &sensor, relay: &relay)
        #expect(report.burner == .off)
        #expect(relay.commands.last == .off)
        #expect(report.state == .fault)
        #expect(report.events.contains { if case .faultLatched(let fault) = $0 { fault.kind == .sensorOpen } else { false } })
        #expect(throws: StartError.self) { try loop.start(recipe: recipe, nowSeconds: 1) }
    }

    @Test func aRelayThatFailsIsTurnedOffAndLatched() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [sample(25)])
        var relay = RecordingRelay(failOn: true)
        let report = loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay)
        #expect(report.burner == .off)
        #expect(relay.commands == [.off])
        #expect(loop.safety.latched?.kind == .relayFailure)
    }

    @Test func abortTurnsTheBurnerOffOnTheNextTick() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [sample(25)])
        var relay = RecordingRelay()
        #expect(loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay).burner == .on)
        loop.abort(reason: "test", nowSeconds: 0.1)
        let report = loop.tick(nowSeconds: 0.25, sensor: &sensor, relay: &relay)
        #expect(report.burner == .off)
        #expect(report.state == .idle)
        #expect(report.events.contains(.cookAborted(reason: "test")))
    }

    @Test func aRecipeWithoutStagesIsRefusedNotCooked() {
        var loop = StationLoop(station: .standard)
        #expect(throws: StartError.self) { try loop.start(recipe: Recipe(name: "empty", serves: 1, stages: []), nowSeconds: 0) }
        #expect(loop.state == .idle)
    }

    @Test func noCookMeansTheBurnerStaysOff() {
        var loop = StationLoop(station: .standard)
        var sensor = ScriptedSensor(script: [sample(25)])
        var relay = RecordingRelay()
        for step in 0..<10 { _ = loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay) }
        #expect(relay.commands.allSatisfy { $0 == .off })
    }
}
