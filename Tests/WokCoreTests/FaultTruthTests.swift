import Testing

@testable import WokCore

/// A good reading whose raw value follows the temperature, as the MCP9600 encodes it.
private func reading(_ celsius: Double) -> Result<ThermocoupleSample, SensorFault> {
    .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int((celsius * 16).rounded()))))
}

/// Readings that wander a little, so no check finds them frozen.
private func wandering(from celsius: Double, count: Int) -> [Result<ThermocoupleSample, SensorFault>] {
    (0..<count).map { reading(celsius + Double($0 % 4) * 0.25) }
}

/// While a fault is latched the monitor still says what the sensor reads, and whether to believe it.
@Suite struct ShownReadingTests {
    @Test func aFaultThatIsNotTheSensorsKeepsShowingTheReadingAsTrusted() {
        var monitor = SafetyMonitor(station: .standard)
        _ = monitor.check(nowSeconds: 0, reading: reading(290))
        #expect(monitor.shownReading == ShownReading(celsius: 290, trusted: true))
        let verdict = monitor.check(nowSeconds: 0.25, reading: reading(301))
        #expect(monitor.latched?.kind == .overLimit)
        #expect(verdict != .trusted(celsius: 301))
        #expect(monitor.shownReading == ShownReading(celsius: 301, trusted: true), "the wok really is that hot")
        _ = monitor.check(nowSeconds: 0.5, reading: reading(296))
        #expect(monitor.shownReading == ShownReading(celsius: 296, trusted: true))
        #expect(monitor.gate(.on, verdict: .trusted(celsius: 296)) == .off, "shown is not trusted by control")
    }

    @Test func aSensorsOwnFaultShowsWhatStillDecodesAsNotTrustedUntilAcknowledged() throws {
        var monitor = SafetyMonitor(station: .standard)
        _ = monitor.check(nowSeconds: 0, reading: reading(150))
        // A jump no wok can make: the reading itself is the fault.
        _ = monitor.check(nowSeconds: 0.25, reading: reading(212))
        #expect(monitor.latched?.kind == .sensorRate)
        #expect(monitor.shownReading == ShownReading(celsius: 212, trusted: false))
        _ = monitor.check(nowSeconds: 0.5, reading: reading(151))
        #expect(monitor.shownReading == ShownReading(celsius: 151, trusted: false))
        // Steady again: the cause is gone, but the latch stands and so does the doubt.
        _ = monitor.check(nowSeconds: 0.75, reading: reading(151.25))
        #expect(monitor.shownReading == ShownReading(celsius: 151.25, trusted: false), "doubted while the sensor's fault is latched")
        _ = try monitor.acknowledge()
        _ = monitor.check(nowSeconds: 1, reading: reading(151.5))
        #expect(monitor.shownReading == ShownReading(celsius: 151.5, trusted: true))
    }

    @Test func aReadingThatDoesNotDecodeIsNoReading() {
        var monitor = SafetyMonitor(station: .standard)
        _ = monitor.check(nowSeconds: 0, reading: reading(150))
        _ = monitor.check(nowSeconds: 0.25, reading: .failure(.openCircuit))
        #expect(monitor.shownReading == nil)
        _ = monitor.check(nowSeconds: 0.5, reading: .failure(.implausible(celsius: 2000)))
        #expect(monitor.shownReading == nil)
        _ = monitor.check(nowSeconds: 0.75, reading: .success(ThermocoupleSample(hotC: .nan, rawHot: 0)))
        #expect(monitor.shownReading == nil)
        // Plugged back: a reading decodes again, still doubted while the open circuit is latched.
        _ = monitor.check(nowSeconds: 1, reading: reading(149))
        #expect(monitor.shownReading == ShownReading(celsius: 149, trusted: false))
    }

    @Test(arguments: FaultKind.allCases)
    func everySensorKindDoubtsTheReadingAndNoOtherDoes(kind: FaultKind) {
        let sensorKinds: Set<FaultKind> = [
            .sensorOpen, .sensorShort, .sensorRange, .sensorImplausible, .sensorRate, .sensorFrozen, .busErrors, .deviceGone, .heatNotArriving,
            .implausibleCooling,
        ]
        #expect(kind.doubtsReading == sensorKinds.contains(kind))
    }
}

@Suite struct FaultTruthLoopTests {
    let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)])

    @Test func aHealthyTickShowsExactlyWhatControlUses() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: wandering(from: 40, count: 20))
        var relay = RecordingRelay()
        for step in 0..<20 {
            let report = loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay)
            #expect(report.measuredC != nil)
            #expect(report.shownReading == report.measuredC.map { ShownReading(celsius: $0, trusted: true) })
        }
    }

    @Test func whileAFaultIsLatchedTheReadingIsShownAndTheBurnerStaysOff() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        // The wok climbs past the limit and keeps climbing, as over a welded relay.
        var sensor = ScriptedSensor(script: [reading(295), reading(298), reading(301)] + (0..<40).map { reading(302 + Double($0) * 0.5) })
        var relay = RecordingRelay()
        var now = 0.0
        var latched = false
        for _ in 0..<43 {
            let report = loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay)
            now += 0.25
            if report.state == .fault { latched = true }
            guard latched else { continue }
            #expect(report.measuredC == nil, "control never uses a reading while a fault is latched")
            #expect(report.burner == .off)
            #expect(report.shownReading?.trusted == true)
        }
        #expect(latched)
        #expect(loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay).shownReading == ShownReading(celsius: 321.5, trusted: true))
        #expect(relay.commands.suffix(40).allSatisfy { $0 == .off })
    }

    @Test func aSensorFaultShowsTheStillDecodingReadingAsNotTrusted() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [reading(150), reading(150.25), reading(212)] + wandering(from: 151, count: 8))
        var relay = RecordingRelay()
        _ = loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay)
        _ = loop.tick(nowSeconds: 0.25, sensor: &sensor, relay: &relay)
        let spike = loop.tick(nowSeconds: 0.5, sensor: &sensor, relay: &relay)
        #expect(spike.state == .fault)
        #expect(spike.measuredC == nil)
        #expect(spike.shownReading == ShownReading(celsius: 212, trusted: false))
        let after = loop.tick(nowSeconds: 0.75, sensor: &sensor, relay: &relay)
        #expect(after.shownReading == ShownReading(celsius: 151, trusted: false))
        #expect(after.burner == .off)
    }

    @Test func afterTheAcknowledgementTheStationIsIdleAndRemembersTheFaultUntilTheNextCook() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [reading(150), reading(150.25), reading(212)] + wandering(from: 151, count: 8))
        var relay = RecordingRelay()
        // The spike, then two steady readings: the cause is gone, so the acknowledgement is taken.
        for step in 0..<5 { _ = loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay) }
        let fault = try #require(loop.safety.latched)
        #expect(loop.state == .fault)
        #expect(loop.lastFault == nil, "a latched fault is the fault, not the last one")

        try loop.acknowledge()
        #expect(loop.state == .idle)
        #expect(loop.lastFault == fault)
        let report = loop.tick(nowSeconds: 1.25, sensor: &sensor, relay: &relay)
        #expect(report.state == .idle)
        #expect(report.burner == .off)
        #expect(report.events.contains(.faultAcknowledged(kind: .sensorRate)))

        try loop.start(recipe: recipe, nowSeconds: 1.5)
        #expect(loop.lastFault == nil, "a new cook starts with a clean slate; the history keeps the fault")
    }
}
