public import WokCore
import WokHardware

/// A fault campaign: many simulated cooks of every recipe on every plant, most with one to three
/// random faults at random times, the rest healthy; every draw from one seed. Each cook is a pure
/// function of the campaign and its index, so cooks can run in any order, or in parallel.
public struct FaultCampaign: Sendable {
    /// Most faults struck into one cook.
    public static let maxFaultsPerCook = 3
    /// How long the station keeps ticking, idle, after a cook ends: long enough to see a fault
    /// struck near the end (a welded relay's 30 s) and what the wok does after a fault.
    public static let tailSeconds = 60.0
    /// Share of faults given a duration, after which their cause clears.
    public static let clearingShare = 0.3
    /// Durations drawn for faults that clear.
    public static let durationSeconds = 0.5...60.0
    /// Share of cooks on a station without a shut-off valve (the relay alone stops the gas).
    public static let withoutValveShare = 0.25
    /// Stall lengths drawn for `loop-stall`: past the 1 s bound, up to a minute's hang (a stopped
    /// daemon, as a SIGSTOP of 36 s once showed).
    public static let stallSeconds = 1.5...60.0
    /// Share of faults placed while a stage's food is pulling the wok down (or a wet load holds it
    /// near boiling), where a flame out or a fallen probe is hardest to tell from the food.
    public static let duringLoadShare = 0.4

    public struct Plant: Sendable {
        public var name: String
        public var parameters: PlantParameters
        public init(name: String, parameters: PlantParameters) {
            self.name = name
            self.parameters = parameters
        }
    }

    public let recipes: [Recipe]
    public let plants: [Plant]
    /// Every controller a cook may run: the heat checks must not depend on which drives the burner.
    public let controllers: [ControllerKind]
    public let station: Station
    public let seed: UInt64
    public let faultedCooks: Int
    public let healthyCooks: Int
    /// How long each recipe takes on each plant when nothing goes wrong (`[recipe][plant]`):
    /// faults strike inside that span.
    public let healthySeconds: [[Double]]
    /// When the food holds the wok down in that healthy cook (`[recipe][plant]`).
    public let healthyLoadPhases: [[[ClosedRange<Double>]]]

    /// Prepares a campaign; measures one healthy cook of each recipe on each plant.
    public init(
        recipes: [Recipe], plants: [Plant], controllers: [ControllerKind] = ControllerKind.allCases, station: Station = .standard,
        seed: UInt64, faultedCooks: Int, healthyCooks: Int
    ) throws(SimulationError) {
        self.recipes = recipes
        self.plants = plants
        self.controllers = controllers.isEmpty ? [station.control.controller] : controllers
        self.station = station
        self.seed = seed
        self.faultedCooks = max(0, faultedCooks)
        self.healthyCooks = max(0, healthyCooks)
        var durations: [[Double]] = []
        var phases: [[[ClosedRange<Double>]]] = []
        for recipe in recipes {
            var row: [Double] = []
            var phaseRow: [[ClosedRange<Double>]] = []
            for plant in plants {
                var simulation = try CookSimulation(
                    SimulationConfig(recipe: recipe, station: Self.station(station, for: plant.parameters), plant: plant.parameters, seed: seed))
                let result = simulation.run()
                row.append(result.simulatedSeconds)
                phaseRow.append(result.loadPhases)
            }
            durations.append(row)
            phases.append(phaseRow)
        }
        healthySeconds = durations
        healthyLoadPhases = phases
    }

    /// The station as its builder would set it up for a plant (`PlantParameters.commissioned`).
    public static func station(_ base: Station, for plant: PlantParameters) -> Station {
        plant.commissioned(base)
    }

    public var cookCount: Int { faultedCooks + healthyCooks }

    /// What cook `index` (0..<cookCount) is: the first `faultedCooks` carry faults.
    public func plan(_ index: Int) -> SimulationConfig {
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9 &* UInt64(index + 1))
        let recipeIndex = index % recipes.count
        let plantIndex = (index / recipes.count) % plants.count
        let plant = plants[plantIndex]
        let controller = controllers[(index / (recipes.count * plants.count)) % controllers.count]
        let chip: MCP9600Model = random.unit() < 0.5 ? .mcp9600 : .mcp9601
        let hasValve = random.unit() >= Self.withoutValveShare
        var faults: [FaultInjection] = []
        if index < faultedCooks {
            let span = healthySeconds[recipeIndex][plantIndex]
            let count = 1 + Int(random.unit() * Double(Self.maxFaultsPerCook))
            // Distinct kinds: two of a kind would share one cause, and the first to clear would
            // clear both.
            var kinds = InjectedFaultKind.allCases
            for _ in 0..<min(count, Self.maxFaultsPerCook) {
                let kind = kinds.remove(at: min(kinds.count - 1, Int(random.unit() * Double(kinds.count))))
                var at = (random.unit() * span * 4).rounded() / 4 + random.unit() * 0.25
                let loads = healthyLoadPhases[recipeIndex][plantIndex]
                if !loads.isEmpty, random.unit() < Self.duringLoadShare {
                    let phase = loads[min(loads.count - 1, Int(random.unit() * Double(loads.count)))]
                    at = phase.lowerBound + random.unit() * (phase.upperBound - phase.lowerBound)
                }
                var duration: Double?
                if kind == .loopStall {
                    duration = random.uniform(Self.stallSeconds)
                } else if random.unit() < Self.clearingShare {
                    duration = random.uniform(Self.durationSeconds)
                }
                faults.append(FaultInjection(kind: kind, atSeconds: at, durationSeconds: duration))
            }
        }
        return SimulationConfig(
            recipe: recipes[recipeIndex], station: Self.station(station, for: plant.parameters), plant: plant.parameters,
            controller: controller, seed: random.next(), faults: faults, chipModel: chip, hasValve: hasValve, tailSeconds: Self.tailSeconds)
    }

    /// Runs cook `index` and judges it against the bounds.
    public func run(_ index: Int) throws(SimulationError) -> CookVerdict {
        let config = plan(index)
        var simulation = try CookSimulation(config)
        let result = simulation.run()
        return CookVerdict.judge(
            index: index, config: config, result: result, plantName: plants[(index / recipes.count) % plants.count].name)
    }
}

