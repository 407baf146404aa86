/// Judges a good reading against the one before: a converter that stopped converting (the same
/// raw value over and over) and a jump no wok can make (a spike, a shorted probe on an MCP9600).
struct ReadingWatch: Sendable {
    private var lastRaw: Int16?
    private var sameRawSinceSeconds = 0.0
    private var lastC: Double?
    private var lastSeconds = 0.0

    enum Finding: Sendable, Equatable {
        case frozen(seconds: Double, celsius: Double)
        case jump(fromC: Double, toC: Double, seconds: Double)
    }

    /// Forgets the history (a gap in the readings, or no cook to judge frozen readings by).
    mutating func forgetFrozenHistory() {
        lastRaw = nil
    }

    mutating func observe(
        _ sample: ThermocoupleSample, nowSeconds now: Double, settings: Station.SafetySettings, periodSeconds: Double,
        judgeFrozen: Bool
    ) -> Finding? {
        var finding: Finding?
        if let previous = lastC {
            // Allow at least one period's worth, so an extra tick soon after another (a command
            // applied at once) is not judged by a tiny dt.
            let dt = max(now - lastSeconds, periodSeconds)
            if abs(sample.hotC - previous) > settings.maxRateCPerSecond * dt {
                finding = .jump(fromC: previous, toC: sample.hotC, seconds: now - lastSeconds)
            }
        }
        lastC = sample.hotC
        lastSeconds = now

        if judgeFrozen, lastRaw == sample.rawHot {
            // Slack so a bound of N periods trips on the Nth repeat, not the N+1th.
            if finding == nil, now - sameRawSinceSeconds + 1e-9 >= settings.frozenReadingSeconds {
                finding = .frozen(seconds: now - sameRawSinceSeconds, celsius: sample.hotC)
            }
        } else {
            sameRawSinceSeconds = now
        }
        lastRaw = judgeFrozen ? sample.rawHot : nil
        return finding
    }
}

/// Judges the converter's own word on each reading: a converter that says whether a reading comes
/// from a new conversion (the MCP9600's "T_H updated" flag, cleared by the driver at each read)
/// and has said "no" for longer than a healthy one can has stopped converting, however the
/// reading looks. Readings that do not say (nil) are not judged and restart the count.
struct ConversionWatch: Sendable {
    /// When a reading last came from a new conversion (or the count began).
    private var lastFreshSeconds: Double?

    /// Seconds without a new conversion, once that reaches `boundSeconds`; nil otherwise.
    mutating func observe(_ sample: ThermocoupleSample, nowSeconds now: Double, boundSeconds: Double) -> Double? {
        guard let fresh = sample.freshConversion else {
            lastFreshSeconds = nil
            return nil
        }
        guard !fresh, let since = lastFreshSeconds else {
            lastFreshSeconds = now
            return nil
        }
        // Slack so a bound of N periods trips on the Nth stale reading, not the N+1th.
        return now - since + 1e-9 >= boundSeconds ? now - since : nil
    }
}

extension Station {
    /// The least bound on a converter going without a new conversion that a healthy one always
    /// meets here. A conversion cycle takes at most the hot-junction conversion at the configured
    /// resolution plus a cold-junction conversion (counted in case the converter runs one between
    /// hot ones); twice that allows for the data sheet's figures being typical; the read that
    /// sees the flag comes up to one control period after it is set. At 16 bits and 0.25 s:
    /// 2 × (0.08 + 0.25) + 0.25 = 0.91 s.
    public var leastNoConversionSeconds: Double {
        let thermocouple = devices?.thermocouple ?? ThermocoupleSettings()
        let cycle = thermocouple.hotConversionSeconds + ThermocoupleSettings.coldConversionSeconds
        return ((2 * cycle + control.periodSeconds) * 1000).rounded() / 1000
    }

    /// How long the safety monitor lets a converter go without a new conversion: the station's
    /// `safety.noConversionSeconds`, or the least bound the converter allows.
    public var noConversionBoundSeconds: Double { safety.noConversionSeconds ?? leastNoConversionSeconds }
}
