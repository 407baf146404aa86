/// The proof a flame owes after a fall that was taken as food landing: a flame that went out as
/// the food landed looks, through the sensor, just like the food. Either the wok rises (nothing
/// but heat raises it), or the watch holds the burner off for a short pulse: with a flame, the
/// steel's rate drops by at least the burner's lowest rate; without one, nothing changes.
enum FlameProof: Sendable {
    /// Owed: the lowest reading since the fall, so a rise can be seen.
    case owed(lowestC: Double?)
    case pulsing(Pulse)
    case proven

    /// A rise this large above the lowest reading proves heat: twelve standard deviations of a
    /// 0.25 °C noise, and a wok with no flame under it cannot rise at all.
    static let proofRiseC = 3.0
    /// The pulse must be long enough for a flame going off to open at least this gap between the
    /// two readings it could give: twelve standard deviations of the noise again.
    static let pulseGapC = 3.0
    /// The longest pulse, whatever the sensor's lag: the cook should not wait longer for heat.
    static let longestPulseSeconds = 20.0

    var isPulsing: Bool { if case .pulsing = self { true } else { false } }
    var isOwed: Bool { if case .owed = self { true } else { false } }

    enum Step: Sendable, Equatable {
        case waiting
        case proven
        case noFlame(expectedDropC: Double, droppedC: Double, pulseSeconds: Double)
    }

    mutating func step(
        celsius: Double, nowSeconds now: Double, seconds: Double, figures: HeatArrivalWatch.Figures
    ) -> Step {
        switch self {
        case .owed(let lowest):
            if let lowest, celsius >= lowest + Self.proofRiseC { return .proven }
            self = .owed(lowestC: min(lowest ?? celsius, celsius))
            return .waiting
        case .pulsing(var pulse):
            let step = pulse.step(celsius: celsius, nowSeconds: now, seconds: seconds, figures: figures)
            self = .pulsing(pulse)
            return step
        case .proven:
            return .proven
        }
    }

    /// The burner held off from `startedAtSeconds`: the reading is compared with where the wok
    /// would go had nothing changed (no flame to go off).
    struct Pulse: Sendable {
        let startedAtSeconds: Double
        let lengthSeconds: Double
        /// The least the reading must fall under `unchanged` by the pulse's end if a flame went off.
        let expectedDropC: Double
        private var unchanged: HeatBound.Alone
        private var largestDropC = -Double.infinity

        init(observer: WokObserver, startedAtSeconds: Double, figures: HeatArrivalWatch.Figures) {
            self.startedAtSeconds = startedAtSeconds
            unchanged = HeatBound.Alone(observer: observer, flameLit: true, startedAtSeconds: startedAtSeconds, allowanceC: 0)
            lengthSeconds = Self.length(figures)
            expectedDropC = Self.fall(after: lengthSeconds, figures)
        }

        /// The fall a rate dropping by the burner's lowest rate opens after `seconds`, through the
        /// dead time and the lag, stepped like the sensor's model; slowed as much as a load can
        /// slow it as the steel cools (the food draws less from a cooler wok).
        static func fall(after seconds: Double, _ figures: HeatArrivalWatch.Figures) -> Double {
            let step = figures.periodSeconds
            var steel = 0.0
            var junction = 0.0
            var time = 0.0
            while time + step / 2 < seconds {
                time += step
                if time > figures.sensorDeadTimeSeconds {
                    steel += (figures.lowRate - HeatArrivalWatch.loadGrowthPerSecondPerC * steel) * step
                }
                let lag = figures.sensorLagSeconds
                junction += lag > 0 ? (steel - junction) * min(1, step / lag) : steel - junction
            }
            return junction
        }

        /// Long enough for the sensor to show most of a flame going off (its dead time, two lags
        /// and two seconds), and for that to open `gapNeededC`, up to `longestPulseSeconds`.
        static func length(_ figures: HeatArrivalWatch.Figures) -> Double {
            var length = figures.sensorDeadTimeSeconds + 2 * figures.sensorLagSeconds + 2
            while fall(after: length, figures) < gapNeededC, length < FlameProof.longestPulseSeconds { length += figures.periodSeconds }
            return min(length, FlameProof.longestPulseSeconds)
        }

        /// Twice the gap the decision splits in half.
        static let gapNeededC = FlameProof.pulseGapC

        mutating func step(celsius: Double, nowSeconds now: Double, seconds: Double, figures: HeatArrivalWatch.Figures) -> Step {
            unchanged.advance(seconds: seconds, flameShare: 1, figures: figures)
            let drop = unchanged.junctionC - celsius
            largestDropC = max(largestDropC, drop)
            // Halfway between the two answers: proven as soon as the fall gets there.
            if drop >= expectedDropC / 2 { return .proven }
            guard now - startedAtSeconds + 1e-9 >= lengthSeconds else { return .waiting }
            return .noFlame(expectedDropC: expectedDropC, droppedC: max(0, largestDropC), pulseSeconds: now - startedAtSeconds)
        }
    }
}