/// One cook of a campaign, judged.
public struct CookVerdict: Sendable {
    public var index: Int
    public var seed: UInt64
    public var recipe: String
    public var plant: String
    public var controller: ControllerKind
    public var faults: [FaultInjection]
    public var outcomes: [JudgedFault]
    /// Set when a healthy cook latched a fault, or a faulted one before its first fault.
    public var falseTrip: SafetyFault?
    public var completed: Bool

    public struct JudgedFault: Sendable {
        public var outcome: FaultOutcome
        /// Whether it struck while a stage's food was holding the wok down.
        public var duringLoad: Bool
        /// Nil when no detection was owed (see `DetectionBound.deadline`).
        public var deadlineSeconds: Double?
        public var violation: String?
    }

    static func judge(index: Int, config: SimulationConfig, result: SimulationResult, plantName: String) -> CookVerdict {
        let period = config.station.control.periodSeconds
        var judged: [JudgedFault] = []
        let own = result.faults.map {
            DetectionBound.deadline(for: $0, station: config.station, result: result, hasValve: config.hasValve)
        }
        for (index, (fault, outcome)) in zip(config.faults, result.faults).enumerated() {
            var deadline = own[index]
            // A fault struck while an earlier one is present may be hidden by it (a sensor that
            // opens behind a frozen converter shows nothing new): it is owed no sooner than that one.
            if deadline != nil {
                for (other, otherDeadline) in zip(result.faults, own)
                where other.injectedAtSeconds < outcome.injectedAtSeconds
                    && (other.clearedAtSeconds ?? .infinity) > outcome.injectedAtSeconds
                {
                    if let otherDeadline, let current = deadline { deadline = max(current, otherDeadline) }
                    // A converter that has stopped (or vanished) shows nothing of the probe behind
                    // it: what happens to the probe is owed only what the converter's fault is.
                    if other.kind.hidesTheProbe, outcome.kind.isProbeFault, otherDeadline == nil { deadline = nil }
                }
            }
            var violation: String?
            if let deadline {
                if let detected = outcome.detectedAtSeconds, detected <= deadline {
                    if let off = outcome.burnerOffAtSeconds, off - detected <= period + 1e-6 {
                    } else {
                        violation = "\(fault): burner not off within one period of detection at \(formatNumber(detected)) s"
                    }
                } else {
                    let when = outcome.detectedAtSeconds.map { "only at \(formatNumber($0)) s" } ?? "never"
                    violation = "\(fault): not detected by \(formatNumber((deadline * 100).rounded() / 100)) s (\(when))"
                }
            }
            let duringLoad = result.loadPhases.contains { $0.contains(outcome.injectedAtSeconds) }
            judged.append(JudgedFault(outcome: outcome, duringLoad: duringLoad, deadlineSeconds: deadline, violation: violation))
        }
        var falseTrip: SafetyFault?
        // A step of the wall clock should latch nothing: a latch before any other fault is false.
        let firstInjection = config.faults.filter { !$0.kind.expectedDetections.isEmpty }.map(\.atSeconds).min() ?? .infinity
        if let first = result.firstFaultAtSeconds, first < firstInjection {
            for (seconds, event) in result.events where seconds == first {
                if case .faultLatched(let fault) = event { falseTrip = fault }
            }
        }
        return CookVerdict(
            index: index, seed: config.seed, recipe: config.recipe.name, plant: plantName, controller: config.controller, faults: config.faults,
            outcomes: judged, falseTrip: falseTrip, completed: result.completed)
    }

    /// Every violation of this cook, in words, with what replays it.
    public var violations: [String] {
        let replay =
            "cook \(index) (\(recipe) on \(plant), \(controller.rawValue) controller, seed \(seed), faults \(faults.map(\.description).joined(separator: " ")))"
        var all = outcomes.compactMap { $0.violation.map { "\(replay): \($0)" } }
        if let falseTrip { all.append("\(replay): false trip: \(falseTrip)") }
        return all
    }
}

extension InjectedFaultKind {
    /// Faults of the converter or its bus, behind which the probe cannot be seen.
    var hidesTheProbe: Bool { self == .frozen || self == .i2cErrors || self == .deviceGone }
    /// Faults seen only through the converter's reading of the probe.
    var isProbeFault: Bool { [.sensorOpen, .sensorShort, .spike, .sensorDetached, .frozen].contains(self) }
}
