import Testing
import WokCore

@testable import WokSimulator

@Suite struct StationStepperTests {
    /// An offline stepper leaves a finished cook's food in the wok (the idle tail watches it), but
    /// the next cook in the same station starts with it plated: an empty wok, still hot.
    @Test func aNewCookStartsWithAnEmptyWokEvenOffline() throws {
        let recipe = try shippedRecipe("reheat")
        var stepper = try SimulatedStationStepper(
            plant: PlantParameters(), seed: 4, cookConfirmsStages: true, platesFoodWhenCookEnds: false)
        var loop = StationLoop(station: .standard)
        let period = loop.station.control.periodSeconds
        var now = 0.0
        try loop.start(recipe: recipe, nowSeconds: now)
        while loop.session?.isRunning == true, now < 3600 {
            _ = stepper.step(&loop, worldSeconds: now)
            now += period
        }
        #expect(loop.state == .done)
        #expect(stepper.world.plant.foodKg > 0.3, "the first cook's food is still in")
        let hotC = stepper.world.plant.wokC

        try loop.start(recipe: recipe, nowSeconds: now)
        let step = stepper.step(&loop, worldSeconds: now)
        #expect(step.report?.events.first == .cookStarted(recipe: recipe.name))
        #expect(stepper.world.plant.foods.isEmpty)
        #expect(stepper.world.plant.foodWaterKg == 0)
        #expect(abs(stepper.world.plant.wokC - hotC) < 1, "the steel keeps its heat")
    }
}
