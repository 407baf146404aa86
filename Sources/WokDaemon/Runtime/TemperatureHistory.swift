public import WokWire

/// The last minutes of the cook, one sample per second of cook time, so a watcher that joins
/// mid-cook can draw its chart at once. Bounded: old samples fall off the front.
public struct TemperatureHistory: Sendable {
    public typealias Sample = TemperaturePoint

    public let capacity: Int
    public let intervalSeconds: Double
    public private(set) var samples: [Sample] = []
    private var start = 0
    private var lastSampleSeconds = -Double.infinity

    public init(capacity: Int = 600, intervalSeconds: Double = 1) {
        self.capacity = max(1, capacity)
        self.intervalSeconds = intervalSeconds
    }

    /// Records a tick if a sample interval has passed since the last sample.
    public mutating func observe(_ sample: Sample) {
        guard sample.timeSeconds - lastSampleSeconds >= intervalSeconds else { return }
        lastSampleSeconds = sample.timeSeconds
        if samples.count < capacity {
            samples.append(sample)
        } else {
            samples[start] = sample
            start = (start + 1) % capacity
        }
    }

    /// Oldest first.
    public var ordered: [Sample] {
        Array(samples[start...] + samples[..<start])
    }

    /// The samples as a subscription carries them, oldest first.
    public var points: [TemperaturePoint] { ordered }
}
