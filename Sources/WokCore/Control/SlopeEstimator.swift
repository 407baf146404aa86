/// The rate of change of a noisy signal: a least-squares line through the last few samples.
/// Fitting a line, rather than differencing two readings, keeps the sensor's noise and its
/// 0.0625 °C steps from turning into large false slopes.
public struct SlopeEstimator: Sendable {
    public let capacity: Int
    private var times: [Double]
    private var values: [Double]
    private var next = 0
    private var count = 0

    /// `capacity` samples are kept (bounded; at least 2).
    public init(capacity: Int) {
        self.capacity = max(2, capacity)
        times = Array(repeating: 0, count: self.capacity)
        values = Array(repeating: 0, count: self.capacity)
    }

    public mutating func add(timeSeconds: Double, value: Double) {
        times[next] = timeSeconds
        values[next] = value
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
    }

    public mutating func reset() {
        count = 0
        next = 0
    }

    /// Whether enough samples have arrived for a slope.
    public var isReady: Bool { count >= max(2, capacity / 2) }

    /// The mean of the samples kept: the value at the middle of the fitted line.
    public var meanValue: Double {
        guard count > 0 else { return 0 }
        var sum = 0.0
        for index in 0..<count { sum += values[index] }
        return sum / Double(count)
    }

    /// Units of value per second; 0 until two samples have arrived.
    public var slopePerSecond: Double {
        guard count >= 2 else { return 0 }
        var meanT = 0.0
        var meanV = 0.0
        for index in 0..<count {
            meanT += times[index]
            meanV += values[index]
        }
        meanT /= Double(count)
        meanV /= Double(count)
        var covariance = 0.0
        var variance = 0.0
        for index in 0..<count {
            let dt = times[index] - meanT
            covariance += dt * (values[index] - meanV)
            variance += dt * dt
        }
        return variance > 0 ? covariance / variance : 0
    }
}
