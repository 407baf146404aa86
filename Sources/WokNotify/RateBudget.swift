/// A token bucket: `perMinute` sends a minute on average, at most `perMinute` at once after a
/// quiet spell. Time is passed in, so tests need no clock.
public struct RateBudget: Sendable, Equatable {
    public let perMinute: Int
    private var tokens: Double
    private var lastSeconds: Double?

    public init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
        tokens = Double(self.perMinute)
    }

    /// Takes one send from the budget if there is one.
    public mutating func take(atSeconds now: Double) -> Bool {
        if let lastSeconds, now > lastSeconds {
            tokens = min(Double(perMinute), tokens + (now - lastSeconds) * Double(perMinute) / 60)
        }
        if lastSeconds.map({ now > $0 }) ?? true { lastSeconds = now }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
