import Foundation
import Testing
import WokCore
import WokHardware

@testable import WokSimulator

/// The shipped plants, by name.
func shippedPlants() throws -> [FaultCampaign.Plant] {
    let directory = repositoryRoot.appendingPathComponent("Simulator/Plants")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    return try names.map { name in
        let path = directory.appendingPathComponent(name).path
        let parameters = try PlantLoader.parse(String(contentsOfFile: path, encoding: .utf8), source: path).get()
        return FaultCampaign.Plant(name: String(name.dropLast(5)), parameters: parameters)
    }
}

@Suite struct FaultDetectionTests {
    /// Each fault kind, struck during the climb, a hold and the pork's recovery on the default
    /// plant and both chips, is caught within its bound and the gas stopped within one period.
    @Test(arguments: InjectedFaultKind.allCases.filter { !$0.expectedDetections.isEmpty }, [MCP9600Model.mcp9600, .mcp9601])
    func everyFaultIsDetectedWithinItsBound(kind: InjectedFaultKind, chip: MCP9600Model) throws {
        let recipe = try shippedRecipe("caramelised-pork-mince")
        let station = Station.standard
        let period = station.control.periodSeconds
        // A cook who walks away after the last confirm stage leaves nothing waiting: the recipe's
        // timed stages finish by themselves, so that case is owed nothing.
        for at in kind == .cookAway ? [45.0, 200.0] : [45.0, 200.0, 400.0] {
            let config = SimulationConfig(
                recipe: recipe, station: station, faults: [FaultInjection(kind: kind, atSeconds: at)], chipModel: chip,
                tailSeconds: FaultCampaign.tailSeconds)
            var simulation = try CookSimulation(config)
            let result = simulation.run()
            let outcome = try #require(result.faults.first)
            guard let deadline = DetectionBound.deadline(for: outcome, station: station, result: result, hasValve: true) else {
                Issue.record("\(kind)@\(at): no detection owed (active \(String(describing: outcome.activeFromSeconds)))")
                continue
            }
            let detected = try #require(outcome.detectedAtSeconds, "\(kind)@\(at) never detected")
            #expect(detected <= deadline, "\(kind)@\(at): detected at \(detected), bound \(deadline)")
            #expect(
                outcome.latchedKind.map(kind.expectedDetections.contains) == true, "\(kind)@\(at) latched \(String(describing: outcome.latchedKind))")
            let off = try #require(outcome.burnerOffAtSeconds)
            #expect(off - detected <= period + 1e-9, "\(kind)@\(at): gas stopped \(off - detected) s after detection")
            #expect(!result.completed)
        }
    }

    /// A sensor lost while the wok sits idle after a cook is owed a detection within its bound,
    /// unless the run ends before that bound: what the monitor did after the run is not simulated.
    @Test func aFaultStruckAsTheRunEndsIsNotJudged() throws {
        let recipe = try shippedRecipe("reheat")
        let station = Station.standard
        var healthy = try CookSimulation(SimulationConfig(recipe: recipe, station: station, faults: [], tailSeconds: FaultCampaign.tailSeconds))
        let end = healthy.run().simulatedSeconds
        func deadline(strikingAt at: Double) throws -> Double? {
            let config = SimulationConfig(
                recipe: recipe, station: station, faults: [FaultInjection(kind: .deviceGone, atSeconds: at)], tailSeconds: FaultCampaign.tailSeconds)
            var simulation = try CookSimulation(config)
            let result = simulation.run()
            let outcome = try #require(result.faults.first)
            return DetectionBound.deadline(for: outcome, station: station, result: result, hasValve: true)
        }
        #expect(try deadline(strikingAt: end - 20) != nil, "idle, well before the end: owed")
        #expect(try deadline(strikingAt: end - 0.3) == nil, "seen by the last tick, its bound lies past the run's end")
    }

    /// No healthy cook of any shipped recipe on any shipped plant trips the monitor, the pork's
    /// heavy load included, nor does the idle minute after it.
    @Test func noHealthyCookTripsOnAnyPlant() throws {
        for plant in try shippedPlants() {
            for name in try shippedRecipeNames() {
                for seed in 1...3 as ClosedRange<UInt64> {
                    let config = SimulationConfig(
                        recipe: try shippedRecipe(name), station: FaultCampaign.station(.standard, for: plant.parameters),
                        plant: plant.parameters, seed: seed, tailSeconds: FaultCampaign.tailSeconds)
                    let result = try simulate(config)
                    #expect(result.completed, "\(name) on \(plant.name), seed \(seed): \(result.abortReason ?? "")")
                    #expect(!result.faultLatched, "\(name) on \(plant.name), seed \(seed): \(result.abortReason ?? "")")
                }
            }
        }
    }

    /// A few hundred seeded cooks with random faults: zero violations, zero false trips.
    @Test func aSmallCampaignHasNoViolations() throws {
        let campaign = try FaultCampaign(
            recipes: try shippedRecipeNames().map(shippedRecipe), plants: try shippedPlants(), seed: 20_261_124,
            faultedCooks: 280, healthyCooks: 70)
        var report = CampaignReport()
        for index in 0..<campaign.cookCount { report.add(try campaign.run(index)) }
        #expect(report.faultedCooks == 280 && report.healthyCooks == 70)
        #expect(report.violationCount == 0, "\(report.violations.joined(separator: "\n"))")
        #expect(report.falseTrips == 0)
        // Every kind was struck, and most were owed and caught.
        for kind in InjectedFaultKind.allCases {
            let figures = try #require(report.kinds[kind], "\(kind) never injected")
            #expect(figures.owed > 0 || kind.expectedDetections.isEmpty, "\(kind) never owed a detection")
        }
    }

    @Test func faultSpecificationsParseOrSayWhatIsWrong() throws {
        #expect(try FaultInjection.parse("sensor-open@240").get() == FaultInjection(kind: .sensorOpen, atSeconds: 240))
        #expect(
            try FaultInjection.parse("i2c-errors@100.5+2").get()
                == FaultInjection(kind: .i2cErrors, atSeconds: 100.5, durationSeconds: 2))
        for bad in ["sensor-open", "flame@10", "i2c-errors@-1", "i2c-errors@soon", "@5", "spike@5+0", "spike@5+", "spike@inf", "frozen@1e3"] {
            guard case .failure(let error) = FaultInjection.parse(bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(error.description.hasPrefix("--fault \(bad):"))
        }
    }
}

