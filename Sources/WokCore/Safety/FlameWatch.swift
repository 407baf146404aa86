/// Watches the ignition controller's flame-proven input against what the relay was told: with
/// the burner on past the trial for ignition a flame must be proven, and with the burner off past
/// the extinction allowance none may be. Both are the controller's own observation of the flame,
/// so each latches on the tick that sees it, with no heat model and no controller in between.
struct FlameWatch: Sendable {
    /// How long after the burner is told off a flame may still be proven: a gas valve closes
    /// within 1 s (EN 161 class A and B valves), the gas left in the burner burns off within that,
    /// and an ignition controller drops its flame signal within its flame-failure response time of
    /// at most 1 s (EN 298 for flame rectification and UV detectors). One control period is added,
    /// as the loop samples the input once a period. A thermoelectric flame-failure device,
    /// which takes tens of seconds to drop, is not a flame-proven input for this check.
    static let extinctionAllowanceSeconds = 2.0

    /// The ignition controller's trial for ignition: a flame must be proven by then.
    let ignitionTrialSeconds: Double
    /// The extinction allowance plus one control period.
    let extinctionSeconds: Double
    /// How long the input may go unread before a fault latches (the burner is off meanwhile).
    let readFailureBoundSeconds: Double

    private var burnerOn = false
    /// When the relay last changed state; nil before the first command or reading.
    private var burnerSinceSeconds: Double?
    private var firstFailureSeconds: Double?

    enum Finding: Sendable, Equatable {
        /// No flame with the burner on for `onSeconds`, past the trial.
        case lost(onSeconds: Double)
        /// A flame with the burner off for `offSeconds`, past the extinction allowance.
        case presentWhileOff(offSeconds: Double)
        /// The input could not be read; `forSeconds` since the first failure in a row; `latch`
        /// once that reaches the bound.
        case unreadable(FlameSenseFailure, forSeconds: Double, latch: Bool)
    }

    init(ignitionTrialSeconds: Double, periodSeconds: Double, readFailureBoundSeconds: Double) {
        self.ignitionTrialSeconds = ignitionTrialSeconds
        extinctionSeconds = Self.extinctionAllowanceSeconds + periodSeconds
        self.readFailureBoundSeconds = readFailureBoundSeconds
    }

    /// The relay's command that will hold until the next reading.
    mutating func burnerCommanded(_ command: BurnerCommand, nowSeconds now: Double) {
        if command.isOn != burnerOn || burnerSinceSeconds == nil {
            burnerOn = command.isOn
            burnerSinceSeconds = now
        }
    }

    /// Judges one reading of the input taken at `now`, under the relay's last command.
    mutating func observe(_ reading: Result<FlameState, FlameSenseFailure>, nowSeconds now: Double) -> Finding? {
        let since = burnerSinceSeconds ?? now
        burnerSinceSeconds = since
        let held = now - since + 1e-9
        switch reading {
        case .failure(let failure):
            let first = firstFailureSeconds ?? now
            firstFailureSeconds = first
            let seconds = now - first
            return .unreadable(failure, forSeconds: seconds, latch: seconds + 1e-9 >= readFailureBoundSeconds)
        case .success(let state):
            firstFailureSeconds = nil
            switch (burnerOn, state) {
            case (true, .absent) where held >= ignitionTrialSeconds: return .lost(onSeconds: now - since)
            case (false, .proven) where held >= extinctionSeconds: return .presentWhileOff(offSeconds: now - since)
            default: return nil
            }
        }
    }
}
