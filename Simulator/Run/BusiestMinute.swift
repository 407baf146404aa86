/// The most relay switches seen in any minute: the relay's wear limit is a count a minute, and a
/// stage's average can hide a burst of switching inside it.
struct BusiestMinute: Sendable {
    static let spanSeconds = 60.0
    /// Switch times within the last minute, oldest first.
    private var recent: [Double] = []
    private(set) var most = 0

    /// Notes `count` switches at `seconds` (times never go back).
    mutating func switched(_ count: Int, atSeconds seconds: Double) {
        guard count > 0 else { return }
        // A minute is the half-open span (t - 60 s, t]: switches exactly a minute apart are in
        // different minutes, as the relay's budget counts them.
        recent.removeAll { $0 <= seconds - Self.spanSeconds + 1e-9 }
        recent += Array(repeating: seconds, count: count)
        most = max(most, recent.count)
    }
}
