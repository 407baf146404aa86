public import WokWire

/// How punctual the control loop is: each tick's lateness against its absolute deadline.
public struct LoopStatistics: Sendable {
    public private(set) var ticks = 0
    /// Deadlines passed by more than a whole period; those ticks were skipped, not bunched up.
    public private(set) var missedDeadlines = 0
    private var latenessSeconds: [Double] = []
    private var next = 0
    private let capacity: Int

    public init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    mutating func record(latenessSeconds lateness: Double, missed: Int) {
        ticks += 1
        missedDeadlines += missed
        if latenessSeconds.count < capacity {
            latenessSeconds.append(lateness)
        } else {
            latenessSeconds[next] = lateness
            next = (next + 1) % capacity
        }
    }

    /// Lateness at quantile `q` (0...1) over the recent ticks, in seconds.
    public func latenessSeconds(quantile q: Double) -> Double? {
        guard !latenessSeconds.isEmpty else { return nil }
        let sorted = latenessSeconds.sorted()
        let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))
        return sorted[index]
    }

    /// The figures for the snapshot's `loop` member, in milliseconds to two decimals.
    /// One sort for all three quantiles.
    public var figures: StationSnapshot.LoopFigures {
        let sorted = latenessSeconds.sorted()
        func ms(_ q: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let index = min(sorted.count - 1, max(0, Int((q * Double(sorted.count - 1)).rounded())))
            return (sorted[index] * 1e5).rounded() / 100
        }
        return StationSnapshot.LoopFigures(
            ticks: ticks, missedDeadlines: missedDeadlines, latenessP50Ms: ms(0.5), latenessP99Ms: ms(0.99), latenessMaxMs: ms(1))
    }
}
