/// Watches the time the loop is handed. The loop runs on the monotonic clock, so a gap between
/// ticks is the loop not running (a stopped or starved process, a blocked call), however long it
/// is: the relay sat unsupervised that long, and the gap is reported as a stall with its length.
/// A forward step of the wall clock never reaches the loop (the daemon reports it). The
/// monotonic clock never goes back; if the time handed to the loop does, its source is broken
/// and every duration of the cook is in doubt.
struct LoopStallWatch: Sendable {
    private var lastSeconds: Double?

    enum Finding: Sendable, Equatable {
        case backwards(bySeconds: Double)
        case stalled(gapSeconds: Double)
    }

    /// Seconds since the previous tick (0 for the first).
    private(set) var gapSeconds = 0.0

    mutating func observe(nowSeconds now: Double, maxGapSeconds: Double) -> Finding? {
        defer { lastSeconds = now }
        guard let last = lastSeconds else {
            gapSeconds = 0
            return nil
        }
        gapSeconds = now - last
        if gapSeconds < 0 { return .backwards(bySeconds: -gapSeconds) }
        if gapSeconds > maxGapSeconds + 1e-9 { return .stalled(gapSeconds: gapSeconds) }
        return nil
    }
}
