import Testing

@testable import WokCore

private func sample(_ celsius: Double) -> Result<ThermocoupleSample, SensorFault> {
    .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int(celsius * 16))))
}

/// A sensor whose reading the test sets before each tick.
private struct SettableSensor: TemperatureSensor {
    var next: Result<ThermocoupleSample, SensorFault> = sample(25)
    mutating func read() -> Result<ThermocoupleSample, SensorFault> { next }
}

/// A cold wok whose burner lit at 0 s (full power on the rise), ticked every period up to `until`.
private struct LitLoop {
    var loop = StationLoop(station: .standard)
    var sensor = SettableSensor()
    var relay = RecordingRelay()
    let period = Station.standard.control.periodSeconds

    init(_ recipe: Recipe) throws {
        try loop.start(recipe: recipe, nowSeconds: 0)
        #expect(tick(at: 0).burner == .on)
    }

    mutating func tick(at now: Double) -> TickReport {
        // A slowly warming, noisy enough reading: the monitor sees a live sensor.
        if case .success = sensor.next { sensor.next = sample(25 + now * 2 + (Int(now / period) % 2 == 0 ? 0.1 : -0.1)) }
        return loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay)
    }
}

/// Every way a heat ends (a stage whose heat is off, the end of the cook, an abort, a fault, a
/// tick without a reading) cuts the burner in the tick that sees it, even a burn younger than the
/// relay's minimum on time: that minimum protects the windows of a heat, not its end.
@Suite struct OffMeansOffTests {
    let minOn = Station.standard.relay.minOnSeconds

    @Test func aStageWhoseHeatIsOffCutsTheBurnerInItsFirstTick() throws {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "flash", heat: .level(.high), advance: .time, seconds: 1),
                Stage(name: "rest", heat: .level(.off), advance: .time, seconds: 30),
            ])
        var rig = try LitLoop(recipe)
        var now = rig.period
        var report = rig.tick(at: now)
        while report.stageIndex == 0 {
            #expect(report.burner == .on, "the rise burns at full power")
            now += rig.period
            report = rig.tick(at: now)
        }
        #expect(now < minOn, "the heat ended inside the relay's minimum on time")
        #expect(report.stageIndex == 1)
        #expect(report.burner == .off)
        #expect(rig.relay.commands.last == .off)
    }

    @Test func theEndOfTheCookCutsTheBurnerInTheSameTick() throws {
        var rig = try LitLoop(Recipe(name: "r", serves: 1, stages: [Stage(name: "flash", heat: .level(.high), advance: .time, seconds: 1)]))
        var now = rig.period
        var report = rig.tick(at: now)
        while report.state != .done {
            now += rig.period
            report = rig.tick(at: now)
        }
        #expect(now < minOn)
        #expect(report.burner == .off)
        #expect(report.events.contains { if case .cookCompleted = $0 { true } else { false } })
    }

    @Test func anAbortCutsTheBurnerAtTheNextTick() throws {
        var rig = try LitLoop(Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)]))
        #expect(rig.tick(at: rig.period).burner == .on)
        rig.loop.abort(reason: "test", nowSeconds: 0.3)
        #expect(rig.tick(at: 2 * rig.period).burner == .off)
    }

    @Test func aFaultCutsTheBurnerInTheTickThatSeesIt() throws {
        var rig = try LitLoop(Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)]))
        #expect(rig.tick(at: rig.period).burner == .on)
        rig.sensor.next = .failure(.openCircuit)
        let report = rig.tick(at: 2 * rig.period)
        #expect(report.burner == .off)
        #expect(report.state == .fault)
    }

    /// A tick without a reading turns the burner off at once; the relay has then switched, so
    /// it is not lit again before its minimum off time, and the switches count.
    @Test func aTickWithoutAReadingCutsTheBurnerAndTheRelayThenRestsItsMinimumOff() throws {
        var rig = try LitLoop(Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)]))
        rig.sensor.next = .failure(.bus(.timeout))
        #expect(rig.tick(at: rig.period).burner == .off)
        rig.sensor.next = sample(26)
        let minOff = Station.standard.relay.minOffSeconds
        var now = 2 * rig.period
        while now < rig.period + minOff - 1e-9 {
            #expect(rig.tick(at: now).burner == .off, "lit again \(now - rig.period) s after it went off")
            now += rig.period
        }
        #expect(rig.tick(at: now).burner == .on)
        #expect(rig.loop.modulator.switchCount == 3)
    }
}
