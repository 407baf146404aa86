import WokCore

/// How one stage went, measured on the wok's true temperature.
public struct StageMetrics: Sendable, Equatable {
    public var name: String
    public var targetC: Double?
    public var seconds: Double
    /// From the stage's start (or the food landing) to the wok first inside the band after it.
    public var secondsToBand: Double?
    /// The physical limit of the same interval: same plant, same state, burner fully on.
    public var fullPowerSecondsToBand: Double?
    /// How far the arrival carried past the target (above it when rising, below when falling),
    /// up to the first turn of the wok's temperature.
    public var overshootC: Double?
    /// Mean and largest distance from the target, from reaching the band to the stage's end.
    public var holdMeanAbsErrorC: Double?
    public var holdMaxAbsErrorC: Double?
    public var relaySwitches: Int
    /// Degrees the wok had to climb into the band (a rise, or a recovery after food landed).
    public var climbC: Double?
    /// Whether the interval began with food landing (a recovery) rather than the stage's start.
    public var isRecovery: Bool
    /// The hold (from reaching the band to the stage's end): how long it lasted, the share of it
    /// the relay was closed, and how many burns it began (nil, 0 without a hold).
    public var holdSeconds: Double? = nil
    public var holdRelayOnShare: Double? = nil
    public var holdBurns = 0
    /// The least mean distance from the target any controller could hold with the hold's own
    /// windows on this plant (see `rippleFloorC`); nil without a burn.
    public var holdRippleFloorC: Double? = nil

    /// The ripple floor of a hold: one burn per window makes a ripple of
    /// `rate × d × (1 - d) × window` peak to peak, `rate` the burner's heating of the empty wok, d
    /// the share of the time the flame burns (the relay's, less the igniter's delay at each burn)
    /// and `window` the mean time between burns; the mean distance of a ripple from its middle
    /// is a quarter of its height.
    public static func rippleFloorC(
        fullPowerRateCPerSecond rate: Double, ignitionDelaySeconds: Double, holdSeconds seconds: Double, relayOnShare: Double,
        burns: Int
    ) -> Double? {
        guard burns > 0, seconds > 0 else { return nil }
        let flameShare = max(0, relayOnShare - Double(burns) * ignitionDelaySeconds / seconds)
        return rate * flameShare * (1 - flameShare) * (seconds / Double(burns)) / 4
    }
}

/// Collects `StageMetrics` tick by tick.
struct StageMeter {
    let bandC: Double
    let name: String
    let targetC: Double?
    let startSeconds: Double
    private(set) var switches = 0
    private var intervalStart: Double
    private var isRecovery = false
    private var approachFromAbove = false
    private var mustLeaveBand = false
    private var enteredAt: Double?
    private var lowestC = Double.infinity
    private var overshoot = 0.0
    private var overshootSettled = false
    private var previousTrueC: Double?
    private var holdErrorSum = 0.0
    private var holdErrorMax = 0.0
    private var holdSamples = 0
    private var holdOnSamples = 0
    private var holdBurns = 0
    private var holdFirstSeconds: Double?
    private var holdLastSeconds = 0.0
    private var relayWasOn = false
    /// The band was reached after food knocked the wok out of it.
    private var enteredAfterDip = false
    private var holdEnded = false
    var fullPowerSecondsToBand: Double?

    /// The plant's figures the hold's ripple floor is worked out from.
    var fullPowerRateCPerSecond = 0.0
    var ignitionDelaySeconds = 0.0

    init(name: String, targetC: Double?, bandC: Double, startSeconds: Double, trueC: Double) {
        self.name = name
        self.targetC = targetC
        self.bandC = bandC
        self.startSeconds = startSeconds
        intervalStart = startSeconds
        if let targetC { approachFromAbove = trueC > targetC + bandC }
    }

    /// Food landed: the interval to the band restarts from here.
    mutating func foodLanded(at now: Double, trueC: Double) {
        guard let targetC else { return }
        isRecovery = true
        intervalStart = now
        enteredAt = nil
        enteredAfterDip = false
        lowestC = trueC
        overshoot = 0
        overshootSettled = false
        holdErrorSum = 0
        holdErrorMax = 0
        holdSamples = 0
        holdOnSamples = 0
        holdBurns = 0
        holdFirstSeconds = nil
        approachFromAbove = trueC > targetC + bandC
        mustLeaveBand = abs(trueC - targetC) <= bandC
    }

    /// The stage stopped holding its own target (it went to a safe hold).
    mutating func endHold() { holdEnded = true }

    mutating func relaySwitched() { switches += 1 }

