import Testing
import WokCore

@testable import WokSimulator

@Suite struct RelayWearTests {
    /// The relay's wear limit holds whatever drives it: every controller (the baselines thrash
    /// without it), every shipped plant, every shipped recipe and its food. Six burns at most in
    /// any minute, so at most 13 switches: 12, and the off of a burn begun just before.
    @Test(arguments: ControllerKind.allCases)
    func noControllerOnAnyPlantCyclesTheRelayPastItsWearLimit(kind: ControllerKind) throws {
        for plant in try shippedPlants() {
            for name in try shippedRecipeNames() {
                let config = SimulationConfig(
                    recipe: try shippedRecipe(name), station: FaultCampaign.station(.standard, for: plant.parameters),
                    plant: plant.parameters, controller: kind, seed: 1)
                let result = try simulate(config)
                #expect(result.mostSwitchesInAnyMinute <= 13, "\(kind.rawValue), \(name) on \(plant.name): \(result.mostSwitchesInAnyMinute)")
            }
        }
    }

    @Test func theBusiestMinuteCountsASlidingMinute() {
        var minute = BusiestMinute()
        for second in stride(from: 0.0, to: 60, by: 5) { minute.switched(1, atSeconds: second) }
        #expect(minute.most == 12)
        minute.switched(1, atSeconds: 60)
        #expect(minute.most == 12, "the switch at 0 s has left the minute ending at 60 s")
        minute.switched(2, atSeconds: 61)
        #expect(minute.most == 14, "twelve from 5 s to 60 s and two at 61 s")
    }
}

@Suite struct StrongBurnerTests {
    /// A burner that heats its wok faster than the absolute targets allow for (a restaurant
    /// burner under a light wok) holds without a burst to full power every window, within the
    /// relay's wear limit, and over each cook within 1.3 times the ripple floor of its windows
    /// (on the pork: a wet stage holds the wok at the boil, and the reheat's cold, slow-to-recover
    /// load gets the heat-arrival check's flame-proof pulse, the gate holding the burner off for a
    /// few seconds, which this measure would count against the controller).
    @Test func aStrongBurnerHoldsWithoutThrashingNearItsRippleFloor() throws {
        let strong = try shippedPlants().filter {
            !Scorecard.targetsApply(to: $0.parameters, windowSeconds: Station.standard.relay.windowSeconds)
        }
        #expect(!strong.isEmpty, "a shipped plant with a burner beyond the targets' envelope")
        for plant in strong {
            for name in ["caramelised-pork-mince"] {
                for seed in 1...3 as ClosedRange<UInt64> {
                    let config = SimulationConfig(
                        recipe: try shippedRecipe(name), station: FaultCampaign.station(.standard, for: plant.parameters),
                        plant: plant.parameters, seed: seed)
                    var simulation = try CookSimulation(config)
                    // Full power begins: the rise to each stage, a burst for food, or a fall the
                    // hold did not plan.
                    var bursts: [Int: Int] = [:]
                    var lastDuty = 0.0
                    let result = simulation.run { row in
                        if row.duty >= 1, lastDuty < 1, let stage = row.stageIndex { bursts[stage, default: 0] += 1 }
                        lastDuty = row.duty
                    }
                    let cook = "\(name) on \(plant.name), seed \(seed)"
                    #expect(result.completed, "\(cook)")
                    for (index, stage) in result.stages.enumerated() where stage.targetC != nil {
                        // A rise and a burst for its food; a burst every window would be a dozen.
                        #expect((bursts[index] ?? 0) <= 2, "\(cook), \(stage.name): \(bursts[index] ?? 0) bursts")
                        if stage.seconds >= 30 {
                            #expect(Double(stage.relaySwitches) / (stage.seconds / 60) <= Scorecard.maxSwitchesPerMinute, "\(cook), \(stage.name)")
                        }
                    }
                    let held = result.stages.filter { stage in
                        stage.secondsToBand.map { stage.seconds - $0 >= Scorecard.minHoldSecondsToScore } ?? false
                    }
                    let error = held.compactMap(\.holdMeanAbsErrorC).reduce(0, +)
                    let floor = held.compactMap(\.holdRippleFloorC).reduce(0, +)
                    #expect(floor > 0 && error <= Scorecard.maxHoldToRippleFloor * floor, "\(cook): hold \(error) °C against a floor of \(floor) °C")
                }
            }
        }
    }
}
