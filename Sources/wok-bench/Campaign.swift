import FoundationEssentials
import WokCampaign
import WokCore
import WokSimulator

/// `wok-bench campaign [--cooks N] [--healthy N] [--seed S] [--workers W]`: the fault campaign over
/// every shipped recipe on every shipped plant, on all cores (or on W threads; 1 runs it on this
/// one); prints the per-kind figures, every violation and the cooks a second, and exits 1 if
/// there was any violation.
func runCampaign(_ arguments: [String]) -> Int32 {
    func value(_ name: String, _ fallback: UInt64) -> UInt64 {
        guard let index = arguments.firstIndex(of: name) else { return fallback }
        guard index + 1 < arguments.count, let value = UInt64(arguments[index + 1]), value <= 10_000_000 else {
            fail("\(name) expects a whole number up to 10000000")
        }
        return value
    }
    let faulted = Int(value("--cooks", 10_000))
    let healthy = Int(value("--healthy", 1_000))
    let seed = value("--seed", 1)

    let recipeNames = ((try? FileManager.default.contentsOfDirectory(atPath: "recipes")) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()
    guard !recipeNames.isEmpty else { fail("no recipes in ./recipes; run from the repository root") }
    let recipes = recipeNames.map { loadRecipe(String($0.dropLast(5))) }
    let campaignPlants = plants.map { FaultCampaign.Plant(name: $0.0, parameters: $0.1) }
    let campaign: FaultCampaign
    do {
        campaign = try FaultCampaign(
            recipes: recipes, plants: campaignPlants, seed: seed, faultedCooks: faulted, healthyCooks: healthy)
    } catch {
        fail("campaign did not start: \(error)")
    }
    if let index = arguments.firstIndex(of: "--replay") {
        guard index + 1 < arguments.count, let cook = Int(arguments[index + 1]), cook >= 0, cook < campaign.cookCount else {
            fail("--replay expects a cook number below \(campaign.cookCount)")
        }
        return replay(campaign, cook)
    }
    print("Fault campaign: seed \(seed), \(faulted) faulted + \(healthy) healthy cooks of \(recipes.count) recipes on \(campaignPlants.count) plants")
    print(
        "(1 to \(FaultCampaign.maxFaultsPerCook) faults a cook at random times, \(Int(FaultCampaign.clearingShare * 100)) % clearing after 0.5-60 s; \(Int(FaultCampaign.withoutValveShare * 100)) % of stations without a shut-off valve)"
    )

    let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let workers = Int(value("--workers", UInt64(cores)))
    let start = monotonicSeconds()
    let (report, failures) = ParallelCampaign.run(campaign, workers: max(1, workers))
    let seconds = monotonicSeconds() - start
    for (index, error) in failures { print("cook \(index) did not start: \(error)") }
    print()
    print(report.table)
    print()
    print("Flame outs and fallen probes by where they struck:")
    print()
    print(report.placementTable)
    print()
    print("Cooks and false trips by plant and controller:")
    print()
    print(report.falseTripTable)
    print()
    let perSecond = Double(campaign.cookCount) / max(seconds, 1e-9)
    print("\(report.summary); \(format(seconds, 2)) s on \(max(1, workers)) worker(s), \(format(perSecond, 0)) cooks a second")
    for violation in report.violations { print("VIOLATION \(violation)") }
    return report.violationCount == 0 && report.falseTrips == 0 ? 0 : 1
}

/// `--replay N`: one cook of the campaign, its faults and every event, for a violation's story.
private func replay(_ campaign: FaultCampaign, _ index: Int) -> Int32 {
    do {
        let config = campaign.plan(index)
        print("cook \(index): \(config.recipe.name), faults \(config.faults.map(\.description).joined(separator: " "))")
        var simulation = try CookSimulation(config)
        let result = simulation.run()
        for (seconds, event) in result.events { print("\(format(seconds, 2)) s  \(event)") }
        let verdict = try campaign.run(index)
        for violation in verdict.violations { print("VIOLATION \(violation)") }
        return verdict.violations.isEmpty ? 0 : 1
    } catch {
        fail("cook \(index) did not start: \(error)")
    }
}
