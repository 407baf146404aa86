public import WokCore

/// The promise the safety case makes for each injected fault: by when (world seconds) the monitor
/// must have latched a fault, from the moment the fault began to matter. These are the bounds
/// docs/safety.md states, written once so the campaign and the tests hold the monitor to them.
public enum DetectionBound {
    /// The target for faults the monitor finds from heat that does not arrive or does not stop
    /// (flame out, probe off the wok, welded relay): the safety issue's 30 s.
    public static let heatingFaultSeconds = 30.0
    /// A welded relay is owed a detection once the steel stands this far above its temperature
    /// when the burner was commanded off: the monitor's 3 °C rise, the sensor's lag behind the steel
    /// and the noise. Below that the welded burner is not heating the wok (a boiling load pins it).
    public static let weldedOverheatC = 8.0
    /// Slack for the tick grid: a fault strikes between ticks and is seen at the next.
    static let tickSlackSeconds = 1e-6

    /// Whether the monitor checks for this fault with no cook running (the wok idle or the cook
    /// over): faults it only judges during a cook are not owed a detection after the cook ends.
    /// A welded relay is watched idle too, but with a shut-off valve the gas stops when the cook
    /// ends, so there is nothing left to detect.
    public static func watchedWhenIdle(_ kind: InjectedFaultKind, hasValve: Bool) -> Bool {
        switch kind {
        case .relayWelded: !hasValve
        case .sensorOpen, .i2cErrors, .deviceGone, .spike: true
        case .sensorShort, .frozen, .flameOut, .sensorDetached, .loopStall, .clockJump, .cookAway: false
        }
    }

    /// Seconds from the fault becoming active to the latest allowed detection.
    public static func allowedSeconds(
        for outcome: FaultOutcome, station: Station, loadPhases: [ClosedRange<Double>]
    ) -> Double? {
        let period = station.control.periodSeconds
        let safety = station.safety
        switch outcome.kind {
        case .sensorOpen, .spike:
            return period
        case .clockJump:
            // The wall clock: the loop runs on the monotonic clock, so nothing is owed, and a
            // latch it alone would explain is a false trip.
            return nil
        case .sensorShort:
            // MCP9601: the short flag, at once. MCP9600: a drop to the board's temperature trips
            // the rate check at once; near the board's temperature the reading freezes instead.
            return safety.frozenReadingSeconds + 2 * period
        case .i2cErrors, .deviceGone:
            return safety.busErrorBoundSeconds + period
        case .frozen:
            // The simulated converter says when it converts: no new conversion for the bound.
            return station.noConversionBoundSeconds + 2 * period
        case .flameOut, .sensorDetached:
            // 30 s of burner-on time from the fault: a flame is missing only while gas is asked
            // for, and a cook that turned the burner off for a while owes nothing until it is back.
            guard let active = outcome.activeFromSeconds else { return nil }
            // Struck as a stage's food lands, it can pass for the food until the flame's proof.
            let landing = HeatArrivalPromise.landingWindowSeconds
            let asFoodLands = loadPhases.contains {
                $0.lowerBound <= outcome.injectedAtSeconds && outcome.injectedAtSeconds <= $0.lowerBound + landing
            }
            let extra = asFoodLands ? HeatArrivalPromise.landingAllowanceSeconds(station) : 0
            guard let owed = outcome.heatOwedAtSeconds else {
                // Caught before the burner had been on that long: a success whenever it came.
                return outcome.detectedAtSeconds.map { max(heatingFaultSeconds + extra, $0 - active) }
            }
            return owed - active + extra
        case .relayWelded:
            // 30 s from the burner being told off, but not before the welded burner has heated the
            // wok (plus the settling the monitor waits for and a tick).
            guard let active = outcome.activeFromSeconds else { return nil }
            guard let overheated = outcome.overheatedAtSeconds else {
                // Caught before it heated anything: a success whenever it came.
                return outcome.detectedAtSeconds.map { max(heatingFaultSeconds, $0 - active) }
            }
            let settle = station.control.sensorDeadTimeSeconds + 3 * station.control.sensorLagSeconds
            return max(heatingFaultSeconds, overheated - active + settle + 2 * period)
        case .loopStall:
            // The first tick after the stall sees the gap, however long it was.
            guard let cleared = outcome.clearedAtSeconds else { return nil }
            return cleared - outcome.injectedAtSeconds + period
        case .cookAway:
            return safety.unattendedHoldSeconds + 2 * period
        }
    }

    /// The world time by which detection is owed, or nil when none is: the fault never became
    /// active, an earlier fault had already stopped the cook, or the monitor only watches for it
    /// during a cook and the cook ended (normally) before the deadline.
    public static func deadline(
        for outcome: FaultOutcome, station: Station, result: SimulationResult, hasValve: Bool
    ) -> Double? {
        let idleToo = watchedWhenIdle(outcome.kind, hasValve: hasValve)
        guard outcome.cookRunningAtInjection || idleToo,
            let active = outcome.activeFromSeconds,
            let allowed = allowedSeconds(for: outcome, station: station, loadPhases: result.loadPhases)
        else { return nil }
        if let first = result.firstFaultAtSeconds, first < outcome.injectedAtSeconds { return nil }
        var deadline = active + allowed + tickSlackSeconds
        // Nothing is seen while the loop is stalled: a stall overlapping the allowance pushes the
        // deadline to the first tick after it (which latches the stall itself).
        for stall in result.faults where stall.kind == .loopStall && stall.injectedAtSeconds < deadline {
            if let end = stall.clearedAtSeconds, end > active {
                deadline = max(deadline, end + station.control.periodSeconds + tickSlackSeconds)
            }
        }
        // Heat faults are judged only while the cook asks for heat: a recipe's burner-off stage
        // ends the watch as surely as the cook's end.
        var ended = result.cookEndedAtSeconds
        if outcome.kind == .flameOut || outcome.kind == .sensorDetached, let heat = result.lastHeatWantedAtSeconds {
            ended = min(ended ?? .infinity, heat + station.control.periodSeconds)
        }
        if !idleToo, let ended, ended < deadline,
            (outcome.detectedAtSeconds ?? .infinity) > ended
        {
            return nil
        }
        // The run (the cook and its idle tail) ended before the deadline: what the monitor would
        // have done after it is not simulated, so a fault struck in the run's last moments is not
        // judged.
        if deadline > result.simulatedSeconds, (outcome.detectedAtSeconds ?? .infinity) > result.simulatedSeconds {
            return nil
        }
        // A cause that cleared before anything could see it is owed nothing (a spike between ticks
        // is seen; a bus error shorter than its bound is meant to be ridden out).
        if let cleared = outcome.clearedAtSeconds, outcome.kind != .loopStall, cleared < deadline,
            (outcome.detectedAtSeconds ?? .infinity) > cleared
        {
            return nil
        }
        return deadline
    }
}
