/// A token bucket per client address: `burst` requests at once, then `perSecond`. The table is
/// bounded: past `maxAddresses` the address seen longest ago is forgotten. Time is passed in.
public struct RateLimiter: Sendable {
    public let burst: Double
    public let perSecond: Double
    public let maxAddresses: Int
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    public init(burst: Double, perSecond: Double, maxAddresses: Int = 256) {
        self.burst = burst
        self.perSecond = perSecond
        self.maxAddresses = maxAddresses
    }

    /// Whether a request from `address` at `now` (seconds, monotonic) may go on; spends a token if so.
    public mutating func allow(_ address: String, now: Double) -> Bool {
        var bucket = buckets[address] ?? (tokens: burst, at: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.at) * perSecond)
        bucket.at = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if buckets[address] == nil, buckets.count >= maxAddresses,
            let oldest = buckets.min(by: { $0.value.at < $1.value.at })?.key
        {
            buckets.removeValue(forKey: oldest)
        }
        buckets[address] = bucket
        return allowed
    }

    public var trackedAddresses: Int { buckets.count }
}