    mutating func observe(now: Double, trueC: Double, relayOn: Bool) {
        let burnBegan = relayOn && !relayWasOn
        relayWasOn = relayOn
        guard let targetC else { return }
        let inBand = abs(trueC - targetC) <= bandC
        // Food's dip that touched the band and then, before reaching the target, fell deeper soon
        // after the food landed was not over (a burst that the relay's budget held back makes two
        // troughs of one dip): the recovery goes on, and the hold starts again when it is over (the
        // arrival's overshoot, already measured to its turn, stands).
        if enteredAfterDip && trueC >= targetC { enteredAfterDip = false }
        if enteredAfterDip, now - intervalStart <= Self.leaveBandWithinSeconds, trueC < lowestC {
            enteredAt = nil
            enteredAfterDip = false
            holdErrorSum = 0
            holdErrorMax = 0
            holdSamples = 0
            holdOnSamples = 0
            holdBurns = 0
            holdFirstSeconds = nil
        }
        if enteredAt == nil {
            lowestC = min(lowestC, trueC)
            if mustLeaveBand {
                if trueC > targetC + bandC {
                    enteredAt = intervalStart
                } else if !inBand {
                    mustLeaveBand = false
                }
                // A load that never pushes the wok out of its band needs no recovery.
                else if now - intervalStart > StageMeter.leaveBandWithinSeconds {
                    enteredAt = intervalStart
                }
            } else if inBand {
                enteredAt = now
                enteredAfterDip = isRecovery
            }
            previousTrueC = trueC
            if enteredAt == nil { return }
        }
        if !overshootSettled, let previous = previousTrueC {
            let beyond = approachFromAbove ? targetC - trueC : trueC - targetC
            overshoot = max(overshoot, beyond)
            let turned = approachFromAbove ? trueC > previous : trueC < previous
            if turned { overshootSettled = true }
        }
        previousTrueC = trueC
        if !holdEnded {
            let error = abs(trueC - targetC)
            holdErrorSum += error
            holdErrorMax = max(holdErrorMax, error)
            holdSamples += 1
            if relayOn { holdOnSamples += 1 }
            if burnBegan { holdBurns += 1 }
            if holdFirstSeconds == nil { holdFirstSeconds = now }
            holdLastSeconds = now
        }
    }

    /// How long after food lands the wok may take to leave its band before the load counts as absorbed.
    static let leaveBandWithinSeconds = 30.0

    var needsLeaveBand: Bool { mustLeaveBand }

    func finish(endSeconds: Double) -> StageMetrics {
        let toBand = enteredAt.map { $0 - intervalStart }
        let climb: Double? = targetC.flatMap { target in
            lowestC.isFinite ? max(0, target - lowestC) : nil
        }
        var metrics = StageMetrics(
            name: name, targetC: targetC, seconds: endSeconds - startSeconds, secondsToBand: toBand,
            fullPowerSecondsToBand: fullPowerSecondsToBand,
            overshootC: enteredAt == nil ? nil : max(0, overshoot),
            holdMeanAbsErrorC: holdSamples > 0 ? holdErrorSum / Double(holdSamples) : nil,
            holdMaxAbsErrorC: holdSamples > 0 ? holdErrorMax : nil, relaySwitches: switches,
            climbC: enteredAt == nil ? nil : climb, isRecovery: isRecovery)
        if let first = holdFirstSeconds, holdSamples > 1 {
            // Samples are a tick apart: the hold spans one tick more than first to last.
            let tick = (holdLastSeconds - first) / Double(holdSamples - 1)
            metrics.holdSeconds = holdLastSeconds - first + tick
            metrics.holdRelayOnShare = Double(holdOnSamples) / Double(holdSamples)
            metrics.holdBurns = holdBurns
            metrics.holdRippleFloorC = StageMetrics.rippleFloorC(
                fullPowerRateCPerSecond: fullPowerRateCPerSecond, ignitionDelaySeconds: ignitionDelaySeconds,
                holdSeconds: holdLastSeconds - first + tick, relayOnShare: Double(holdOnSamples) / Double(holdSamples),
                burns: holdBurns)
        }
        return metrics
    }
}

/// The physical limit: from a copy of the plant, burner fully on, seconds until the wok is in
/// the band (after first leaving it, when it started inside and food just landed). After food
/// lands the burner stays as it was for `reactionSeconds` first: no controller that reads the
/// thermocouple can know of the food before the reading shows it.
func fullPowerSecondsToBand(
    from plant: WokPlant, targetC: Double, bandC: Double, mustLeaveBand: Bool, reactionSeconds: Double = 0,
    capSeconds: Double = 1800
) -> Double? {
    var fork = plant
    if reactionSeconds <= 0 { fork.setRelay(closed: true) }
    let start = fork.timeSeconds
    var mustLeave = mustLeaveBand
    let tick = 0.25
    var time = start
    if abs(fork.wokC - targetC) <= bandC && !mustLeave { return 0 }
    if fork.wokC > targetC + bandC { return nil }  // full power cannot bring a wok down
    while time - start < capSeconds {
        time += tick
        fork.advance(to: time)
        if time - start >= reactionSeconds - 1e-9 { fork.setRelay(closed: true) }
        let inBand = abs(fork.wokC - targetC) <= bandC
        if mustLeave {
            if fork.wokC > targetC + bandC { return 0 }
            if !inBand { mustLeave = false } else if time - start > StageMeter.leaveBandWithinSeconds { return 0 }
        } else if inBand {
            return time - start
        }
    }
    return nil
}
