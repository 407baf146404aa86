import WokCore
import WokSimulator

/// `wok-bench trace PLANT RECIPE SEED [STAGE]`: one cook of the default controller, tick by tick
/// (time, stage, target, reading, true wok, relay, duty, the controller's modelled wok, events), then its stage figures: what a
/// person tuning the controller looks at when a bench cell misses.
func runTrace(_ arguments: [String], plants: [(String, PlantParameters)], station: (PlantParameters) -> Station) -> Int32 {
    guard arguments.count >= 3, let seed = UInt64(arguments[2]) else {
        print("usage: wok-bench trace PLANT RECIPE SEED [STAGE]")
        return 2
    }
    guard let plant = plants.first(where: { $0.0 == arguments[0] })?.1 else {
        print("wok-bench: no plant named \(arguments[0])")
        return 2
    }
    let recipe = loadRecipe(arguments[1])
    let stageFilter = arguments.count > 3 ? arguments[3] : nil
    let config = SimulationConfig(recipe: recipe, station: station(plant), plant: plant, controller: .standard, seed: seed)
    guard var simulation = try? CookSimulation(config) else { fail("simulation did not start") }
    print("time,stage,target,measured,true,relay,duty,model,events")
    while let row = simulation.step() {
        if let stageFilter, row.stageName != stageFilter { continue }
        let events = row.events.map { "\($0)" }.joined(separator: "; ")
        print(
            "\(format(row.timeSeconds, 2)),\(row.stageName ?? "-"),\(format(row.targetC, 1)),\(format(row.measuredC, 2)),\(format(row.trueC, 2)),\(row.burner.isOn ? 1 : 0),\(format(row.duty, 3)),\(format(row.modelledC, 2)),\(events)"
        )
    }
    for stage in simulation.result.stages {
        print(
            "# \(stage.name): seconds \(format(stage.seconds, 1)) toBand \(format(stage.secondsToBand, 1)) limit \(format(stage.fullPowerSecondsToBand, 1)) overshoot \(format(stage.overshootC, 2)) hold \(format(stage.holdMeanAbsErrorC, 2)) switches \(stage.relaySwitches) (\(format(Double(stage.relaySwitches) / (stage.seconds / 60), 2))/min) recovery \(stage.isRecovery)"
        )
    }
    return 0
}
