/// The relay's wear limit, as a guarantee rather than an aim: one burn per station window,
/// counted over any span of as many whole windows as fit in a minute. For the 10 s window, at
/// most 6 burns begin in any 60 s: any, because the span slides (it is not a clock minute, nor a
/// stage).
///
/// A burn is one on/off cycle of the relay, the unit its wear is rated in, and two switches, so
/// that is 12 switches a minute over any stretch of a minute or more. Any one span of 60 s holds
/// at most 13: its 6 burns, and the off of a burn begun just before it.
///
/// Only the start of a burn asks the budget; an off is never refused (off wins: a fault, a stage
/// whose heat is off, the end of a window) and needs nothing of its own, since the burn it ends was
/// charged in full when it began. So however a controller, a plant, the food or a blinking sensor
/// asks, the relay cannot cycle faster.
///
/// Counting switches instead (at most 12 in any 60 s) would have to charge each burn's off at its
/// start, at the earliest it may come (the relay's minimum on time); steady windows of one burn
/// each would then have to be 5 to 10 % longer than the station's, and hold a wider ripple. A
/// shorter span (a burn per sliding window) would forbid any burn longer than the one before.
public struct RelaySwitchBudget: Sendable, Equatable {
    /// The span the burns are counted over: whole windows, a minute or less (one window at least).
    public let spanSeconds: Double
    /// The most burns that may begin in any span: one per window in it.
    public let burnsPerSpan: Int
    /// When the burns within the latest span began, oldest first.
    private var recentBurns: [Double] = []

    /// Tolerance for times on the control period's grid: a burn begun exactly a span ago has left it.
    private static let slackSeconds = 1e-9

    public init(timing: Station.RelayTiming) {
        let window = max(timing.windowSeconds, 1e-3)
        let windows = max(1, (60 / window + Self.slackSeconds).rounded(.down))
        spanSeconds = windows * window
        burnsPerSpan = Int(windows)
    }

    /// Burns begun in the span `(now - spanSeconds, now]`.
    public func burns(inSpanEndingAt now: Double) -> Int {
        recentBurns.reduce(0) { $0 + (Self.counts($1, at: now, spanSeconds: spanSeconds) ? 1 : 0) }
    }

    /// Whether a burn may begin now.
    public func allowsBurn(atSeconds now: Double) -> Bool {
        burns(inSpanEndingAt: now) < burnsPerSpan
    }

    /// The earliest moment, from `now` on, at which a burn may begin.
    public func burnAllowedAtSeconds(from now: Double) -> Double {
        let inSpan = recentBurns.filter { Self.counts($0, at: now, spanSeconds: spanSeconds) }
        let excess = inSpan.count - burnsPerSpan + 1
        guard excess > 0 else { return now }
        // The burn waits until enough of the oldest have left the span.
        return inSpan[excess - 1] + spanSeconds
    }

    /// The earliest moment for the burn after one that begins at `now`.
    public func nextBurnAllowedAtSeconds(afterBurnAt now: Double) -> Double {
        var after = self
        after.recordBurn(atSeconds: now)
        return after.burnAllowedAtSeconds(from: now)
    }

    /// Notes that a burn began at `now`.
    mutating func recordBurn(atSeconds now: Double) {
        let span = spanSeconds
        recentBurns.removeAll { $0 < now && !Self.counts($0, at: now, spanSeconds: span) }
        recentBurns.append(now)
    }

    /// Whether a burn begun at `seconds` is inside the span ending at `now` (a time ahead of `now`,
    /// from a clock that went back, is counted: the budget errs towards fewer burns).
    private static func counts(_ seconds: Double, at now: Double, spanSeconds: Double) -> Bool {
        seconds > now - spanSeconds + slackSeconds
    }
}
