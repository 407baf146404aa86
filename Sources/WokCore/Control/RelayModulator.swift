/// Turns a duty (0 to 1) into relay on/off by time-proportioning over a fixed window, while
/// honouring the relay's minimum on and off times.
///
/// Each window is off first, then on for `duty × window`. Off-first matters twice: when the duty
/// drops out of full power (arriving at a target) a new window starts at once, so the burner
/// cuts now rather than finishing a burn; and when the duty jumps to full power (cold food in
/// the wok) the off part shrinks to nothing, so the burner lights at once. Pulses too short for
/// the relay are carried into the next window instead of being lost, so a small duty still heats.
public struct RelayModulator: Sendable {
    public let timing: Station.RelayTiming
    public private(set) var command: BurnerCommand = .off
    /// Relay transitions so far, for wear accounting.
    public private(set) var switchCount = 0

    private var lastSwitchSeconds = -Double.infinity
    private var windowStartSeconds: Double?
    private var previousDuty = 0.0
    /// On-time owed by earlier windows whose pulse was too short for the relay.
    private var carrySeconds = 0.0
    private var dutySecondsThisWindow = 0.0
    private var onSecondsThisWindow = 0.0
    private var lastTickSeconds: Double?

    public init(timing: Station.RelayTiming) {
        self.timing = timing
    }

    /// Chooses the relay state for this tick.
    public mutating func output(duty requested: Double, nowSeconds now: Double) -> BurnerCommand {
        let duty = requested.isFinite ? min(max(requested, 0), 1) : 0
        account(until: now)
        let window = timing.windowSeconds

        if windowStartSeconds == nil || (previousDuty >= 1 && duty < 1) {
            startWindow(at: now)
        } else if let start = windowStartSeconds, now >= start + window {
            closeWindow()
            // Keep the cadence unless the loop fell far behind.
            startWindow(at: now - start < 2 * window ? start + window : now)
        }
        previousDuty = duty
        currentDuty = duty

        var plannedOnSeconds = duty * window + carrySeconds
        if duty <= 0 { plannedOnSeconds = 0 }
        if plannedOnSeconds < timing.minOnSeconds { plannedOnSeconds = 0 }
        if plannedOnSeconds > window - timing.minOffSeconds || duty >= 1 { plannedOnSeconds = window }
        let elapsed = now - (windowStartSeconds ?? now)
        var wanted: BurnerCommand = plannedOnSeconds > 0 && elapsed >= window - plannedOnSeconds ? .on : .off
        // Once a window's burn has begun it runs to the window's end: a duty that wobbles with
        // the sensor's noise must not chop one burn into several relay clicks.
        if onPhaseBegun && duty > 0 { wanted = .on }
        set(wanted, now: now)
        if command == .on { onPhaseBegun = true }
        return command
    }

    /// Forces the relay off now, ignoring the minimum on time (safety and stops come first).
    public mutating func forceOff(nowSeconds now: Double) {
        account(until: now)
        if command == .on {
            command = .off
            switchCount += 1
            lastSwitchSeconds = now
        }
        previousDuty = 0
        currentDuty = 0
    }

    private var currentDuty = 0.0
    private var onPhaseBegun = false

    private mutating func set(_ wanted: BurnerCommand, now: Double) {
        guard wanted != command else { return }
        let heldSeconds = now - lastSwitchSeconds
        let minimum = command == .on ? timing.minOnSeconds : timing.minOffSeconds
        // A tiny tolerance so a minimum that is a whole number of periods is not missed by rounding.
        guard heldSeconds + 1e-9 >= minimum else { return }
        command = wanted
        switchCount += 1
        lastSwitchSeconds = now
    }

    private mutating func account(until now: Double) {
        if let last = lastTickSeconds, now > last {
            let step = now - last
            dutySecondsThisWindow += currentDuty * step
            if command == .on { onSecondsThisWindow += step }
        }
        lastTickSeconds = now
    }

    private mutating func startWindow(at start: Double) {
        windowStartSeconds = start
        onPhaseBegun = false
        dutySecondsThisWindow = 0
        onSecondsThisWindow = 0
    }

    private mutating func closeWindow() {
        // Only on-time owed is carried (pulses too short to make); a burn rounded up to the whole
        // window is not paid back, which would cost a click for nothing: the controller's own
        // integral corrects a duty that runs a little hot.
        carrySeconds = min(max(carrySeconds + dutySecondsThisWindow - onSecondsThisWindow, 0), timing.minOnSeconds)
    }
}
