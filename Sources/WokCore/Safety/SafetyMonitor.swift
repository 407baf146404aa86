/// The supervisor beside the controller. It sees every reading, every relay command and what the
/// cook is doing, can only turn the burner off (the loop also closes the shut-off valve for faults
/// that distrust the relay), and once tripped stays tripped until a person acknowledges a cleared
/// cause. Every check and its bound is described in docs/safety.md.
public struct SafetyMonitor: Sendable {
    public let limits: Station.Limits
    public let settings: Station.SafetySettings
    public let periodSeconds: Double
    /// How long after the burner goes off the reading may still climb (dead time plus lags).
    public let settleSeconds: Double
    public private(set) var latched: SafetyFault?
    /// Whether the wok was seen heating with the burner off since the latch (or ever, with none):
    /// whatever fault came first, the gas then has to be closed by hand.
    public private(set) var heatingSeenWhileOff = false
    private var firstBusErrorSeconds: Double?
    private var busErrorsAllNoDevice = true
    private var reading = ReadingWatch()
    private var heating = HeatingWatch()
    private var heatArrival: HeatArrivalWatch
    private var timing = LoopStallWatch()
    private var conversion = ConversionWatch()
    /// How long the converter may go without a new conversion (`Station.noConversionBoundSeconds`).
    public let noConversionBoundSeconds: Double
    /// The flame-proven input's watch, on a station that has one.
    private var flame: FlameWatch?
    /// What the latest reading of the flame-proven input showed wrong, latch aside: a flame that
    /// should not be there, none where one should be, or an input that did not answer.
    private var latestFlameProblem: String?
    /// The latest reading of the flame-proven input failed: the burner stays off.
    private var flameUnreadable = false
    /// What the latest tick showed on its own, latch aside: decides whether a cause persists.
    private var latestFinding: Finding?
    /// The latest reading as a person should see it, latched or not; nil when it did not decode.
    /// Never used for control: the gate goes by the verdict alone.
    public private(set) var shownReading: ShownReading?

    private enum Finding: Sendable {
        case healthy(celsius: Double)
        case unreadable(SensorFault)
        case faulty(FaultKind, String)

        var isFaulty: Bool { if case .faulty = self { true } else { false } }

        var faultKind: FaultKind? { if case .faulty(let kind, _) = self { kind } else { nil } }
    }

    public init(station: Station) {
        limits = station.limits
        settings = station.safety
        periodSeconds = station.control.periodSeconds
        settleSeconds = station.control.sensorDeadTimeSeconds + HeatingWatch.settleLags * station.control.sensorLagSeconds
        heatArrival = HeatArrivalWatch(figures: HeatArrivalWatch.Figures(station: station))
        noConversionBoundSeconds = station.noConversionBoundSeconds
        flame = station.devices?.flameSense.map {
            FlameWatch(
                ignitionTrialSeconds: $0.ignitionTrialSeconds, periodSeconds: station.control.periodSeconds,
                readFailureBoundSeconds: station.safety.busErrorBoundSeconds)
        }
    }

    /// Judges one reading taken at `now`; `context` says what the cook and control are doing;
    /// `flame` is the flame-proven input's reading, on a station that has one (see `FlameWatch`).
    public mutating func check(
        nowSeconds now: Double, reading sensorReading: Result<ThermocoupleSample, SensorFault>,
        context: SafetyContext = .idle, flame flameReading: Result<FlameState, FlameSenseFailure>? = nil
    ) -> SafetyVerdict {
        var finding = judge(now: now, reading: sensorReading, context: context)
        if let flameFinding = judgeFlame(now: now, reading: flameReading), !finding.isFaulty {
            finding = flameFinding
        }
        latestFinding = finding
        if case .faulty(let kind, let reason) = finding, latched == nil {
            latched = SafetyFault(kind: kind, reason: reason, detectedAtSeconds: now)
        }
        shownReading = ShownReading.of(sensorReading, latched: latched?.kind, foundNow: finding.faultKind)
        if let latched { return .tripped(latched) }
        switch finding {
        case .healthy(let celsius): return .trusted(celsius: celsius)
        case .unreadable(let fault): return .blind(fault)
        case .faulty(let kind, let reason): return .tripped(SafetyFault(kind: kind, reason: reason, detectedAtSeconds: now))
        }
    }

