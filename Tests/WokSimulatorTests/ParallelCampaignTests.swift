// The fault campaign on several threads gives the report it gives on one: the same cooks, added in
// the same order, whatever the number of workers.
import Testing
import WokCampaign
import WokCore

@testable import WokSimulator

@Suite struct ParallelCampaignTests {
    @Test func theParallelReportEqualsTheSerialOne() throws {
        let campaign = try FaultCampaign(
            recipes: [try shippedRecipe("caramelised-pork-mince"), try shippedRecipe("reheat")],
            plants: try shippedPlants().filter { ["default", "light-wok"].contains($0.name) }, seed: 20_261_207,
            faultedCooks: 22, healthyCooks: 4)
        let serial = ParallelCampaign.run(campaign, workers: 1)
        // Added one by one in index order, as the campaign always was.
        var byHand = CampaignReport()
        for index in 0..<campaign.cookCount { byHand.add(try campaign.run(index)) }
        #expect(serial.report == byHand)
        #expect(serial.failures.isEmpty)
        for workers in [2, 3] {
            let parallel = ParallelCampaign.run(campaign, workers: workers)
            #expect(parallel.report == serial.report, "\(workers) workers")
            #expect(parallel.report.violations == serial.report.violations, "\(workers) workers")
            #expect(parallel.failures.isEmpty)
        }
    }
}
