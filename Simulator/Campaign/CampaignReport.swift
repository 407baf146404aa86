import WokCore

/// The campaign's figures, per injected fault kind, and every violation.
public struct CampaignReport: Sendable {
    public struct KindFigures: Sendable {
        public var kind: InjectedFaultKind
        public var injected = 0
        /// Faults owed a detection (active while it mattered; see `DetectionBound.deadline`).
        public var owed = 0
        /// Faults detected (a latch of any kind at or after the injection), owed or not.
        public var detected = 0
        /// Detections whose latched kind is one the fault is expected to produce.
        public var detectedAsExpected = 0
        /// Seconds from the fault becoming active to the latch.
        public var latencies: [Double] = []
        /// Seconds from the latch to no gas fed to the burner.
        public var offDelays: [Double] = []
        /// Hottest true wok temperature after the fault.
        public var peaksC: [Double] = []
        public var violations = 0

        public func latency(_ quantile: Double) -> Double? { Self.quantile(latencies, quantile) }
        public func peak(_ quantile: Double) -> Double? { Self.quantile(peaksC, quantile) }
        public var maxOffDelay: Double? { offDelays.max() }

        static func quantile(_ values: [Double], _ q: Double) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let rank = Int((q * Double(sorted.count - 1)).rounded(.up))
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
    }

    public private(set) var kinds: [InjectedFaultKind: KindFigures] = [:]
    public private(set) var faultedCooks = 0
    public private(set) var healthyCooks = 0
    public private(set) var falseTrips = 0
    public private(set) var violations: [String] = []
    /// Violations beyond this many are counted but not listed.
    public static let maxListedViolations = 200
    public private(set) var violationCount = 0

    public init() {}

    public mutating func add(_ verdict: CookVerdict) {
        if verdict.faults.isEmpty { healthyCooks += 1 } else { faultedCooks += 1 }
        if verdict.falseTrip != nil { falseTrips += 1 }
        for judged in verdict.outcomes {
            let outcome = judged.outcome
            var figures = kinds[outcome.kind] ?? KindFigures(kind: outcome.kind)
            figures.injected += 1
            if judged.deadlineSeconds != nil { figures.owed += 1 }
            if let detected = outcome.detectedAtSeconds {
                figures.detected += 1
                if let latched = outcome.latchedKind, outcome.kind.expectedDetections.contains(latched) {
                    figures.detectedAsExpected += 1
                }
                if judged.deadlineSeconds != nil, let active = outcome.activeFromSeconds {
                    figures.latencies.append(max(0, detected - active))
                    if let off = outcome.burnerOffAtSeconds { figures.offDelays.append(off - detected) }
                }
            }
            if judged.deadlineSeconds != nil { figures.peaksC.append(outcome.peakTrueCAfter) }
            if judged.violation != nil { figures.violations += 1 }
            kinds[outcome.kind] = figures
        }
        for violation in verdict.violations {
            violationCount += 1
            if violations.count < Self.maxListedViolations { violations.append(violation) }
        }
    }

    public mutating func merge(_ other: CampaignReport) {
        faultedCooks += other.faultedCooks
        healthyCooks += other.healthyCooks
        falseTrips += other.falseTrips
        violationCount += other.violationCount
        violations += other.violations.prefix(max(0, Self.maxListedViolations - violations.count))
        for (kind, theirs) in other.kinds {
            var mine = kinds[kind] ?? KindFigures(kind: kind)
            mine.injected += theirs.injected
            mine.owed += theirs.owed
            mine.detected += theirs.detected
            mine.detectedAsExpected += theirs.detectedAsExpected
            mine.latencies += theirs.latencies
            mine.offDelays += theirs.offDelays
            mine.peaksC += theirs.peaksC
            mine.violations += theirs.violations
            kinds[kind] = mine
        }
    }

    /// The figures as a Markdown table, one row per fault kind.
    public var table: String {
        func fixed(_ value: Double?, _ places: Int) -> String {
            guard let value else { return "-" }
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            return formatNumber((value * scale).rounded() / scale)
        }
        var lines = [
            "| fault | injected | owed | detected | as expected | latency p50 / p99 / max (s) | burner off after (max, s) | peak °C after (p50 / max) | violations |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for kind in InjectedFaultKind.allCases {
            guard let figures = kinds[kind] else { continue }
            lines.append(
                "| \(kind.rawValue) | \(figures.injected) | \(figures.owed) | \(figures.detected) | \(figures.detectedAsExpected) | "
                    + "\(fixed(figures.latency(0.5), 2)) / \(fixed(figures.latency(0.99), 2)) / \(fixed(figures.latency(1), 2)) | "
                    + "\(fixed(figures.maxOffDelay, 2)) | \(fixed(figures.peak(0.5), 0)) / \(fixed(figures.peak(1), 0)) | \(figures.violations) |")
        }
        return lines.joined(separator: "\n")
    }

    /// A one-paragraph summary: cooks, false trips, violations.
    public var summary: String {
        "\(faultedCooks) faulted cooks, \(healthyCooks) healthy cooks; \(violationCount) violations, \(falseTrips) false trips"
    }
}
