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
