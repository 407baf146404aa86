import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

/// A shipped plant by name, as `wokd --simulate --plant NAME` finds it.
func shippedPlant(_ name: String) throws -> PlantParameters {
    let path = CoreRig.root + "/Simulator/Plants/\(name).json"
    return try PlantLoader.parse(try readSmallFile(path, maxBytes: 1 << 20), source: path).get()
}

/// One `wokd --simulate` running cook after cook, in virtual time, with a person who confirms each
/// `confirm` stage as soon as it waits for them and starts the next cook as soon as one is done.
struct ConsecutiveCookRig {
    static let recipe = "caramelised-pork-mince"
    /// Longer than any cook of the recipe can take (its planned time plus the overrun margin).
    static let cookLimitSeconds = 3600.0

    let core: DaemonCore
    let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
    var now = 0.0

    init(plant: PlantParameters, seed: UInt64) throws {
        core = try DaemonCore(
            station: plant.commissioned(.standard), devices: try SimulatedDaemonDevices(plant: plant, seed: seed),
            recipeDirectories: [CoreRig.recipes], speed: 1, isSimulated: true, records: MemoryCookRecordStore(record: nil),
            log: MemoryLog(), nowSeconds: 0, wallClock: { 1_000_000 })
    }

    /// Runs one whole cook; the state it ended in (done, or a fault or idle after an abort).
    mutating func cookOnce() throws -> CookState {
        let request = ControlRequest(id: 1, method: .start, params: ["recipe": .string(Self.recipe)])
        _ = try core.handle(request, from: cook).get()
        let end = now + Self.cookLimitSeconds
        while now < end {
            now += core.station.control.periodSeconds
            core.tick(nowSeconds: now)
            switch core.state {
            case .waitingForCook:
                _ = try core.handle(ControlRequest(id: 2, method: .next, params: JSONObject()), from: cook).get()
            case .done, .fault, .idle:
                return core.state
            default:
                break
            }
        }
        return core.state
    }
}

@Suite struct ConsecutiveCookTests {
    /// How many cooks run back to back in one daemon. Before the helper plated the food, the wok
    /// grew heavier and wetter with every cook and the heat check (then `no-heating-gain`) tripped falsely
    /// (303 of 450 cooks on the default plant, the first by the fourth cook on each plant here);
    /// 30 cooks take about 3.5 s of CPU per plant in a debug build.
    static let cooks = 30

    @Test(arguments: ["default", "heavy-wok", "weak-burner"])
    func cookAfterCookInOneDaemonLatchesNoFault(plant name: String) throws {
        var rig = try ConsecutiveCookRig(plant: try shippedPlant(name), seed: 11)
        for number in 1...Self.cooks {
            let ended = try rig.cookOnce()
            guard ended == .done else {
                let fault = rig.core.snapshot()["fault"]?.objectValue
                Issue.record(
                    "\(name): cook \(number) of \(Self.cooks) ended \(ended.rawValue): \(fault?["kind"]?.stringValue ?? "-") \(fault?["reason"]?.stringValue ?? "")"
                )
                return
            }
        }
    }
}

@Suite struct PlatedFoodTests {
    enum Ending: String, CaseIterable, Sendable { case completed, aborted, faulted }

    /// However a cook ends, the helper plates its food at once and adds nothing more of it: the
    /// next cook starts with an empty wok, whose steel is as hot as the last cook left it.
    @Test(arguments: Ending.allCases)
    func theWokIsEmptyOnceACookEnds(ending: Ending) throws {
        let path = CoreRig.recipes + "/caramelised-pork-mince.json"
        let recipe = try RecipeLoader.parse(try readSmallFile(path, maxBytes: 1 << 20), source: path).get()
        var devices = try SimulatedDaemonDevices(plant: PlantParameters(), seed: 5)
        var loop = StationLoop(station: .standard)
        let period = loop.station.control.periodSeconds
        var now = 0.0
        try loop.start(recipe: recipe, nowSeconds: now)
        var mostFoodKg = 0.0
        while now < ConsecutiveCookRig.cookLimitSeconds, loop.session?.isRunning == true {
            now += period
            let report = devices.tick(&loop, nowSeconds: now)
            mostFoodKg = max(mostFoodKg, devices.world.plant.foodKg)
            if loop.state == .waitingForCook { try loop.confirm(nowSeconds: now) }
            let porkStageStarted = report?.events.contains { if case .stageStarted(2, _, _) = $0 { true } else { false } } ?? false
            switch ending {
            case .completed:
                break
            case .aborted where porkStageStarted:
                // The pork is asked for but not in yet: the abort must also cancel it.
                loop.abort(reason: "test", nowSeconds: now)
                _ = devices.tick(&loop, nowSeconds: now)
            case .faulted where devices.world.plant.foodKg > 0.5:
                devices.world.relay.failure = "line lost"  // latches relay-failure at the next tick
            default:
                break
            }
        }
        #expect(loop.session?.isRunning == false, "the cook ended")
        #expect(mostFoodKg > 0.05, "food went in during the cook")
        #expect(devices.world.plant.foodKg == 0)
        #expect(devices.world.plant.foodWaterKg == 0)
        #expect(devices.world.plant.foods.isEmpty)
        #expect(try #require(devices.trueTemperatureC) > 150, "the steel keeps its heat")
        // Nothing of the ended cook lands later.
        for _ in 0..<Int(30 / period) {
            now += period
            _ = devices.tick(&loop, nowSeconds: now)
        }
        #expect(devices.world.plant.foods.isEmpty)
    }
}
