/// Turns a duty (0 to 1) into relay on/off by time-proportioning over a fixed window, while
/// honouring the relay's minimum on and off times.
///
/// The duty is sampled once at the start of each window and burnt as one pulse at the window's
/// end (off first, then on), so a duty that wobbles with the sensor's noise never chops a window
/// into extra clicks, and the relay switches at most twice a window. Three changes do not wait
/// for the next window, because waiting would cost heat or add overshoot:
/// - full power (cold food in the wok) lights the burner at once;
/// - leaving full power (arriving at a target) starts a new window, so the burner cuts now
///   for half an off part (a whole one would dip the wok a whole ripple below the target);
/// - leaving zero power (a wok that cooled down to its target) starts a window at its burn.
/// Pulses too short for the relay are carried into the next window instead of being lost, so a
/// small duty still heats.
///
/// A controller that plans whole windows may make a window longer than the station's, to spend
/// fewer switches, and end a window's burn early: a window still has one burn.
///
/// Every relay command of a cook passes here, so the relay's wear limit is kept here
/// (`RelaySwitchBudget`): a burn the budget cannot pay for does not start, whatever the duty.
public struct RelayModulator: Sendable {
    /// The longest window a controller may ask for, in station windows.
    public static let maxWindowMultiple = 2.0
    public let timing: Station.RelayTiming
    public private(set) var command: BurnerCommand = .off
    /// Relay transitions so far, for wear accounting.
    public private(set) var switchCount = 0

    /// When the relay last changed (-infinity before the first change).
    public private(set) var lastSwitchSeconds = -Double.infinity
    /// The relay's wear limit and the switches it has counted.
    public private(set) var budget: RelaySwitchBudget
    private var windowStartSeconds: Double?
    /// Length of the window under way (the station's unless a controller asked for longer).
    private var currentWindowSeconds: Double
    /// The window's burn was ended early: the rest of the window is off.
    private var burnEnded = false
    private var plannedOnSeconds = 0.0
    private var previousDuty = 0.0
    /// On-time owed by earlier windows whose pulse was too short for the relay.
    private var carrySeconds = 0.0

    /// `budget`: the switches the relay made before (a new cook on the same relay); nil, none.
    public init(timing: Station.RelayTiming, budget: RelaySwitchBudget? = nil) {
        self.timing = timing
        currentWindowSeconds = timing.windowSeconds
        self.budget = budget ?? RelaySwitchBudget(timing: timing)
    }

    /// Chooses the relay state for this tick. `windowSeconds` is the length of a window that
    /// starts at this call, kept between the station's window and `maxWindowMultiple` of it
    /// (nil: the station's).
    public mutating func output(duty requested: Double, nowSeconds now: Double, windowSeconds: Double? = nil) -> BurnerCommand {
        let duty = requested.isFinite ? min(max(requested, 0), 1) : 0
        defer { previousDuty = duty }
        let sampling = sampling(nowSeconds: now)
        let endingWindowSeconds = currentWindowSeconds
        if sampling != .ignored {
            let wanted = windowSeconds.flatMap { $0.isFinite ? $0 : nil } ?? timing.windowSeconds
            currentWindowSeconds = min(max(wanted, timing.windowSeconds), Self.maxWindowMultiple * timing.windowSeconds)
        }
        let window = currentWindowSeconds

        if duty >= 1 {
            windowStartSeconds = nil
            // Full power pays any burn still owed: carrying it past would overfill the window
            // that follows (a wok arriving at its target would burn straight through it).
            carrySeconds = 0
            set(.on, now: now)
            return command
        }
        if duty <= 0 {
            windowStartSeconds = nil
            carrySeconds = 0
            set(.off, now: now)
            return command
        }
        switch sampling {
        case .afterFullPower:
            // Start halfway through the off part: the wok is at its target as the burner cuts,
            // so it dips half a ripple below and comes back, centred on the target.
            startWindow(at: now, duty: duty)
            windowStartSeconds = now - (window - plannedOnSeconds) / 2
        case .afterOff:
            // Burn first: the wok has been falling towards the target with the burner off.
            startWindow(at: now, duty: duty)
            windowStartSeconds = now - (window - plannedOnSeconds)
        case .nextWindow:
            // Keep the cadence unless the loop fell far behind.
            let next = (windowStartSeconds ?? now) + endingWindowSeconds
            startWindow(at: now - next < window ? next : now, duty: duty)
        case .ignored:
            break
        }
        let elapsed = now - (windowStartSeconds ?? now)
        let burning = plannedOnSeconds > 0 && elapsed + 1e-9 >= window - plannedOnSeconds && !burnEnded
        set(burning ? .on : .off, now: now)
        return command
    }

