import Testing

@testable import WokCore

/// A good reading whose raw value follows the temperature, as the MCP9600 encodes it.
private func reading(_ celsius: Double) -> Result<ThermocoupleSample, SensorFault> {
    .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int((celsius * 16).rounded()))))
}

/// A cook in a stage aiming at `targetC`, for the monitor's eyes.
private func cooking(
    targetC: Double? = 200, stage: Int = 0, addsFood: Bool = false, stageElapsed: Double = 100,
    overdue: Double? = nil, elapsed: Double = 100, planned: Double = 1000
) -> SafetyContext {
    SafetyContext(
        cookRunning: true, targetC: targetC, stageIndex: stage, stageAddsFood: addsFood, stageElapsedSeconds: stageElapsed,
        confirmOverdueSeconds: overdue, cookElapsedSeconds: elapsed, cookPlannedSeconds: planned)
}

/// Feeds the monitor one reading per period from `readings(step)`, with the burner as
/// `burner(step)`, until it latches or `steps` run out; returns the latch time.
private func run(
    _ monitor: inout SafetyMonitor, steps: Int, from start: Double = 0, context: (Int) -> SafetyContext = { _ in cooking() },
    burner: (Int) -> BurnerCommand, readings: (Int) -> Result<ThermocoupleSample, SensorFault>
) -> Double? {
    let period = Station.standard.control.periodSeconds
    for step in 0..<steps {
        let now = start + Double(step) * period
        _ = monitor.check(nowSeconds: now, reading: readings(step), context: context(step))
        if let fault = monitor.latched { return fault.detectedAtSeconds }
        monitor.recordBurner(burner(step), nowSeconds: now)
    }
    return nil
}

@Suite struct SafetyCheckTests {
    let settings = Station.SafetySettings()
    let period = Station.standard.control.periodSeconds

    @Test func aVanishedDeviceIsItsOwnKindAndMixedErrorsAreBusErrors() {
        var gone = SafetyMonitor(station: .standard)
        let goneAt = run(&gone, steps: 20, burner: { _ in .off }) { $0 < 4 ? reading(150) : .failure(.bus(.noDevice)) }
        #expect(gone.latched?.kind == .deviceGone)
        #expect(goneAt == 1 + settings.busErrorBoundSeconds)

        var mixed = SafetyMonitor(station: .standard)
        _ = run(&mixed, steps: 20, burner: { _ in .off }) {
            $0 < 4 ? reading(150) : .failure(.bus($0 % 2 == 0 ? .noDevice : .timeout))
        }
        #expect(mixed.latched?.kind == .busErrors)
    }

    @Test func aFrozenRawValueTripsAtItsBoundOnlyDuringACook() {
        var monitor = SafetyMonitor(station: .standard)
        let at = run(&monitor, steps: 100, burner: { _ in .on }) { step in
            step < 10 ? reading(100 + Double(step) * 0.5) : reading(104.5)
        }
        #expect(monitor.latched?.kind == .sensorFrozen)
        // The value first repeats at step 10 (2.5 s); the bound counts from the first of the run.
        let firstOfRun = 9 * period
        #expect(at.map { abs($0 - (firstOfRun + settings.frozenReadingSeconds)) < 1e-9 } == true)

        var idle = SafetyMonitor(station: .standard)
        #expect(run(&idle, steps: 100, context: { _ in .idle }, burner: { _ in .off }) { _ in reading(22) } == nil)
    }

    @Test func aJumpFasterThanAnyWokTripsAndANoisyClimbDoesNot() {
        var jumpy = SafetyMonitor(station: .standard)
        _ = run(&jumpy, steps: 10, burner: { _ in .on }) { $0 < 5 ? reading(180) : reading(240) }
        #expect(jumpy.latched?.kind == .sensorRate)

        var climbing = SafetyMonitor(station: .standard)
        // 6 °C/s with ±1 °C of alternating noise: fast for a wok, far under the bound.
        let at = run(&climbing, steps: 80, burner: { _ in .on }) { step in
            reading(30 + Double(step) * 1.5 + (step % 2 == 0 ? 1 : -1))
        }
        #expect(at == nil)
    }

