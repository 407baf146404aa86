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
        // Holding starts once the wok is within the band after reaching: a stage that steps the
        // heat down counts its cooling from the last stage's heat neither as overshoot nor error.
        let stageSamples = samples.filter { $0.timeSeconds >= reached && $0.timeSeconds <= end }
        guard let settled = stageSamples.firstIndex(where: { abs(($0.measuredC ?? .infinity) - target) <= Self.holdBandC }) else {
            return result
        }
        // Each sample is scored against the target it was held to: a stage dropped to its safe
        // hold is judged on that hold, once the wok has come down to it, not on the heat it left.
        var errors: [Double] = []
        var highest = target
        var scoredTarget = target
        var settledOnTarget = true
        for sample in stageSamples[settled...] {
            guard let measured = sample.measuredC else { continue }
            let heldTo = sample.targetC ?? target
            if heldTo != scoredTarget {
                scoredTarget = heldTo
                settledOnTarget = false
            }
            if !settledOnTarget {
                guard abs(measured - heldTo) <= Self.holdBandC else { continue }
                settledOnTarget = true
            }
            if heldTo == target { highest = max(highest, measured) }
            errors.append(abs(measured - heldTo))
        }
        guard !errors.isEmpty else { return result }
        result.overshootC = max(0, highest - target)
        result.holdMeanAbsErrorC = errors.reduce(0, +) / Double(errors.count)
        return result
    }

    /// How close to the target the wok must come before the stage counts as holding.
    public static let holdBandC = 5.0

    init(stage: CookStageRecord) {
        self.stage = stage
    }
}