    /// Tells the monitor what the relay was set to; it holds until the next reading.
    public mutating func recordBurner(_ command: BurnerCommand, nowSeconds now: Double) {
        heating.burnerCommanded(command, nowSeconds: now)
        heatArrival.burnerCommanded(command, nowSeconds: now)
        flame?.burnerCommanded(command, nowSeconds: now)
    }

    /// Judges the flame-proven input; a fault, or nil. An unreadable input turns the burner off
    /// at once (through `gate`) and latches once it has lasted the bus-error bound.
    private mutating func judgeFlame(now: Double, reading: Result<FlameState, FlameSenseFailure>?) -> Finding? {
        latestFlameProblem = nil
        flameUnreadable = false
        guard let reading, let finding = flame?.observe(reading, nowSeconds: now) else { return nil }
        let seconds = { (value: Double) in formatNumber(roundTenth(value)) }
        switch finding {
        case .lost(let onSeconds):
            let trial = formatNumber(flame?.ignitionTrialSeconds ?? 0)
            let reason =
                "the ignition controller proves no flame with the burner on for \(seconds(onSeconds)) s (its trial for ignition is \(trial) s): the flame is out, the gas empty, or it did not light"
            latestFlameProblem = reason
            return .faulty(.flameLost, reason)
        case .presentWhileOff(let offSeconds):
            let reason =
                "the ignition controller proves a flame with the burner off for \(seconds(offSeconds)) s: the relay may be welded or the gas valve stuck open. Close the gas at the shut-off valve or the bottle now"
            latestFlameProblem = reason
            return .faulty(.flameWhileOff, reason)
        case .unreadable(let failure, let forSeconds, let latch):
            flameUnreadable = true
            latestFlameProblem = "\(failure)"
            guard latch else { return nil }
            return .faulty(
                .flameSenseFailed,
                "the flame-proven input has not been readable for \(seconds(forSeconds)) s (\(failure.reason)); the burner stays off until it answers"
            )
        }
    }

