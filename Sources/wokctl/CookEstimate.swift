import WokCore
import WokSimulator

/// How long a recipe takes on a station, found by cooking it in the simulator rather than adding
/// up the stage clocks: preheats, recoveries after food lands and cool-downs take the time they
/// take on that station's heat levels. The virtual cook adds food on time and confirms at each
/// stage's earliest moment, so the figure is what an attentive cook sees.
enum CookEstimate {
    enum Outcome: Equatable {
        case seconds(Double)
        /// The simulated cook did not finish; why, in words.
        case unfinished(String)
    }

    static func of(_ recipe: Recipe, on station: Station, plant: PlantParameters = PlantParameters()) -> Outcome {
        var simulation: CookSimulation
        do {
            simulation = try CookSimulation(SimulationConfig(recipe: recipe, station: station, plant: plant))
        } catch {
            return .unfinished(error.description)
        }
        let result = simulation.run()
        guard result.completed, let end = result.cookEndedAtSeconds else {
            return .unfinished(result.abortReason ?? "the simulated cook did not finish")
        }
        return .seconds(end)
    }
}