    /// Ends the burn of the window under way now (or as soon as the relay's minimum on time is
    /// up); the rest of the window stays off. It adds no switch: the burn had to end anyway.
    public mutating func endBurn(nowSeconds now: Double) {
        guard windowStartSeconds != nil, previousDuty > 0, previousDuty < 1 else { return }
        burnEnded = true
        set(.off, now: now)
    }

    /// What the modulator does with a duty strictly between 0 and 1 given at `now`.
    public enum Sampling: Sendable, Equatable {
        /// A window is under way: the duty is not looked at until the next one.
        case ignored
        /// The burner was at full power: a window starts halfway through its off part (off for
        /// half of `window - duty × window`, then on for `duty × window`).
        case afterFullPower
        /// The burner was off: a window starts at its burn (on for `duty × window`).
        case afterOff
        /// A new regular window starts: off for `window - duty × window`, then on.
        case nextWindow
    }

    /// Whether the duty given at `now` would be sampled, and how: a controller that plans whole
    /// windows asks before it decides.
    public func sampling(nowSeconds now: Double) -> Sampling {
        if previousDuty >= 1 { return .afterFullPower }
        if previousDuty <= 0 { return .afterOff }
        guard let start = windowStartSeconds else { return .afterFullPower }
        return now >= start + currentWindowSeconds - 1e-9 ? .nextWindow : .ignored
    }

    /// Forces the relay off now, ignoring the minimum on time (safety and stops come first).
    /// It asks nothing of the wear budget: the burn it ends was charged in full when it began.
    public mutating func forceOff(nowSeconds now: Double) {
        if command == .on {
            command = .off
            switchCount += 1
            lastSwitchSeconds = now
        }
        previousDuty = 0
        windowStartSeconds = nil
        carrySeconds = 0
    }

    private mutating func set(_ wanted: BurnerCommand, now: Double) {
        guard wanted != command else { return }
        let heldSeconds = now - lastSwitchSeconds
        let minimum = command == .on ? timing.minOnSeconds : timing.minOffSeconds
        // A tiny tolerance so a minimum that is a whole number of periods is not missed by rounding.
        guard heldSeconds + 1e-9 >= minimum else { return }
        // A burn begins only if the wear budget has room for it.
        if wanted == .on {
            guard budget.allowsBurn(atSeconds: now) else { return }
            budget.recordBurn(atSeconds: now)
        }
        command = wanted
        switchCount += 1
        lastSwitchSeconds = now
    }

    private mutating func startWindow(at start: Double, duty: Double) {
        let window = currentWindowSeconds
        windowStartSeconds = start
        burnEnded = false
        var onSeconds = duty * window + carrySeconds
        if onSeconds < timing.minOnSeconds { onSeconds = 0 }
        if onSeconds > window - timing.minOffSeconds { onSeconds = window }
        plannedOnSeconds = onSeconds
        // What this window cannot burn is owed to the next (never more than one minimum pulse).
        carrySeconds = onSeconds == 0 ? min(duty * window + carrySeconds, timing.minOnSeconds) : 0
    }
}
