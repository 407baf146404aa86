import Testing
import WokCore

@testable import WokHistory

/// What `wokctl show` scores a stage by.
@Suite struct StageAnalysisTests {
    private static func samples(_ points: [(Double, Double, Double?)]) -> [CookSample] {
        points.map { CookSample(timeSeconds: $0.0, measuredC: $0.1, targetC: $0.2, burnerOn: false, duty: 0) }
    }

    @Test func aStageDroppedToItsSafeHoldIsScoredAgainstTheSafeHold() throws {
        let stage = CookStageRecord(index: 1, name: "Caramel", targetC: 200, startedSeconds: 0, endedSeconds: 100, reachedSeconds: 0)
        // 40 s held at 200 ± 1, then the safe hold at 110: the wok takes a while to come down,
        // then holds 110 ± 2.
        var points: [(Double, Double, Double?)] = []
        for t in 0..<40 { points.append((Double(t), t % 2 == 0 ? 201 : 199, 200)) }
        for t in 40..<60 { points.append((Double(t), 200 - Double(t - 40) * 4.5, 110)) }
        for t in 60...100 { points.append((Double(t), t % 2 == 0 ? 112 : 108, 110)) }
        let analysis = StageAnalysis.analyse(stage, samples: Self.samples(points))
        let error = try #require(analysis.holdMeanAbsErrorC)
        // Against the stage's own 200 °C the safe hold alone would score about 60 °C.
        #expect(error < 2, "hold error \(error)")
        #expect(analysis.overshootC == 1, "overshoot is measured on the stage's own heat")
    }

    @Test func aStageHeldAtItsOwnTargetIsScoredAsBefore() {
        let stage = CookStageRecord(index: 0, name: "Sear", targetC: 230, startedSeconds: 0, endedSeconds: 20, reachedSeconds: 5)
        let points: [(Double, Double, Double?)] = (0...20).map { t in (Double(t), t < 5 ? 200 : 233, 230) }
        let analysis = StageAnalysis.analyse(stage, samples: Self.samples(points))
        #expect(analysis.holdMeanAbsErrorC == 3)
        #expect(analysis.overshootC == 3)
        #expect(analysis.secondsToReach == 5)
    }
}
