// The flame-proven input and the converter's own word: the station keys, the monitor's checks in
// virtual time, and the loop around them.
import Testing

@testable import WokCore

/// A station whose ignition controller proves a flame within `trial` seconds.
private func flameStation(trial: Double = 3) -> Station {
    var station = Station.standard
    station.devices = StationDevices(
        thermocouple: ThermocoupleSettings(), relay: OutputLineSettings(line: 4),
        flameSense: FlameSenseSettings(line: OutputLineSettings(line: 5), ignitionTrialSeconds: trial))
    return station
}

private func sample(_ celsius: Double, fresh: Bool? = nil) -> Result<ThermocoupleSample, SensorFault> {
    .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int((celsius * 16).rounded())), freshConversion: fresh))
}

private let cooking = SafetyContext(
    cookRunning: true, targetC: 200, stageIndex: 0, stageAddsFood: false, stageElapsedSeconds: 100,
    confirmOverdueSeconds: nil, cookElapsedSeconds: 100, cookPlannedSeconds: 1000)

/// One tick every 0.25 s from `start`: the monitor reads a wok that warms while the burner is on
/// and holds while it is off, and the flame input as `flame(now)`; then the relay is set as
/// `burner(now)` through the gate. Returns the first latch time.
private func run(
    _ monitor: inout SafetyMonitor, from start: Double = 0, until end: Double,
    burner: (Double) -> BurnerCommand, flame: (Double) -> Result<FlameState, FlameSenseFailure>,
    gated: ((Double, BurnerCommand) -> Void)? = nil
) -> Double? {
    var now = start
    var celsius = 100.0
    var lastCommand = BurnerCommand.off
    while now <= end + 1e-9 {
        if lastCommand.isOn { celsius += 0.3 }
        // A live converter's last bit wavers.
        let wavering = celsius + (Int(now * 4) % 2 == 0 ? 0 : 0.0625)
        let verdict = monitor.check(nowSeconds: now, reading: sample(wavering), context: cooking, flame: flame(now))
        let command = monitor.gate(burner(now), verdict: verdict)
        gated?(now, command)
        if let fault = monitor.latched { return fault.detectedAtSeconds }
        monitor.recordBurner(command, nowSeconds: now)
        lastCommand = command
        now += 0.25
    }
    return nil
}

