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
    /// A hold may also come within this many times its ripple floor (`StageMetrics.rippleFloorC`):
    /// on a strong burner one burn per window alone holds the wok further than 2 °C from its
    /// target on average, and no controller within the relay's wear limit does better.
    public static let maxHoldToRippleFloor = 1.3
    public static let maxSwitchesPerMinute = 12.0
    /// Whether a plant is one the absolute targets were set for: one burn per window holds its
    /// wok, at the widest (half duty), within the hold target on average (`rate × window / 16`,
    /// see `StageMetrics.rippleFloorC`). A stronger burner on a lighter wok cannot, whatever the
    /// controller; it is held to its ripple floor, the relay's wear limit and a hold without
    /// bursts instead.
    public static func targetsApply(to plant: PlantParameters, windowSeconds: Double) -> Bool {
        plant.fullPowerRateCPerSecond * windowSeconds / 16 <= maxHoldMeanErrorC
    }
    /// Stages shorter than this after reaching their band say little about holding.
    public static let minHoldSecondsToScore = 20.0

    public var completed: Bool
    /// Worst `secondsToBand / fullPowerSecondsToBand` over climbs of 20 °C or more.
    public var worstTimeRatio: Double?
    public var worstOvershootC: Double
    public var worstHoldMeanErrorC: Double
    /// Whether some scored hold was further from its target than both 2 °C and 1.3 times its
    /// ripple floor.
    public var missedHold: Bool
    public var worstSwitchesPerMinute: Double
    /// The most relay switches in any minute (a sliding 60 s) of the whole run.
    public var mostSwitchesInAnyMinute: Int
    public var maxTrueC: Double
    /// Stages the cook never brought into their band.
    public var stagesMissingBand: [String]

    public init(_ result: SimulationResult) {
        completed = result.completed
        maxTrueC = result.maxTrueC
        mostSwitchesInAnyMinute = result.mostSwitchesInAnyMinute
        var ratio: Double?
        var overshoot = 0.0
        var hold = 0.0
        var missedHold = false
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
                let floorTarget = (stage.holdRippleFloorC ?? 0) * Self.maxHoldToRippleFloor
                if mean > max(Self.maxHoldMeanErrorC, floorTarget) { missedHold = true }
            }
            if stage.seconds >= 30 {
                switching = max(switching, Double(stage.relaySwitches) / (stage.seconds / 60))
            }
        }
        worstTimeRatio = ratio
        worstOvershootC = overshoot
        worstHoldMeanErrorC = hold
        self.missedHold = missedHold
        worstSwitchesPerMinute = switching
        stagesMissingBand = missing
    }

    /// The targets this cook missed, as short labels; empty when it met them all.
    public var misses: [String] {
        var misses: [String] = []
        if !completed { misses.append("incomplete") }
        if let ratio = worstTimeRatio, ratio > Self.maxTimeRatio { misses.append("time") }
        if worstOvershootC > Self.maxOvershootC { misses.append("overshoot") }
        if missedHold { misses.append("hold") }
        if worstSwitchesPerMinute > Self.maxSwitchesPerMinute { misses.append("switching") }
        if !stagesMissingBand.isEmpty { misses.append("band never reached") }
        return misses
    }
}
