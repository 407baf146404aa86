// The simulated station with a flame-proven input: the plant's flame feeds it, a flame out and a
// welded relay are caught through it, and a broken input keeps the burner off.
import Testing
import WokCore
import WokHardware

@testable import WokSimulator

/// `base` with a flame-proven input whose ignition controller proves a flame within `trial` s.
func withFlameSense(_ base: Station, trial: Double = 3) -> Station {
    var station = base
    station.devices = StationDevices(
        thermocouple: ThermocoupleSettings(), relay: OutputLineSettings(line: 4),
        flameSense: FlameSenseSettings(line: OutputLineSettings(line: 5), ignitionTrialSeconds: trial))
    return station
}

@Suite struct FlameSenseSimulationTests {
    static let trial = 3.0

    /// A flame out, struck in the climb, a hold and the pork's recovery, is latched as flame-lost
    /// within the trial of the burner being on without a flame, and the gas stopped in that tick.
    @Test(arguments: [45.0, 200.0, 400.0])
    func aFlameOutIsCaughtThroughTheInput(at: Double) throws {
        let station = withFlameSense(.standard, trial: Self.trial)
        let config = SimulationConfig(
            recipe: try shippedRecipe("caramelised-pork-mince"), station: station,
            faults: [FaultInjection(kind: .flameOut, atSeconds: at)], tailSeconds: 60)
        var simulation = try CookSimulation(config)
        let result = simulation.run()
        let outcome = try #require(result.faults.first)
        #expect(outcome.latchedKind == .flameLost)
        let active = try #require(outcome.activeFromSeconds)
        let detected = try #require(outcome.detectedAtSeconds)
        #expect(detected - active <= Self.trial + station.control.periodSeconds + 1e-9, "flame out at \(at): \(detected - active) s")
        #expect(outcome.burnerOffAtSeconds == detected)
    }

    /// A welded relay keeps the flame lit after the burner is told off: flame-while-off, within the
    /// extinction allowance of the first off stretch that outlasts it (shorter ones, while the
    /// controller still modulates, cannot tell a dying flame from a welded contact), well inside
    /// the 30 s heat-fault bound, and the valve closes behind it.
    @Test(arguments: [45.0, 200.0, 400.0])
    func aWeldedRelayIsCaughtThroughTheInput(at: Double) throws {
        let station = withFlameSense(.standard)
        let config = SimulationConfig(
            recipe: try shippedRecipe("caramelised-pork-mince"), station: station,
            faults: [FaultInjection(kind: .relayWelded, atSeconds: at)], tailSeconds: 60)
        var simulation = try CookSimulation(config)
        var offSince: Double?
        var lastCommand = BurnerCommand.off
        let result = simulation.run { row in
            if row.burner != lastCommand, !row.burner.isOn { offSince = row.timeSeconds }
            lastCommand = row.burner
        }
        let outcome = try #require(result.faults.first)
        #expect(outcome.latchedKind == .flameWhileOff)
        let active = try #require(outcome.activeFromSeconds)
        let detected = try #require(outcome.detectedAtSeconds)
        #expect(detected - active <= DetectionBound.heatingFaultSeconds, "welded at \(at): \(detected - active) s")
        // The 2 s extinction allowance (docs/safety.md) and the period it adds.
        let allowance = 2.0 + station.control.periodSeconds
        let stretch = try #require(offSince)
        #expect(detected - stretch <= allowance + station.control.periodSeconds + 1e-9, "welded at \(at): off stretch from \(stretch)")
        #expect(result.events.contains { if case .valveClosed = $0.event { true } else { false } })
    }

    /// No healthy cook of a shipped recipe on a shipped plant trips the flame checks: each plant's
    /// ignition delay is well inside the trial.
    @Test func healthyCooksWithTheInputDoNotTrip() throws {
        for plant in try shippedPlants() {
            for name in try shippedRecipeNames() {
                let config = SimulationConfig(
                    recipe: try shippedRecipe(name),
                    station: withFlameSense(FaultCampaign.station(.standard, for: plant.parameters)), plant: plant.parameters,
                    seed: 2, tailSeconds: 60)
                var simulation = try CookSimulation(config)
                let result = simulation.run()
                #expect(result.completed && !result.faultLatched, "\(name) on \(plant.name): \(result.abortReason ?? "")")
            }
        }
    }

