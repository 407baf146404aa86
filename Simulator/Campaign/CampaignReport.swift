public import WokCore

/// The campaign's figures, per injected fault kind, and every violation.
public struct CampaignReport: Sendable, Equatable {
    public struct KindFigures: Sendable, Equatable {
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

        /// Counts one judged fault of this kind.
        mutating func add(_ judged: CookVerdict.JudgedFault) {
            let outcome = judged.outcome
            injected += 1
            if judged.deadlineSeconds != nil { owed += 1 }
            if let detected = outcome.detectedAtSeconds {
                self.detected += 1
                if let latched = outcome.latchedKind, outcome.kind.expectedDetections.contains(latched) { detectedAsExpected += 1 }
                if judged.deadlineSeconds != nil, let active = outcome.activeFromSeconds {
                    latencies.append(max(0, detected - active))
                    if let off = outcome.burnerOffAtSeconds { offDelays.append(off - detected) }
                }
            }
            if judged.deadlineSeconds != nil { peaksC.append(outcome.peakTrueCAfter) }
            if judged.violation != nil { violations += 1 }
        }

        mutating func merge(_ other: KindFigures) {
            injected += other.injected
            owed += other.owed
            detected += other.detected
            detectedAsExpected += other.detectedAsExpected
            latencies += other.latencies
            offDelays += other.offDelays
            peaksC += other.peaksC
            violations += other.violations
        }

        static func quantile(_ values: [Double], _ q: Double) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let rank = Int((q * Double(sorted.count - 1)).rounded(.up))
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
    }

    public private(set) var kinds: [InjectedFaultKind: KindFigures] = [:]
    /// The heat faults (flame out, fallen probe) split by where they struck: while a stage's food
    /// held the wok down, or elsewhere.
    public private(set) var heatFaultsByPlacement: [Placement: KindFigures] = [:]
    /// Cooks and false trips per plant and controller.
    public private(set) var tripsByStation: [StationKey: TripCount] = [:]

    public struct Placement: Hashable, Sendable {
        public var kind: InjectedFaultKind
        public var duringLoad: Bool
    }

    public struct StationKey: Hashable, Sendable {
        public var plant: String
        public var controller: ControllerKind
    }

    public struct TripCount: Sendable, Equatable {
        public var cooks = 0
        public var falseTrips = 0
    }
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
        let station = StationKey(plant: verdict.plant, controller: verdict.controller)
        var count = tripsByStation[station] ?? TripCount()
        count.cooks += 1
        if verdict.falseTrip != nil { count.falseTrips += 1 }
        tripsByStation[station] = count
        for judged in verdict.outcomes {
            let outcome = judged.outcome
            if outcome.kind == .flameOut || outcome.kind == .sensorDetached {
                let placement = Placement(kind: outcome.kind, duringLoad: judged.duringLoad)
                var split = heatFaultsByPlacement[placement] ?? KindFigures(kind: outcome.kind)
                split.add(judged)
                heatFaultsByPlacement[placement] = split
            }
            var figures = kinds[outcome.kind] ?? KindFigures(kind: outcome.kind)
            figures.add(judged)
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
            mine.merge(theirs)
            kinds[kind] = mine
        }
        for (placement, theirs) in other.heatFaultsByPlacement {
            var mine = heatFaultsByPlacement[placement] ?? KindFigures(kind: placement.kind)
            mine.merge(theirs)
            heatFaultsByPlacement[placement] = mine
        }
        for (station, theirs) in other.tripsByStation {
            var mine = tripsByStation[station] ?? TripCount()
            mine.cooks += theirs.cooks
            mine.falseTrips += theirs.falseTrips
            tripsByStation[station] = mine
        }
    }

    /// The heat faults by placement, as a Markdown table.
    public var placementTable: String {
        var lines = [
            "| fault | struck | owed | detected | latency p50 / p99 / max (s) | peak °C after (p50 / max) | violations |",
            "|---|---|---|---|---|---|---|",
        ]
        for kind in [InjectedFaultKind.flameOut, .sensorDetached] {
            for duringLoad in [true, false] {
                guard let figures = heatFaultsByPlacement[Placement(kind: kind, duringLoad: duringLoad)] else { continue }
                lines.append(
                    "| \(kind.rawValue) | \(duringLoad ? "while food holds the wok down" : "elsewhere") | \(figures.owed) | \(figures.detected) | "
                        + "\(Self.fixed(figures.latency(0.5), 2)) / \(Self.fixed(figures.latency(0.99), 2)) / \(Self.fixed(figures.latency(1), 2)) | "
                        + "\(Self.fixed(figures.peak(0.5), 0)) / \(Self.fixed(figures.peak(1), 0)) | \(figures.violations) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Cooks and false trips per plant (rows) and controller (columns), as a Markdown table.
    public var falseTripTable: String {
        let controllers = ControllerKind.allCases.filter { kind in tripsByStation.keys.contains { $0.controller == kind } }
        let plants = Set(tripsByStation.keys.map(\.plant)).sorted()
        var lines = [
            "| plant | " + controllers.map { "\($0.rawValue): cooks / false trips" }.joined(separator: " | ") + " |",
            "|---|" + controllers.map { _ in "---|" }.joined(),
        ]
        for plant in plants {
            let cells = controllers.map { controller -> String in
                let count = tripsByStation[StationKey(plant: plant, controller: controller)] ?? TripCount()
                return "\(count.cooks) / \(count.falseTrips)"
            }
            lines.append("| \(plant) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    static func fixed(_ value: Double?, _ places: Int) -> String {
        guard let value else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return formatNumber((value * scale).rounded() / scale)
    }

    /// The figures as a Markdown table, one row per fault kind.
    public var table: String {
        let fixed = Self.fixed
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
