import FoundationEssentials
import WokCore
import WokSimulator

#if canImport(Glibc)
    import Glibc
#endif

/// The benchmark: how fast a simulated cook runs, and how the controllers compare on a range of
/// plants. Run from the repository root: `swift run -c release wok-bench [--seeds N]`; or the
/// fault campaign: `swift run -c release wok-bench campaign [--cooks N] [--healthy N] [--seed S]`;
/// the cook history: `swift run -c release wok-bench history [DIR]`; or one cook tick by tick:
/// `wok-bench trace PLANT RECIPE SEED [STAGE]`.

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func readText(_ path: String) -> String? {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { return nil }
    return String(data: data, encoding: .utf8)
}

func fail(_ message: String) -> Never {
    print("wok-bench: \(message)")
    exit(1)
}

func format(_ value: Double?, _ places: Int = 2) -> String {
    guard let value else { return "-" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return places == 0 ? String(Int(rounded)) : String(rounded)
}

let arguments = CommandLine.arguments
let seedCount =
    arguments.firstIndex(of: "--seeds").flatMap { index in
        index + 1 < arguments.count ? Int(arguments[index + 1]) : nil
    } ?? 5

func loadRecipe(_ name: String) -> Recipe {
    let path = "recipes/\(name).json"
    guard let text = readText(path) else { fail("cannot read \(path); run from the repository root") }
    switch RecipeLoader.parse(text, source: path) {
    case .success(let recipe): return recipe
    case .failure(let error): fail(error.description)
    }
}

/// Every plant in `Simulator/Plants`, the benchmark's usual order first and any other after it
/// by name, so a plant added there joins every table.
let plantNames: [String] = {
    let usual = ["default", "light-wok", "heavy-wok", "weak-burner", "strong-burner", "short-lag", "long-lag"]
    let found = ((try? FileManager.default.contentsOfDirectory(atPath: "Simulator/Plants")) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
    return usual.filter(found.contains) + found.filter { !usual.contains($0) }.sorted()
}()
let plants: [(String, PlantParameters)] = plantNames.map { name in
    let path = "Simulator/Plants/\(name).json"
    guard let text = readText(path) else { fail("cannot read \(path)") }
    switch PlantLoader.parse(text, source: path) {
    case .success(let plant): return (name, plant)
    case .failure(let error): fail(error.description)
    }
}
if arguments.dropFirst().first == "history" {
    HistoryBench.run(directory: arguments.dropFirst(2).first ?? "/tmp/wok-history-bench")
    exit(0)
}
if arguments.dropFirst().first == "campaign" {
    exit(runCampaign(Array(arguments.dropFirst(2))))
}
let baseStation = Station.standard

/// The station a builder would configure for a plant: the shipped station, with the sensor lag
/// set to what a step test of that plant's thermocouple would measure (see docs/control.md).
func station(for plant: PlantParameters) -> Station {
    FaultCampaign.station(baseStation, for: plant)
}
if arguments.dropFirst().first == "trace" {
    exit(runTrace(Array(arguments.dropFirst(2)), plants: plants, station: station(for:)))
}
let recipes = [loadRecipe("caramelised-pork-mince"), loadRecipe("reheat")]

// 1. Speed: one whole cook of the default recipe, default plant and controller.
/// Times `runs` cooks of the default recipe and prints the median; `wok-bench speed [RUNS]` runs
/// only this (the loop a profiler wants).
func measureCookSpeed(runs: Int) {
    let defaultConfig = SimulationConfig(recipe: recipes[0], seed: 1)
    var timings: [Double] = []
    var simulatedSeconds = 0.0
    var ticks = 0
    for _ in 0..<max(1, runs) {
        let start = monotonicSeconds()
        guard var simulation = try? CookSimulation(defaultConfig) else { fail("default simulation did not start") }
        var count = 0
        while simulation.step() != nil { count += 1 }
        timings.append(monotonicSeconds() - start)
        simulatedSeconds = simulation.result.simulatedSeconds
        ticks = count
    }
    timings.sort()
    print("One simulated cook of \"\(recipes[0].name)\" (\(format(simulatedSeconds / 60, 1)) simulated minutes, \(ticks) control ticks):")
    print(
        "  wall time median \(format(timings[timings.count / 2] * 1000, 3)) ms, min \(format(timings[0] * 1000, 3)) ms, max \(format(timings[timings.count - 1] * 1000, 3)) ms over \(timings.count) runs (target: under 10 ms)"
    )
    print("  \(format(simulatedSeconds / timings[timings.count / 2], 0))x faster than real time")
    // The timed cook's trace, to check a speed-up changed nothing (TraceDigestTests holds it).
    if let digest = try? TraceDigest.of(defaultConfig) { print("  trace digest \(digest.hex) over \(digest.rows) rows") }
    print()
}
if arguments.dropFirst().first == "speed" {
    measureCookSpeed(runs: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 60)
    exit(0)
}
measureCookSpeed(runs: 60)

// 2. Controllers x plants x recipes, worst case over seeds.
print("Controllers on each plant, worst over \(seedCount) seeds and both recipes:")
print(
    "(time ratio: climbs of 20 °C or more against the full-power limit, target <= \(Scorecard.maxTimeRatio); overshoot target <= \(Scorecard.maxOvershootC) °C;"
)
print(
    " hold: mean |error| after reaching the band, target <= \(Scorecard.maxHoldMeanErrorC) °C or \(Scorecard.maxHoldToRippleFloor) times the hold's ripple floor;"
)
print(
    " switches target <= \(Scorecard.maxSwitchesPerMinute) a minute in a stage; most in a minute: any 60 s of the cook, at most 13 by the relay's budget)"
)
print()
let header =
    "| plant | controller | completed | time ratio | overshoot °C | hold error °C | switches/min | most in a minute | peak °C | targets |"
print(header)
print("|---|---|---|---|---|---|---|---|---|---|")
var defaultMisses = 0
for (name, plant) in plants {
    for kind in ControllerKind.allCases {
        var completed = 0
        var runs = 0
        var ratio: Double?
        var overshoot = 0.0
        var hold = 0.0
        var switching = 0.0
        var busiestMinute = 0
        var peak = 0.0
        var misses: Set<String> = []
        for recipe in recipes {
            for seed in 1...UInt64(seedCount) {
                let config = SimulationConfig(recipe: recipe, station: station(for: plant), plant: plant, controller: kind, seed: seed)
                guard var simulation = try? CookSimulation(config) else { fail("simulation did not start") }
                let card = Scorecard(simulation.run())
                runs += 1
                if card.completed { completed += 1 }
                if let value = card.worstTimeRatio { ratio = max(ratio ?? 0, value) }
                overshoot = max(overshoot, card.worstOvershootC)
                hold = max(hold, card.worstHoldMeanErrorC)
                switching = max(switching, card.worstSwitchesPerMinute)
                busiestMinute = max(busiestMinute, card.mostSwitchesInAnyMinute)
                peak = max(peak, card.maxTrueC)
                misses.formUnion(card.misses)
            }
        }
        let verdict = misses.isEmpty ? "all met" : "missed: " + misses.sorted().joined(separator: ", ")
        if kind == .standard && !misses.isEmpty { defaultMisses += 1 }
        print(
            "| \(name) | \(kind.rawValue) | \(completed)/\(runs) | \(format(ratio)) | \(format(overshoot, 1)) | \(format(hold)) | \(format(switching, 1)) | \(busiestMinute) | \(format(peak, 1)) | \(verdict) |"
        )
    }
}
print()
print(
    defaultMisses == 0
        ? "The default controller met every target on every plant." : "The default controller missed targets on \(defaultMisses) plant(s).")

/// The stages of one default-controller cook of `recipe` on `plant` for each seed.
func defaultControllerStages(_ recipe: Recipe, on plant: PlantParameters) -> [[StageMetrics]] {
    (1...UInt64(seedCount)).map { seed in
        let config = SimulationConfig(recipe: recipe, station: station(for: plant), plant: plant, controller: .standard, seed: seed)
        guard var simulation = try? CookSimulation(config) else { fail("simulation did not start") }
        return simulation.run().stages.filter { $0.targetC != nil }
    }
}

// 3. With `--stages`: the default controller's worst figures per stage, to see which stage
// decides each plant's row.
if arguments.contains("--stages") {
    print()
    print("Default controller, worst per stage over \(seedCount) seeds:")
    print("| plant | stage | time ratio | overshoot °C | hold error °C | switches/min |")
    print("|---|---|---|---|---|---|")
    for (name, plant) in plants {
        for recipe in recipes {
            var rows: [String: (ratio: Double?, overshoot: Double, hold: Double?, switching: Double?)] = [:]
            for stages in defaultControllerStages(recipe, on: plant) {
                for stage in stages {
                    var row = rows[stage.name] ?? (nil, 0, nil, nil)
                    if let toBand = stage.secondsToBand {
                        if let climb = stage.climbC, climb >= Scorecard.significantClimbC, let limit = stage.fullPowerSecondsToBand, limit > 0 {
                            row.ratio = max(row.ratio ?? 0, toBand / limit)
                        }
                        row.overshoot = max(row.overshoot, stage.overshootC ?? 0)
                        if stage.seconds - toBand >= Scorecard.minHoldSecondsToScore, let mean = stage.holdMeanAbsErrorC {
                            row.hold = max(row.hold ?? 0, mean)
                        }
                    }
                    if stage.seconds >= 30 {
                        row.switching = max(row.switching ?? 0, Double(stage.relaySwitches) / (stage.seconds / 60))
                    }
                    rows[stage.name] = row
                }
            }
            for stage in recipe.stages where rows[stage.name] != nil {
                guard let row = rows[stage.name] else { continue }
                print(
                    "| \(name) | \(stage.name) | \(format(row.ratio)) | \(format(row.overshoot, 1)) | \(format(row.hold)) | \(format(row.switching, 1)) |"
                )
            }
        }
    }
}

// 4. With `--spread`: the default controller's scored hold errors over every stage of every cook,
// as a distribution per plant. The worst cell above moves with the seed; the spread shows how
// close a plant sits to the target.
if arguments.contains("--spread") {
    print()
    print("Default controller, hold error of every scored stage over \(seedCount) seeds and both recipes:")
    print("| plant | stages | mean °C | p90 °C | worst °C | over \(Scorecard.maxHoldMeanErrorC) °C | over target |")
    print("|---|---|---|---|---|---|---|")
    for (name, plant) in plants {
        var holds: [Double] = []
        var overTarget = 0
        for recipe in recipes {
            for stages in defaultControllerStages(recipe, on: plant) {
                for stage in stages {
                    guard let toBand = stage.secondsToBand, stage.seconds - toBand >= Scorecard.minHoldSecondsToScore,
                        let mean = stage.holdMeanAbsErrorC
                    else { continue }
                    holds.append(mean)
                    let floorTarget = (stage.holdRippleFloorC ?? 0) * Scorecard.maxHoldToRippleFloor
                    if mean > max(Scorecard.maxHoldMeanErrorC, floorTarget) { overTarget += 1 }
                }
            }
        }
        holds.sort()
        guard let worst = holds.last else { continue }
        let mean = holds.reduce(0, +) / Double(holds.count)
        let p90 = holds[min(holds.count - 1, Int(Double(holds.count) * 0.9))]
        let over = holds.filter { $0 > Scorecard.maxHoldMeanErrorC }.count
        print("| \(name) | \(holds.count) | \(format(mean)) | \(format(p90)) | \(format(worst)) | \(over) | \(overTarget) |")
    }
}

// 5. With `--floor`: the default controller's hold error beside the ripple floor of its own
// windows, stage by stage (see docs/control.md): how close each hold comes to what one burn per
// window allows on that plant at that load.
if arguments.contains("--floor") {
    print()
    print("Default controller, hold error against the ripple floor of its windows, over \(seedCount) seeds:")
    print("(floor: rate × d(1-d) × window / 4, from the plant's full-power rate, the hold's flame share d and mean window)")
    print("| plant | stage | target °C | rate °C/s | flame share | window s | floor °C | hold °C (mean) | hold / floor (mean, worst) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (name, plant) in plants {
        let rate = plant.fullPowerRateCPerSecond
        for recipe in recipes {
            var rows: [String: [(hold: Double, floor: Double, share: Double, window: Double)]] = [:]
            for stages in defaultControllerStages(recipe, on: plant) {
                for stage in stages {
                    guard let toBand = stage.secondsToBand, stage.seconds - toBand >= Scorecard.minHoldSecondsToScore,
                        let hold = stage.holdMeanAbsErrorC, let seconds = stage.holdSeconds, let onShare = stage.holdRelayOnShare,
                        let floor = stage.holdRippleFloorC, floor > 0
                    else { continue }
                    let share = onShare - Double(stage.holdBurns) * plant.burner.ignitionDelaySeconds / seconds
                    rows[stage.name, default: []].append((hold, floor, share, seconds / Double(stage.holdBurns)))
                }
            }
            for stage in recipe.stages {
                guard let cells = rows[stage.name], !cells.isEmpty else { continue }
                let count = Double(cells.count)
                let mean = { (value: ((hold: Double, floor: Double, share: Double, window: Double)) -> Double) in
                    cells.map(value).reduce(0, +) / count
                }
                let worst = cells.map { $0.hold / $0.floor }.max() ?? 0
                print(
                    "| \(name) | \(stage.name) | \(format(station(for: plant).targetC(for: stage.heat), 0)) | \(format(rate)) | \(format(mean { $0.share })) | \(format(mean { $0.window }, 1)) | \(format(mean { $0.floor })) | \(format(mean { $0.hold })) | \(format(mean { $0.hold / $0.floor })), \(format(worst)) |"
                )
            }
        }
    }
}