@Suite struct FlameSenseStationTests {
    static func station(_ devices: String, safety: String = "{}") -> Result<Station, DocumentError> {
        StationLoader.parse(#"{"safety": \#(safety), "devices": \#(devices)}"#, source: "s.json")
    }

    @Test func theInputIsOptionalAndItsTrialHasADefault() throws {
        let plain = try Self.station(#"{"relay": {"line": 4}}"#).get()
        #expect(plain.devices?.flameSense == nil)
        let sensed = try Self.station(#"{"relay": {"line": 4}, "flameSense": {"line": 5}}"#).get()
        #expect(sensed.devices?.flameSense == FlameSenseSettings(line: OutputLineSettings(chip: "gpiochip0", line: 5), ignitionTrialSeconds: 5))
        let full = try Self.station(
            #"{"relay": {"line": 4}, "flameSense": {"chip": "/dev/gpiochip1", "line": 7, "activeLow": true, "ignitionTrialSeconds": 8.5}}"#
        ).get()
        #expect(full.devices?.flameSense?.line == OutputLineSettings(chip: "/dev/gpiochip1", line: 7, activeLow: true))
        #expect(full.devices?.flameSense?.ignitionTrialSeconds == 8.5)
    }

    @Test(arguments: [
        (#"{"relay": {"line": 4}, "flameSense": {}}"#, #"field "devices", field "flameSense", field "line""#, "is required"),
        (
            #"{"relay": {"line": 4}, "flameSense": {"line": 5, "ignitionTrialSeconds": 0.1}}"#, #"field "ignitionTrialSeconds""#,
            "out of range (0.5 to 30 s)"
        ),
        (#"{"relay": {"line": 4}, "flameSense": {"line": 5, "ignitionTrialSeconds": "5"}}"#, #"field "ignitionTrialSeconds""#, "expected a number"),
        (#"{"relay": {"line": 4}, "flameSense": {"line": 5, "activeLow": 1}}"#, #"field "activeLow""#, "true or false"),
        (#"{"relay": {"line": 4}, "flameSense": {"line": 5, "level": "low"}}"#, #"field "level""#, "unknown field"),
        (#"{"relay": {"line": 4}, "flameSense": {"line": 4}}"#, #"field "flameSense""#, "relay's line"),
        (#"{"relay": {"line": 4}, "shutoffValve": {"line": 6}, "flameSense": {"line": 6}}"#, #"field "flameSense""#, "shutoffValve's line"),
    ])
    func wrongValuesAreLocatedAndExplained(json: String, field: String, phrase: String) {
        guard case .failure(let error) = Self.station(json) else {
            Issue.record("accepted \(json)")
            return
        }
        #expect(error.problems.contains { $0.contains(field) && $0.contains(phrase) }, "\(error.problems)")
    }

    @Test func aTrialShorterThanTheBurnerTakesToLightIsRefused() {
        let json =
            #"{"control": {"burnerIgnitionDelaySeconds": 2}, "#
            + #""devices": {"relay": {"line": 4}, "flameSense": {"line": 5, "ignitionTrialSeconds": 2}}}"#
        guard case .failure(let error) = StationLoader.parse(json, source: "s.json") else {
            Issue.record("accepted a trial the burner cannot meet")
            return
        }
        #expect(error.problems.contains { $0.contains("ignitionTrialSeconds") && $0.contains("burnerIgnitionDelaySeconds") })
    }

    @Test func theNoConversionBoundFollowsTheResolutionAndThePeriod() throws {
        // 2 × (80 ms + 250 ms) + 0.25 s at the defaults; 18 bits converts in 320 ms.
        #expect(Station.standard.noConversionBoundSeconds == 0.91)
        let slow = try Self.station(#"{"thermocouple": {"adcResolution": 18}, "relay": {"line": 4}}"#).get()
        #expect(slow.noConversionBoundSeconds == 1.39)
        let set = try Self.station(#"{"relay": {"line": 4}}"#, safety: #"{"noConversionSeconds": 2}"#).get()
        #expect(set.noConversionBoundSeconds == 2)
        guard case .failure(let error) = Self.station(#"{"relay": {"line": 4}}"#, safety: #"{"noConversionSeconds": 0.6}"#) else {
            Issue.record("accepted a bound a healthy converter misses")
            return
        }
        #expect(error.problems.contains { $0.contains(#"field "noConversionSeconds""#) && $0.contains("0.91 s at 16 bits") })
    }
}

@Suite struct FlameWatchTests {
    static let trial = 3.0

    @Test func noFlamePastTheTrialLatchesOnTheTickThatSeesIt() {
        var monitor = SafetyMonitor(station: flameStation(trial: Self.trial))
        // The burner goes on at 10 s; the flame never lights.
        let at = run(&monitor, until: 30, burner: { $0 >= 10 ? .on : .off }, flame: { _ in .success(.absent) })
        #expect(monitor.latched?.kind == .flameLost)
        #expect(at == 10 + Self.trial, "latched on the first tick at the trial's end, not later")
        #expect(monitor.latched?.reason.contains("trial for ignition is 3 s") == true)
    }

    @Test func aFlameThatGoesOutIsSeenAtOnceOnceTheTrialIsOver() {
        var monitor = SafetyMonitor(station: flameStation(trial: Self.trial))
        let at = run(&monitor, until: 60, burner: { _ in .on }, flame: { $0 < 20 ? .success(.proven) : .success(.absent) })
        #expect(monitor.latched?.kind == .flameLost)
        #expect(at == 20)
        // The gate turned the burner off; with it off, no flame is expected: the cause has gone and a person may acknowledge.
        monitor.recordBurner(.off, nowSeconds: 20)
        _ = monitor.check(nowSeconds: 20.25, reading: sample(124), context: .idle, flame: .success(.absent))
        #expect(throws: Never.self) { try monitor.acknowledge() }
    }

    @Test func relightingWithinTheTrialIsHealthy() {
        var monitor = SafetyMonitor(station: flameStation(trial: Self.trial))
        // Window after window: 4 s on, 2 s off; the flame is proven 0.5 s after each start.
        let cycle = { (now: Double) in now.truncatingRemainder(dividingBy: 6) }
        let at = run(
            &monitor, until: 120, burner: { cycle($0) < 4 ? .on : .off },
            flame: { cycle($0) >= 0.5 && cycle($0) < 4.25 ? .success(.proven) : .success(.absent) })
        #expect(at == nil, "\(String(describing: monitor.latched))")
    }

    @Test func aFlameWithTheBurnerOffLatchesAfterTheExtinctionAllowanceAndDistrustsTheRelay() {
        var monitor = SafetyMonitor(station: flameStation())
        // Told off at 10 s; the flame burns on (a welded relay).
        let at = run(&monitor, until: 30, burner: { $0 < 10 ? .on : .off }, flame: { _ in .success(.proven) })
        let allowance = FlameWatch.extinctionAllowanceSeconds + Station.standard.control.periodSeconds
        #expect(monitor.latched?.kind == .flameWhileOff)
        #expect(at == 10 + allowance)
        #expect(FaultKind.flameWhileOff.distrustsRelay)
        // While the flame burns the cause persists and the latch stays.
        _ = monitor.check(nowSeconds: 40, reading: sample(150), context: .idle, flame: .success(.proven))
        #expect(monitor.causePersists)
        #expect(throws: AcknowledgeError.self) { try monitor.acknowledge() }
        _ = monitor.check(nowSeconds: 40.25, reading: sample(150), context: .idle, flame: .success(.absent))
        #expect(throws: Never.self) { try monitor.acknowledge() }
    }

    @Test func aFlameDyingWithinTheAllowanceIsHealthy() {
        var monitor = SafetyMonitor(station: flameStation())
        let at = run(&monitor, until: 30, burner: { $0 < 10 ? .on : .off }, flame: { $0 < 11.5 ? .success(.proven) : .success(.absent) })
        #expect(at == nil)
    }

    @Test func anUnreadableInputKeepsTheBurnerOffAtOnceAndLatchesAfterTheBound() {
        var monitor = SafetyMonitor(station: flameStation())
        var gatedOn: [Double] = []
        let at = run(
            &monitor, until: 30, burner: { _ in .on },
            flame: { $0 < 10 ? .success(.proven) : .failure(FlameSenseFailure(reason: "read /dev/gpiochip0 line 5: no such device")) },
            gated: { now, command in if command.isOn { gatedOn.append(now) } })
        #expect(gatedOn.last == 9.75, "the first failed read turns the burner off")
        #expect(monitor.latched?.kind == .flameSenseFailed)
        #expect(at == 10 + Station.standard.safety.busErrorBoundSeconds)
        #expect(monitor.latched?.reason.contains("no such device") == true)
    }

    @Test func aReadFailureThatClearsBeforeTheBoundOnlyCostsTheBurnerThoseTicks() {
        var monitor = SafetyMonitor(station: flameStation())
        var offTicks = 0
        let at = run(
            &monitor, until: 30, burner: { _ in .on },
            flame: { ($0 >= 10 && $0 < 10.5) ? .failure(FlameSenseFailure(reason: "EIO")) : .success(.proven) },
            gated: { _, command in if !command.isOn { offTicks += 1 } })
        #expect(at == nil)
        #expect(offTicks == 2)
    }

    @Test func aStationWithoutTheInputIgnoresReadings() {
        var monitor = SafetyMonitor(station: .standard)
        let at = run(&monitor, until: 30, burner: { _ in .on }, flame: { _ in .success(.absent) })
        #expect(at == nil)
    }
}

/// A flame-proven input that says what the script says.
private struct ScriptedFlame: FlameSensor {
    var state: (Int) -> Result<FlameState, FlameSenseFailure>
    var reads = 0
    mutating func read() -> Result<FlameState, FlameSenseFailure> {
        defer { reads += 1 }
        return state(reads)
    }
}

@Suite struct StationLoopFlameTests {
    let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "rest", heat: .level(.off), advance: .time, seconds: 600)])

    @Test func aFlameWithTheBurnerOffClosesTheValveAndTellsTheCookToCloseTheGas() throws {
        var loop = StationLoop(station: flameStation())
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: (0..<40).map { sample(150 + Double($0) * 0.05) })
        var relay = RecordingRelay()
        var valve: RecordingValve? = RecordingValve()
        var flame = ScriptedFlame(state: { _ in .success(.proven) })
        var events: [CookEvent] = []
        for step in 0..<40 {
            events += loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay, valve: &valve, flame: &flame).events
        }
        #expect(loop.safety.latched?.kind == .flameWhileOff)
        #expect(flame.reads == 40, "read once a tick")
        #expect(relay.commands.allSatisfy { $0 == .off })
        #expect(valve?.commands.last == false)
        #expect(events.contains(.valveClosed(reason: "fault flame-while-off")))
        #expect(events.contains { if case .alarm(let reason) = $0 { reason.contains("a flame burns with the burner off") } else { false } })
    }

    @Test func aStationWithoutAValveStillReadsTheFlame() throws {
        var loop = StationLoop(station: flameStation(trial: 2))
        try loop.start(
            recipe: Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)]),
            nowSeconds: 0)
        var sensor = ScriptedSensor(script: (0..<40).map { sample(30 + Double($0) * 0.5) })
        var relay = RecordingRelay()
        var valve: RecordingValve? = nil
        var flame = ScriptedFlame(state: { _ in .success(.absent) })
        var latchedAt: Double?
        for step in 0..<40 where latchedAt == nil {
            let report = loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay, valve: &valve, flame: &flame)
            if report.state == .fault { latchedAt = report.nowSeconds }
            if latchedAt != nil { #expect(report.burner == .off) }
        }
        #expect(loop.safety.latched?.kind == .flameLost)
        #expect(latchedAt == 2)
        #expect(relay.commands.last == .off)
    }
}

@Suite struct ConversionWatchTests {
    @Test func aConverterThatStopsConvertingLatchesWithinTheBound() {
        var monitor = SafetyMonitor(station: .standard)
        var latchedAt: Double?
        // Healthy to 10 s (every read a new conversion), then the flag stays clear; the reading
        // keeps moving (noise on a stale register would not, but the flag alone must do).
        for step in 0..<80 where latchedAt == nil {
            let now = Double(step) * 0.25
            _ = monitor.check(nowSeconds: now, reading: sample(150 + Double(step % 3) * 0.0625, fresh: now < 10), context: cooking)
            latchedAt = monitor.latched?.detectedAtSeconds
        }
        #expect(monitor.latched?.kind == .sensorFrozen)
        #expect(monitor.latched?.reason.contains("no new conversion") == true)
        // The last new conversion was read at 9.75 s; the bound is 0.91 s: the fourth stale read.
        #expect(latchedAt == 10.75)
    }

    @Test func aSlowConverterMissingSomeTicksIsHealthy() {
        // 18 bits at a 0.25 s period with the bound raised as the loader requires: one read in
        // three finds no new conversion.
        var station = Station.standard
        station.safety.noConversionSeconds = 1.39
        var monitor = SafetyMonitor(station: station)
        for step in 0..<400 {
            _ = monitor.check(
                nowSeconds: Double(step) * 0.25, reading: sample(150 + Double(step % 2) * 0.0625, fresh: step % 3 != 0), context: cooking)
        }
        #expect(monitor.latched == nil)
    }

    @Test func aStoppedConverterIsLatchedWithNoCookToo() {
        var monitor = SafetyMonitor(station: .standard)
        for step in 0..<20 {
            _ = monitor.check(nowSeconds: Double(step) * 0.25, reading: sample(25 + Double(step % 2), fresh: step < 4), context: .idle)
        }
        #expect(monitor.latched?.kind == .sensorFrozen)
    }

    @Test func sensorsThatDoNotSayAreNotJudged() {
        var monitor = SafetyMonitor(station: .standard)
        for step in 0..<40 {
            _ = monitor.check(nowSeconds: Double(step) * 0.25, reading: sample(150 + Double(step % 5), fresh: nil), context: cooking)
        }
        #expect(monitor.latched == nil)
    }

    @Test func theLatchHoldsUntilTheConverterConvertsAgain() throws {
        var monitor = SafetyMonitor(station: .standard)
        for step in 0..<12 {
            _ = monitor.check(nowSeconds: Double(step) * 0.25, reading: sample(150 + Double(step % 2), fresh: step == 0), context: .idle)
        }
        #expect(monitor.latched?.kind == .sensorFrozen)
        #expect(throws: AcknowledgeError.self) { try monitor.acknowledge() }
        _ = monitor.check(nowSeconds: 3, reading: sample(150, fresh: true), context: .idle)
        #expect(throws: Never.self) { try monitor.acknowledge() }
    }
}