    /// The input stops answering mid-burn: the burner goes off on that tick and the fault latches
    /// after the bus-error bound; a station without the input never reads it.
    @Test func aBrokenInputKeepsTheBurnerOffAndLatches() throws {
        let station = withFlameSense(.standard)
        var stepper = try SimulatedStationStepper(plant: PlantParameters(), seed: 3, cookConfirmsStages: true, platesFoodWhenCookEnds: false)
        var loop = StationLoop(station: station)
        let recipe = Recipe(name: "sear", serves: 1, stages: [Stage(name: "sear", heat: .level(.max), advance: .time, seconds: 600)])
        try loop.start(recipe: recipe, nowSeconds: 0)
        let period = station.control.periodSeconds
        var now = 0.0
        var brokeAt: Double?
        var offAt: Double?
        while now < 60, loop.safety.latched == nil {
            if now >= 20, brokeAt == nil {
                stepper.world.flameSense.failure = "read /dev/gpiochip0 line 5: No such device (errno 19)"
                brokeAt = now
            }
            let report = stepper.step(&loop, worldSeconds: now).report
            if brokeAt != nil, offAt == nil, report?.burner == .off { offAt = now }
            now += period
        }
        #expect(offAt == brokeAt, "off in the tick that could not read the input")
        #expect(loop.safety.latched?.kind == .flameSenseFailed)
        #expect(loop.safety.latched?.detectedAtSeconds == (brokeAt ?? 0) + station.safety.busErrorBoundSeconds)
        #expect(stepper.world.flameSense.reads > 0)

        var plain = try SimulatedStationStepper(plant: PlantParameters(), seed: 3, cookConfirmsStages: true, platesFoodWhenCookEnds: false)
        var plainLoop = StationLoop(station: .standard)
        for step in 0..<10 { _ = plain.step(&plainLoop, worldSeconds: Double(step) * period) }
        #expect(plain.world.flameSense.reads == 0)
    }

    /// An input stuck at "proven" with the burner off is a flame while off: the monitor cannot tell
    /// a stuck output from a welded relay, and must not.
    @Test func anInputStuckAtProvenIsAFlameWhileOff() throws {
        let station = withFlameSense(.standard)
        var stepper = try SimulatedStationStepper(plant: PlantParameters(), seed: 3, cookConfirmsStages: true, platesFoodWhenCookEnds: false)
        var loop = StationLoop(station: station)
        stepper.world.flameSense.stuckAt = .proven
        var now = 0.0
        while now < 10, loop.safety.latched == nil {
            _ = stepper.step(&loop, worldSeconds: now)
            now += station.control.periodSeconds
        }
        #expect(loop.safety.latched?.kind == .flameWhileOff)
    }

    /// The simulated converter says when it converts; a frozen one is latched within the station's
    /// no-conversion bound, long before a repeated raw value would show it.
    @Test func aFrozenConverterIsCaughtByItsOwnWord() throws {
        let station = Station.standard
        let config = SimulationConfig(
            recipe: try shippedRecipe("caramelised-pork-mince"), station: station,
            faults: [FaultInjection(kind: .frozen, atSeconds: 100)], tailSeconds: 10)
        var simulation = try CookSimulation(config)
        let result = simulation.run()
        let outcome = try #require(result.faults.first)
        #expect(outcome.latchedKind == .sensorFrozen)
        let detected = try #require(outcome.detectedAtSeconds)
        #expect(detected - 100 <= station.noConversionBoundSeconds + 2 * station.control.periodSeconds)
        #expect(result.events.contains { if case .faultLatched(let fault) = $0.event { fault.reason.contains("no new conversion") } else { false } })
    }
}