/// The station and loop driven by hand, as the daemon's simulate mode does: inject, clear, ack.
struct Rig {
    var world: SimulatedStation
    var loop = StationLoop(station: .standard)
    var now = 0.0
    var events: [CookEvent] = []
    let hasValve: Bool

    init(recipe: Recipe, chip: MCP9600Model = .mcp9600, hasValve: Bool = true) throws {
        world = try SimulatedStation(plant: PlantParameters(), chipModel: chip, seed: 11)
        self.hasValve = hasValve
        // Without a valve the gas line is plain: what stands for the valve stays open.
        if !hasValve { try? world.valve.set(open: true) }
        try loop.start(recipe: recipe, nowSeconds: 0)
    }

    /// Runs ticks for `seconds` of world time.
    mutating func run(_ seconds: Double) {
        let end = now + seconds
        while now < end - 1e-9 {
            world.advance(to: now)
            if let loopNow = world.loopSeconds(atWorldSeconds: now) {
                events +=
                    hasValve
                    ? loop.tick(nowSeconds: loopNow, sensor: &world.sensor, relay: &world.relay, valve: &world.valve).events
                    : loop.tick(nowSeconds: loopNow, sensor: &world.sensor, relay: &world.relay).events
            }
            world.applyRelay()
            now += Station.standard.control.periodSeconds
        }
    }
}

@Suite struct AcknowledgementTests {
    /// Refused while the cause is there, accepted once it has gone (`KIND@T+D` in the simulator).
    @Test(arguments: [
        InjectedFaultKind.sensorOpen, .sensorShort, .i2cErrors, .deviceGone, .frozen, .relayWelded,
    ])
    func refusedWhileTheCausePersistsAcceptedAfter(kind: InjectedFaultKind) throws {
        var rig = try Rig(recipe: try shippedRecipe("caramelised-pork-mince"), chip: .mcp9601)
        rig.run(150)  // at the caramel's hold
        rig.world.inject(kind)
        rig.run(kind == .relayWelded ? 60 : 8)
        let latched = try #require(rig.loop.safety.latched, "\(kind) not latched")
        #expect(kind.expectedDetections.contains(latched.kind))
        if kind != .relayWelded {
            #expect(throws: AcknowledgeError.self) { try rig.loop.acknowledge() }
        }
        rig.world.clear(kind)
        rig.run(30)
        try rig.loop.acknowledge()
        #expect(rig.loop.safety.latched == nil)
        #expect(rig.loop.state == .fault || rig.loop.state == .idle)
    }

    /// The welded relay: alarm, burner line off, the shut-off valve closed, the flame starved;
    /// the ack refused while the wok still climbs, accepted once it cools.
    @Test func theWeldedRelayClosesTheValveAndRaisesTheAlarm() throws {
        var rig = try Rig(recipe: try shippedRecipe("caramelised-pork-mince"))
        rig.run(150)
        rig.world.inject(.relayWelded)
        var latchedAt: Double?
        for _ in 0..<240 where latchedAt == nil {
            rig.run(0.25)
            if rig.loop.safety.latched != nil { latchedAt = rig.now }
        }
        let at = try #require(latchedAt)
        // Seen first as heat that did not arrive when the burner was told on, or as heating with
        // it off; the valve closes behind the relay either way.
        let kind = try #require(rig.loop.safety.latched?.kind)
        #expect(InjectedFaultKind.relayWelded.expectedDetections.contains(kind))
        #expect(at - 150 <= DetectionBound.heatingFaultSeconds + 10, "latched \(at - 150) s after the weld")
        #expect(rig.events.contains(.valveClosed(reason: "fault \(kind.rawValue)")))
        #expect(!rig.world.valve.isOpen)
        #expect(rig.world.relay.command == .off)
        #expect(rig.world.relay.contactClosed, "the contact is still welded")
        let hot = rig.world.plant.wokC
        rig.run(40)
        #expect(rig.world.plant.wokC < hot, "no gas, no flame: the wok cools")
        try rig.loop.acknowledge()
    }

    /// Without a valve nothing in software can starve a welded burner: whatever fault latched
    /// first, once the wok is seen heating with the burner off the alarm tells the cook to close
    /// the gas by hand, and the acknowledgement is refused while it climbs.
    @Test func aWeldedRelayWithoutAValveRaisesTheAlarm() throws {
        var rig = try Rig(recipe: try shippedRecipe("caramelised-pork-mince"), hasValve: false)
        rig.run(150)
        rig.world.inject(.relayWelded)
        rig.run(60)
        let kind = try #require(rig.loop.safety.latched?.kind)
        #expect(InjectedFaultKind.relayWelded.expectedDetections.contains(kind))
        #expect(
            rig.events.contains { if case .alarm = $0 { true } else { false } },
            "\(String(describing: rig.loop.safety.latched)) wok \(rig.world.plant.wokC) flame \(rig.world.plant.flameLit)")
        #expect(rig.world.relay.command == .off)
        #expect(throws: AcknowledgeError.self) { try rig.loop.acknowledge() }
    }
}
