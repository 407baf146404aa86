/// The mean of the last `capacity` samples, in constant time per sample. Averaged over exactly
/// one relay window, the on/off ripple cancels out and what is left is the real error.
public struct MovingAverage: Sendable {
    public let capacity: Int
    private var samples: [Double]
    private var next = 0
    private var count = 0
    private var sum = 0.0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        samples = Array(repeating: 0, count: self.capacity)
    }

    public mutating func add(_ value: Double) {
        if count == capacity { sum -= samples[next] } else { count += 1 }
        samples[next] = value
        sum += value
        next = (next + 1) % capacity
    }

    public mutating func reset() {
        count = 0
        next = 0
        sum = 0
    }

    /// The mean so far; nil before the first sample.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }
}