    @Test func aWokThatHeatsWithTheBurnerOffTripsAfterSettling() {
        var monitor = SafetyMonitor(station: .standard)
        // Burner told off at step 0; the wok keeps rising 0.5 °C/s.
        let at = run(&monitor, steps: 200, context: { _ in cooking(targetC: 150) }, burner: { _ in .off }) { step in
            reading(200 + Double(step) * 0.125)
        }
        #expect(monitor.latched?.kind == .heatingWhileOff)
        let settle = Station.standard.control.sensorDeadTimeSeconds + 3 * Station.standard.control.sensorLagSeconds
        #expect(at.map { $0 >= settle && $0 <= settle + settings.heatingWhileOffRiseC / 0.5 + period } == true)

        // A healthy wok coasting up for the sensor's lag, then cooling: no trip.
        var healthy = SafetyMonitor(station: .standard)
        #expect(
            run(&healthy, steps: 200, context: { _ in cooking(targetC: 150) }, burner: { _ in .off }) { step in
                reading(step < 8 ? 200 + Double(step) * 0.5 : 204 - Double(step - 8) * 0.1)
            } == nil)
    }

    @Test func anUnattendedCookTripsAfterTheSafeHoldOrTheOverrun() {
        var waiting = SafetyMonitor(station: .standard)
        _ = run(
            &waiting, steps: 3, context: { _ in cooking(overdue: Station.SafetySettings().unattendedHoldSeconds) },
            burner: { _ in .on }
        ) { step in reading(110 + Double(step) * 0.1) }
        #expect(waiting.latched?.kind == .unattended)

        var overrun = SafetyMonitor(station: .standard)
        _ = run(
            &overrun, steps: 3, context: { _ in cooking(elapsed: 1000 + Station.SafetySettings().cookOverrunMarginSeconds) },
            burner: { _ in .on }
        ) { step in reading(200 + Double(step)) }
        #expect(overrun.latched?.kind == .unattended)
        #expect(overrun.latched?.reason.contains("min") == true)
    }

    @Test(arguments: [(-0.5, FaultKind.clockJump), (40, .loopStalled), (1.5, .loopStalled)])
    func lateTicksAndClockJumpsTripDuringACook(step: Double, kind: FaultKind) {
        var monitor = SafetyMonitor(station: .standard)
        _ = monitor.check(nowSeconds: 100, reading: reading(150), context: cooking())
        _ = monitor.check(nowSeconds: 100 + step, reading: reading(150.5), context: cooking())
        #expect(monitor.latched?.kind == kind)

        var idle = SafetyMonitor(station: .standard)
        _ = idle.check(nowSeconds: 100, reading: reading(150))
        _ = idle.check(nowSeconds: 100 + step, reading: reading(150.5))
        #expect(idle.latched == nil, "an idle station's clock is not the burner's business")
    }

    @Test func aFaultsReasonSpeaksToTheCook() {
        var monitor = SafetyMonitor(station: .standard)
        _ = run(&monitor, steps: 200, burner: { _ in .on }) { step in reading(200 - Double(step) * 0.25) }
        let reason = monitor.latched?.reason ?? ""
        #expect(reason.contains("flame"))
        #expect(reason.contains("burner"))
    }
}

/// A valve that records what it was told and can refuse.
struct RecordingValve: ShutoffValve {
    var commands: [Bool] = []
    var refuseClosing = false
    mutating func set(open: Bool) throws(ValveFailure) {
        if refuseClosing && !open { throw ValveFailure(reason: "stuck") }
        commands.append(open)
    }
}

@Suite struct StationLoopValveTests {
    let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)])

    private func sample(_ celsius: Double) -> Result<ThermocoupleSample, SensorFault> {
        .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(clamping: Int((celsius * 16).rounded()))))
    }

    @Test func theValveOpensForACookAndClosesBehindTheRelayOnAFault() throws {
        var loop = StationLoop(station: .standard)
        var sensor = ScriptedSensor(script: [sample(25), sample(25.5), sample(26), .failure(.openCircuit)])
        var relay = RecordingRelay()
        var valve = RecordingValve()
        _ = loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay, valve: &valve)
        #expect(valve.commands == [false], "idle: closed")
        try loop.start(recipe: recipe, nowSeconds: 0.1)
        let lit = loop.tick(nowSeconds: 0.25, sensor: &sensor, relay: &relay, valve: &valve)
        #expect(valve.commands == [false, true])
        #expect(lit.burner == .on && lit.valveOpen == true)
        _ = loop.tick(nowSeconds: 0.5, sensor: &sensor, relay: &relay, valve: &valve)
        let fault = loop.tick(nowSeconds: 0.75, sensor: &sensor, relay: &relay, valve: &valve)
        #expect(fault.burner == .off && relay.commands.last == .off)
        #expect(valve.commands.last == false)
        #expect(fault.events.contains(.valveClosed(reason: "fault sensor-open")))
    }

    @Test func aValveThatWillNotCloseRaisesTheAlarm() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(recipe: recipe, nowSeconds: 0)
        var sensor = ScriptedSensor(script: [sample(25), .failure(.shortCircuit)])
        var relay = RecordingRelay()
        var valve = RecordingValve(refuseClosing: true)
        _ = loop.tick(nowSeconds: 0, sensor: &sensor, relay: &relay, valve: &valve)
        let report = loop.tick(nowSeconds: 0.25, sensor: &sensor, relay: &relay, valve: &valve)
        #expect(report.burner == .off)
        #expect(report.events.contains { if case .alarm = $0 { true } else { false } })
    }

    @Test func heatingWhileOffRaisesTheAlarmEvenWithoutAValve() throws {
        var loop = StationLoop(station: .standard)
        try loop.start(
            recipe: Recipe(name: "r", serves: 1, stages: [Stage(name: "rest", heat: .level(.off), advance: .time, seconds: 600)]), nowSeconds: 0)
        var sensor = ScriptedSensor(script: (0..<200).map { sample(150 + Double($0) * 0.2) })
        var relay = RecordingRelay()
        var events: [CookEvent] = []
        for step in 0..<200 { events += loop.tick(nowSeconds: Double(step) * 0.25, sensor: &sensor, relay: &relay).events }
        #expect(loop.safety.latched?.kind == .heatingWhileOff)
        #expect(events.contains { if case .alarm(let reason) = $0 { reason.contains("no shut-off valve") } else { false } })
        #expect(relay.commands.allSatisfy { $0 == .off })
    }
}
