/// A lower bound on the reading, started from the observer's model of the wok at one moment.
///
/// Its dead-time line (the steel temperatures still on their way to the junction) is kept by
/// whoever holds the bound: a lone bound in an array of its own (`HeatBound.Line`), the watch's
/// bounds in one shared buffer (`HeatBoundRing`), so stepping a bound never copies or allocates.
struct HeatBound: Sendable {
    let startedAtSeconds: Double
    let allowanceC: Double
    private let startSteelC: Double
    private let startNetRate: Double
    private let startFlameShare: Double
    private(set) var steelC: Double
    private(set) var junctionC: Double
    /// The oldest entry of the dead-time line, counted from the line's start.
    private var delayHead = 0
    private let lagSeconds: Double
    private let periodSeconds: Double

    /// How much the allowance grows each second the bound lives (the start's own uncertainty).
    let driftCPerSecond: Double

    /// A bound from the observer's state now; its dead-time line must be filled with the
    /// observer's `pendingSteelC`, oldest first.
    init(observer: WokObserver, flameLit: Bool, startedAtSeconds: Double, allowanceC: Double, driftCPerSecond: Double = 0) {
        self.startedAtSeconds = startedAtSeconds
        self.allowanceC = allowanceC
        self.driftCPerSecond = driftCPerSecond
        startSteelC = observer.wokC
        startFlameShare = flameLit ? 1 : 0
        startNetRate = observer.netRateCPerSecond(flameShare: startFlameShare)
        steelC = observer.wokC
        junctionC = observer.junctionC
        lagSeconds = observer.lagSeconds
        periodSeconds = observer.periodSecondsForModel
    }

    /// Runs the bound on by `seconds`, of which the flame should have burnt `flameShare`. Its
    /// dead-time line is `line[start..<start + length]`.
    mutating func advance(
        seconds: Double, flameShare share: Double, figures: HeatArrivalWatch.Figures, line: inout [Double], start: Int, length: Int
    ) {
        guard seconds > 0 else { return }
        let step = Step(seconds: seconds, flameShare: share, periodSeconds: periodSeconds, figures: figures)
        advance(step, line: &line, start: start, length: length)
    }

    /// What one call of `advance` works out before stepping: the same for every bound of a
    /// watch (they share the period and the burner's rates), so a ring of them works it out once.
    struct Step {
        let flameShare: Double
        let lowRate: Double
        let highRate: Double
        let steps: Int
        let dt: Double

        init(seconds: Double, flameShare: Double, periodSeconds: Double, figures: HeatArrivalWatch.Figures) {
            self.flameShare = flameShare
            lowRate = figures.lowRate
            highRate = figures.highRate
            steps = min(40, max(1, Int((seconds / periodSeconds).rounded())))
            dt = seconds / Double(steps)
        }
    }

    /// Runs the bound on by one `Step` (seconds > 0).
    mutating func advance(_ step: Step, line: inout [Double], start: Int, length: Int) {
        let change = step.flameShare - startFlameShare
        let burner = change > 0 ? change * step.lowRate : change * step.highRate
        let dt = step.dt
        for _ in 0..<step.steps {
            let growth = HeatArrivalWatch.loadGrowthPerSecondPerC * max(0, steelC - startSteelC)
            steelC += (startNetRate + burner - growth) * dt
            var delayed = steelC
            if length > 0 {
                delayed = line[start + delayHead]
                line[start + delayHead] = steelC
                delayHead = (delayHead + 1) % length
            }
            junctionC += lagSeconds > 0 ? (delayed - junctionC) * min(1, dt / lagSeconds) : delayed - junctionC
        }
    }

    /// One bound with a dead-time line of its own (the flame proof's pulse).
    struct Alone: Sendable {
        private(set) var bound: HeatBound
        private var line: [Double]

        init(observer: WokObserver, flameLit: Bool, startedAtSeconds: Double, allowanceC: Double) {
            bound = HeatBound(observer: observer, flameLit: flameLit, startedAtSeconds: startedAtSeconds, allowanceC: allowanceC)
            line = observer.pendingSteelC
        }

        var junctionC: Double { bound.junctionC }

        mutating func advance(seconds: Double, flameShare: Double, figures: HeatArrivalWatch.Figures) {
            bound.advance(seconds: seconds, flameShare: flameShare, figures: figures, line: &line, start: 0, length: line.count)
        }
    }
}

/// The watch's bounds, oldest first, in storage fixed when the watch is made: a ring of at most
/// `capacity` bounds whose dead-time lines share one buffer, slot by slot. Starting a bound, ageing
/// the oldest out and stepping them all neither allocates nor moves the others.
struct HeatBoundRing: Sendable, RandomAccessCollection {
    let capacity: Int
    /// Entries of each bound's dead-time line (the observer's, fixed by the figures).
    private let lineLength: Int
    /// The step of every bound's model (the observer's period, the figures' period).
    private let periodSeconds: Double
    /// The bounds by slot; grows to `capacity` once, then slots are reused.
    private var slots: [HeatBound] = []
    /// Slot `s`'s dead-time line is `lines[s * lineLength..<(s + 1) * lineLength]`.
    private var lines: [Double]
    /// The slot of the oldest bound.
    private var oldestSlot = 0
    /// How many bounds are live.
    private var live = 0

    init(capacity: Int, lineLength: Int, periodSeconds: Double) {
        self.capacity = Swift.max(1, capacity)
        self.lineLength = lineLength
        self.periodSeconds = periodSeconds
        slots.reserveCapacity(self.capacity)
        lines = Array(repeating: 0, count: self.capacity * lineLength)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { live }

    /// The bound `position` places from the oldest.
    subscript(position: Int) -> HeatBound { slots[slot(position)] }

    private func slot(_ position: Int) -> Int {
        let slot = oldestSlot + position
        return slot < capacity ? slot : slot - capacity
    }

    /// Adds a bound started from `observer` now, ageing the oldest out when the ring is full.
    mutating func append(_ bound: HeatBound, from observer: WokObserver) {
        if live == capacity { removeOldest() }
        // The observer is made from the same figures: same dead time, same period.
        assert(observer.pendingCount == lineLength && observer.periodSecondsForModel == periodSeconds)
        let slot = slot(live)
        if slot == slots.count { slots.append(bound) } else { slots[slot] = bound }
        observer.copyPendingSteelC(into: &lines, at: slot * lineLength)
        live += 1
    }

    mutating func removeOldest() {
        guard live > 0 else { return }
        oldestSlot = slot(1)
        live -= 1
    }

    /// Forgets every bound; the storage stays.
    mutating func removeAll() {
        oldestSlot = 0
        live = 0
    }

    /// Runs every bound on by `seconds`, oldest first (see `HeatBound.advance`); every bound
    /// steps with the watch's period, so the steps are worked out once.
    mutating func advance(seconds: Double, flameShare: Double, figures: HeatArrivalWatch.Figures) {
        guard seconds > 0, live > 0 else { return }
        let step = HeatBound.Step(seconds: seconds, flameShare: flameShare, periodSeconds: periodSeconds, figures: figures)
        for position in 0..<live {
            let slot = slot(position)
            slots[slot].advance(step, line: &lines, start: slot * lineLength, length: lineLength)
        }
    }
}
