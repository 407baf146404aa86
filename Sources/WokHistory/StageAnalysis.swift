/// How one stage went, worked out from its samples: what `wokctl show` prints.
public struct StageAnalysis: Sendable, Equatable {
    public var stage: CookStageRecord
    /// Seconds from the stage's start until the wok first reached its target band.
    public var secondsToReach: Double?
    /// How far the wok went above the target after first reaching it (0 when it never did).
    public var overshootC: Double?
    /// Mean distance from the target once reached: how well the stage held its heat.
    public var holdMeanAbsErrorC: Double?
    public var durationSeconds: Double?

    /// Analyses every stage of `cook` that started.
    public static func stages(of cook: CookHistory) -> [StageAnalysis] {
        cook.stages.filter { $0.startedSeconds != nil }.map { stage in analyse(stage, samples: cook.samples) }
    }

    static func analyse(_ stage: CookStageRecord, samples: [CookSample]) -> StageAnalysis {
        var result = StageAnalysis(stage: stage)
        guard let start = stage.startedSeconds else { return result }
        let end = stage.endedSeconds ?? samples.last?.timeSeconds ?? start
        result.durationSeconds = end - start
        guard let target = stage.targetC, let reached = stage.reachedSeconds else { return result }
        result.secondsToReach = reached - start
        let holding = samples.filter { $0.timeSeconds >= reached && $0.timeSeconds <= end }.compactMap(\.measuredC)
        guard !holding.isEmpty else { return result }
        result.overshootC = max(0, (holding.max() ?? target) - target)
        result.holdMeanAbsErrorC = holding.reduce(0) { $0 + abs($1 - target) } / Double(holding.count)
        return result
    }

    init(stage: CookStageRecord) {
        self.stage = stage
    }
}