    private mutating func judge(
        now: Double, reading sensorReading: Result<ThermocoupleSample, SensorFault>, context: SafetyContext
    ) -> Finding {
        // Every watch sees every tick, so its history stays whole; the first finding wins.
        let timingFinding = timing.observe(nowSeconds: now, maxGapSeconds: settings.maxTickGapSeconds)

        let sensorFinding = judgeSensor(now: now, reading: sensorReading)
        guard case .healthy(let celsius) = sensorFinding, case .success(let sample) = sensorReading else {
            // Nothing to compare the next reading with.
            heatArrival.reset()
            return Self.timingFaulty(timingFinding, context, maxTickGapSeconds: settings.maxTickGapSeconds) ?? sensorFinding
        }
        var found = Self.timingFaulty(timingFinding, context, maxTickGapSeconds: settings.maxTickGapSeconds)
        if celsius >= limits.maxC {
            note(
                &found,
                .faulty(.overLimit, "wok at \(formatCelsius(celsius)) °C, at or above the station's limit of \(formatCelsius(limits.maxC)) °C"))
        }
        let readingFinding = reading.observe(
            sample, nowSeconds: now, settings: settings, periodSeconds: periodSeconds,
            // Judged during a cook, and after a latch so a still-frozen converter refuses the ack.
            judgeFrozen: context.cookRunning || latched?.kind == .sensorFrozen)
        switch readingFinding {
        case .jump(let from, let to, let seconds)?:
            note(
                &found,
                .faulty(
                    .sensorRate,
                    "the reading jumped from \(formatCelsius(from)) to \(formatCelsius(to)) °C in \(formatNumber(roundTenth(seconds))) s, faster than any wok heats or cools: a loose or damaged thermocouple, or interference"
                ))
        case .frozen(let seconds, let frozenC)?:
            note(
                &found,
                .faulty(
                    .sensorFrozen,
                    "the sensor has returned exactly \(formatCelsius(frozenC)) °C for \(formatNumber(roundTenth(seconds))) s; a live reading always wavers, so the converter has stopped"
                ))
        case nil: break
        }
        if let stale = conversion.observe(sample, nowSeconds: now, boundSeconds: noConversionBoundSeconds) {
            note(
                &found,
                .faulty(
                    .sensorFrozen,
                    "the converter reports no new conversion for \(formatNumber(roundTenth(stale))) s (its \"updated\" flag stays clear): it has stopped converting, so the reading is stale"
                ))
        }
        // Before the latch, a rise over the whole off stretch trips (a load can make it slow);
        // after it, only a recent rise counts as the cause persisting, so the valve closing and
        // the wok cooling lets a person acknowledge.
        if let rises = heating.riseWhileOffC(celsius: celsius, nowSeconds: now, settleSeconds: settleSeconds),
            let rise = Optional(latched == nil ? rises.sinceSettled : rises.recent), rise >= settings.heatingWhileOffRiseC
        {
            heatingSeenWhileOff = true
            note(
                &found,
                .faulty(
                    .heatingWhileOff,
                    "the wok rose \(formatCelsius(rise)) °C with the burner off for \(formatNumber(roundTenth(settleSeconds))) s or more: the relay may be welded or the gas valve stuck open. Close the gas at the shut-off valve or the bottle now"
                ))
        }
        // Judged while nothing is latched: after a fault the burner is off and the cook over.
        let arrival = heatArrival.observe(celsius: celsius, boardC: sample.coldC, nowSeconds: now, context: context, judging: latched == nil)
        if case .noFlameInProof(let expected, let dropped, let pulse)? = arrival {
            note(
                &found,
                .faulty(
                    .heatNotArriving,
                    "a flame check after the food went in found no flame: with the burner held off for \(formatNumber(roundTenth(pulse))) s the wok cooled \(formatCelsius(roundTenth(dropped))) °C faster than before, where a lit flame going off makes it at least \(formatCelsius(roundTenth(expected))) °C. The flame may be out or the gas empty"
                ))
        }
        if case .heatMissing(let shortfall, let seconds, let flameExpected)? = arrival {
            let fell =
                "the reading has been \(formatCelsius(roundTenth(shortfall))) °C under the least the wok can do for \(formatNumber(roundTenth(seconds))) s"
            note(
                &found,
                flameExpected
                    ? .faulty(
                        .heatNotArriving,
                        "the burner is on but its heat is not arriving: \(fell). The flame may be out, the gas empty, or the thermocouple off the wok"
                    )
                    : .faulty(
                        .implausibleCooling,
                        "with the burner off, \(fell): the thermocouple may be off the wok, or food landed that the recipe did not announce"))
        }
        if context.cookRunning {
            if let overdue = context.confirmOverdueSeconds, overdue + 1e-9 >= settings.unattendedHoldSeconds {
                note(
                    &found,
                    .faulty(
                        .unattended,
                        "nobody has confirmed the waiting stage for \(formatNumber(roundTenth(overdue))) s after it dropped to the safe hold; the burner is off until someone comes back"
                    ))
            } else if context.cookElapsedSeconds + 1e-9 >= context.cookPlannedSeconds + settings.cookOverrunMarginSeconds {
                note(
                    &found,
                    .faulty(
                        .unattended,
                        "the cook has run \(formatNumber(roundTenth(context.cookElapsedSeconds / 60))) min, more than its recipe's plan of \(formatNumber(roundTenth(context.cookPlannedSeconds / 60))) min plus \(formatNumber(roundTenth(settings.cookOverrunMarginSeconds / 60))) min; the burner is off until someone comes back"
                    ))
            }
        }
        return found ?? sensorFinding
    }

