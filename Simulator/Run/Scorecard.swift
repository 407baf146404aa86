import WokCore

/// A cook's figures against the control targets, worst stage first: how close each climb came
/// to the burner's physical limit, how far arrivals overshot, how well stages held, and how
/// hard the relay worked.
public struct Scorecard: Sendable {
    /// Climbs smaller than this are not held to the time target (noise decides them).
    public static let significantClimbC = 20.0
    /// The targets a controller must meet on every plant.
    public static let maxTimeRatio = 1.15
    public static let maxOvershootC = 3.0
    public static let maxHoldMeanErrorC = 2.0
    public static let maxSwitchesPerMinute = 12.0
    /// Stages shorter than this after reaching their band say little about holding.
    public static let minHoldSecondsToScore = 20.0

    public var completed: Bool
    /// Worst `secondsToBand / fullPowerSecondsToBand` over climbs of 20 °C or more.
    public var worstTimeRatio: Double?
    public var worstOvershootC: Double
    public var worstHoldMeanErrorC: Double
    public var worstSwitchesPerMinute: Double
    public var maxTrueC: Double
    /// Stages the cook never brought into their band.
    public var stagesMissingBand: [String]

    public init(_ result: SimulationResult) {
        completed = result.completed
        maxTrueC = result.maxTrueC
        var ratio: Double?
        var overshoot = 0.0
        var hold = 0.0
        var switching = 0.0
        var missing: [String] = []
        for stage in result.stages where stage.targetC != nil {
            guard let toBand = stage.secondsToBand else {
                // Only a miss if the burner at full power could have got there in the time.
                if let limit = stage.fullPowerSecondsToBand, limit < stage.seconds { missing.append(stage.name) }
                continue
            }
            if let climb = stage.climbC, climb >= Self.significantClimbC, let limit = stage.fullPowerSecondsToBand, limit > 0 {
                ratio = max(ratio ?? 0, toBand / limit)
            }
            overshoot = max(overshoot, stage.overshootC ?? 0)
            let heldSeconds = stage.seconds - toBand
            if heldSeconds >= Self.minHoldSecondsToScore, let mean = stage.holdMeanAbsErrorC {
                hold = max(hold, mean)
            }
            if stage.seconds >= 30 {
                switching = max(switching, Double(stage.relaySwitches) / (stage.seconds / 60))
            }
        }
        worstTimeRatio = ratio
        worstOvershootC = overshoot
        worstHoldMeanErrorC = hold
        worstSwitchesPerMinute = switching
        stagesMissingBand = missing
    }

    /// The targets this cook missed, as short labels; empty when it met them all.
    public var misses: [String] {
        var misses: [String] = []
        if !completed { misses.append("incomplete") }
        if let ratio = worstTimeRatio, ratio > Self.maxTimeRatio { misses.append("time") }
        if worstOvershootC > Self.maxOvershootC { misses.append("overshoot") }
        if worstHoldMeanErrorC > Self.maxHoldMeanErrorC { misses.append("hold") }
        if worstSwitchesPerMinute > Self.maxSwitchesPerMinute { misses.append("switching") }
        if !stagesMissingBand.isEmpty { misses.append("band never reached") }
        return misses
    }
}
