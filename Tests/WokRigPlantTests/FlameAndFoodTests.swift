// The rig plant's flame-proven line and its food file.
import Testing
import WokCore
import WokRigPlant
import WokSimulator

@Suite struct RigFlameAndFoodTests {
    static let settings = PlantLoopSettings(
        linePath: "/line", stepSeconds: 0.05, maxSeconds: 30, controlDirectory: "/run/rig", flamePullPath: "/sim_gpio5/pull")

    /// Runs the plant for `seconds` with the relay line at `level(now)` and flags `flags(now)`;
    /// returns every pull write, with its time.
    static func run(
        seconds: Double, level: @escaping (Double) -> Int?, flags: @escaping (Double) -> PlantFlags = { _ in PlantFlags() },
        food: [Double: Addition] = [:], failWrites: Bool = false
    ) -> (writes: [(Double, String, String)], stepper: PlantStepper) {
        let time = VirtualTime()
        var clock = VirtualClock(time: time)
        var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: 1)
        var chip = StubChip(writer: FakeI2CStub())
        var writes: [(Double, String, String)] = []
        var pending = food
        _ = runPlant(
            settings, stepper: &stepper, chip: &chip, clock: &clock, readLevel: { _ in level(time.nowSeconds) },
            readFlags: { _ in
                var current = flags(time.nowSeconds)
                current.stop = time.nowSeconds >= seconds - 1e-9
                return current
            },
            takeFood: { _ in
                guard let due = pending.keys.sorted().first, due <= time.nowSeconds + 1e-9 else { return nil }
                return pending.removeValue(forKey: due)
            },
            writePull: { path, value in
                writes.append((time.nowSeconds, path, value))
                return !failWrites
            })
        return (writes, stepper)
    }

    @Test func theLineFollowsTheFlameAfterTheIgnitionDelay() {
        // Relay on from 1 s to 5 s; the default plant lights 0.4 s after the relay closes.
        let (writes, stepper) = Self.run(seconds: 8, level: { $0 >= 1 && $0 < 5 ? 1 : 0 })
        #expect(writes.map(\.2) == ["pull-down", "pull-up", "pull-down"])
        #expect(writes.allSatisfy { $0.1 == "/sim_gpio5/pull" })
        let lit = writes[1].0
        #expect(lit >= 1.4 - 1e-9 && lit <= 1.5 + 1e-9)
        #expect(abs(writes[2].0 - 5) < 0.051, "out the step the relay opens")
        #expect(stepper.summary.flameChanges == 3)
    }

    @Test func theFlameOutFlagPullsTheLineDownWithTheRelayOn() {
        var out = PlantFlags()
        out.flameOut = true
        let (writes, stepper) = Self.run(seconds: 6, level: { _ in 1 }, flags: { $0 >= 3 ? out : PlantFlags() })
        #expect(writes.map(\.2) == ["pull-down", "pull-up", "pull-down"])
        #expect(abs(writes[2].0 - 3) < 0.051)
        #expect(stepper.plant.relayClosed)
    }

    @Test func aFailedWriteIsCountedAndRetried() {
        let (writes, stepper) = Self.run(seconds: 1, level: { _ in 0 }, failWrites: true)
        #expect(writes.count == 20, "one attempt a step until it takes")
        #expect(stepper.summary.failedFlameWrites == 20)
    }

    @Test func foodLandsOnceAndLoadsTheWok() {
        let greens = Addition(name: "greens", grams: 300, tempC: 20, water: 0.6)
        let (_, stepper) = Self.run(seconds: 3, level: { _ in 1 }, food: [1: greens])
        #expect(stepper.summary.foodAdded == 1)
        #expect(abs(stepper.plant.foodKg - 0.3) < 0.001)
        #expect(abs(stepper.plant.foodWaterKg - 0.18) < 0.001)
    }

    @Test(arguments: [
        ("300 20 0.6", Addition(name: "rig food", grams: 300, tempC: 20, water: 0.6)),
        ("300 20 0.6\n", Addition(name: "rig food", grams: 300, tempC: 20, water: 0.6)),
        ("50 4 0", Addition(name: "rig food", grams: 50, tempC: 4, water: 0)),
    ])
    func foodFilesAreThreeNumbers(text: String, addition: Addition) {
        #expect(FoodFile.parse(text) == addition)
    }

    @Test(arguments: ["", "300", "300 20", "300 20 1.5", "-1 20 0.5", "300 200 0.5", "a b c", "300 20 0.6 1"])
    func anythingElseIsRefused(text: String) {
        #expect(FoodFile.parse(text) == nil)
    }
}