    /// Static, with the one setting it needs: a method would take the whole monitor by value,
    /// and `judge` (which holds it in place) would copy all of it for each call.
    private static func timingFaulty(_ finding: LoopStallWatch.Finding?, _ context: SafetyContext, maxTickGapSeconds: Double) -> Finding? {
        // Only a running cook has a burner that an unsupervised gap could leave on; idle gaps
        // (a suspended machine, a slow start) are not faults.
        guard context.cookRunning, let finding else { return nil }
        switch finding {
        case .backwards(let seconds):
            return .faulty(
                .clockJump,
                "the control loop's clock went back \(formatNumber(roundTenth(seconds))) s, which its monotonic clock never does; every timer of the cook is in doubt"
            )
        case .stalled(let gap):
            return .faulty(
                .loopStalled,
                "the control loop stalled for \(formatNumber(roundTenth(gap))) s (over the bound of \(formatNumber(maxTickGapSeconds)) s between ticks) with the burner left as it was"
            )
        }
    }

    private mutating func judgeSensor(now: Double, reading: Result<ThermocoupleSample, SensorFault>) -> Finding {
        switch reading {
        case .success(let sample):
            firstBusErrorSeconds = nil
            guard sample.hotC.isFinite else {
                return .faulty(.sensorImplausible, "the sensor reported a temperature that is not a number")
            }
            return .healthy(celsius: sample.hotC)
        case .failure(let fault):
            switch fault {
            case .openCircuit:
                return .faulty(.sensorOpen, "the thermocouple reads open: check its plug and wire")
            case .shortCircuit:
                return .faulty(.sensorShort, "the thermocouple reads shorted: check its wire for damage")
            case .inputRangeExceeded:
                return .faulty(.sensorRange, "the thermocouple input is out of range: probe disconnected or damaged")
            case .implausible(let celsius):
                return .faulty(.sensorImplausible, "the sensor reported an impossible \(formatCelsius(celsius)) °C")
            case .bus(let failure):
                if firstBusErrorSeconds == nil { busErrorsAllNoDevice = true }
                let since = firstBusErrorSeconds ?? now
                firstBusErrorSeconds = since
                if failure != .noDevice { busErrorsAllNoDevice = false }
                // Compare with a little slack so a bound of N periods trips on the Nth, not N+1th.
                if now - since + 1e-9 >= settings.busErrorBoundSeconds {
                    let seconds = formatNumber(roundTenth(now - since))
                    if busErrorsAllNoDevice {
                        return .faulty(
                            .deviceGone,
                            "the temperature sensor has vanished from the bus for \(seconds) s (no device answers at its address): check its cable and power"
                        )
                    }
                    return .faulty(.busErrors, "the temperature sensor has not answered for \(seconds) s (\(failure))")
                }
                return .unreadable(fault)
            }
        }
    }

    /// Latches a fault found outside the reading path (a relay that would not switch).
    public mutating func trip(_ fault: SafetyFault) {
        if latched == nil { latched = fault }
    }

    /// The final word on the relay: whatever control asked, off unless the reading was trusted.
    public func gate(_ command: BurnerCommand, verdict: SafetyVerdict) -> BurnerCommand {
        guard latched == nil, !flameUnreadable, case .trusted = verdict, !heatArrival.holdsBurnerOff else { return .off }
        return command
    }

    /// A person clears the latch; refused while the latest tick still shows a problem.
    public mutating func acknowledge() throws(AcknowledgeError) -> FaultKind {
        guard let fault = latched else { throw .nothingLatched }
        if let latestFlameProblem { throw .causePersists(latestFlameProblem) }
        switch latestFinding {
        case .healthy?: break
        case .unreadable(let sensorFault)?: throw .causePersists(sensorFault.description)
        case .faulty(_, let reason)?: throw .causePersists(reason)
        case nil: throw .causePersists("no reading since the fault")
        }
        latched = nil
        heatingSeenWhileOff = false
        return fault.kind
    }

    /// Whether the latest tick, latch aside, found a fault of its own.
    public var causePersists: Bool { (latestFinding?.isFaulty ?? false) || latestFlameProblem != nil }
}

/// Keeps the first finding of a tick: the checks run in order of priority.
private func note<Found>(_ found: inout Found?, _ finding: @autoclosure () -> Found) {
    if found == nil { found = finding() }
}

private func roundTenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }
