/// A recipe: a named, ordered list of heat stages. Portable between stations, because heat is a
/// named level that each station maps to its own calibrated temperature.
public struct Recipe: Sendable, Equatable {
    /// The only recipe schema this build reads.
    public static let schemaVersion = 1
    /// Bound on stages so a malformed file cannot make a session allocate without limit.
    public static let maxStages = 64

    public var name: String
    public var serves: Int
    public var description: String?
    public var stages: [Stage]

    public init(name: String, serves: Int, description: String? = nil, stages: [Stage]) {
        self.name = name
        self.serves = serves
        self.description = description
        self.stages = stages
    }
}

/// How hot a stage wants the wok: a named level from the station, or an explicit temperature.
public enum Heat: Sendable, Equatable, CustomStringConvertible {
    case level(HeatLevel)
    case celsius(Double)

    public var description: String {
        switch self {
        case .level(let level): level.rawValue
        case .celsius(let celsius): "\(formatCelsius(celsius)) °C"
        }
    }

    /// True when the stage wants the burner off whatever the temperature.
    public var isOff: Bool { self == .level(.off) }
}

/// The named heat levels a recipe may use; a station gives each its temperature.
public enum HeatLevel: String, Sendable, CaseIterable {
    case off, low
    case mediumLow = "medium-low"
    case medium
    case mediumHigh = "medium-high"
    case high, max
}

/// What ends a stage.
public enum Advance: String, Sendable, CaseIterable {
    /// After `seconds` on the stage clock.
    case time
    /// As soon as the wok reaches the target (bounded by `maxSeconds`).
    case reached
    /// When the cook says so, not before `minSeconds`; at `maxSeconds` the heat drops to a safe hold.
    case confirm
}

/// When a stage's clock starts.
public enum StageTimer: String, Sendable, CaseIterable {
    /// From the moment the stage begins.
    case start
    /// From the moment the wok first reaches the stage's target ("once it's hot, two minutes").
    case reached
}

/// Something the cook puts into the wok at the start of a stage.
public struct Addition: Sendable, Equatable {
    public var name: String
    public var grams: Double
    /// Temperature of the ingredient as it goes in (fridge, room, ...).
    public var tempC: Double
    /// Fraction of its mass that is water the cooking drives off (0 to 1).
    public var water: Double

    public init(name: String, grams: Double, tempC: Double, water: Double) {
        self.name = name
        self.grams = grams
        self.tempC = tempC
        self.water = water
    }
}

/// One step of the heat profile.
public struct Stage: Sendable, Equatable {
    public var name: String
    public var heat: Heat
    public var advance: Advance
    public var timer: StageTimer
    /// Stage length for `time` stages, counted on the stage clock.
    public var seconds: Double?
    /// Earliest a `confirm` stage may end.
    public var minSeconds: Double?
    /// Latest the stage may run (a bound on waiting for the target, or the cook).
    public var maxSeconds: Double?
    /// What the cook is asked to do when the stage begins.
    public var prompt: String?
    public var add: [Addition]

    public init(
        name: String, heat: Heat, advance: Advance, timer: StageTimer = .start, seconds: Double? = nil,
        minSeconds: Double? = nil, maxSeconds: Double? = nil, prompt: String? = nil, add: [Addition] = []
    ) {
        self.name = name
        self.heat = heat
        self.advance = advance
        self.timer = timer
        self.seconds = seconds
        self.minSeconds = minSeconds
        self.maxSeconds = maxSeconds
        self.prompt = prompt
        self.add = add
    }

    /// Total grams the cook adds when this stage begins.
    public var addedGrams: Double { add.reduce(0) { $0 + $1.grams } }
}

/// Formats a temperature without a trailing ".0" for whole degrees.
public func formatCelsius(_ celsius: Double) -> String {
    if celsius == celsius.rounded(), abs(celsius) < 1e6 { return String(Int(celsius)) }
    return String((celsius * 10).rounded() / 10)
}

extension Addition {
    /// The food as a cook reads it: "500 g pork mince; 60 g shallots, chopped; 15 g garlic".
    /// Semicolons, because an ingredient's own name often holds a comma.
    public static func list(_ items: [Addition]) -> String {
        items.map { "\(formatGrams($0.grams)) \($0.name)" }.joined(separator: "; ")
    }
}

/// Grams as a cook weighs them: whole grams, a tenth below 10 g.
public func formatGrams(_ grams: Double) -> String {
    grams >= 10 ? "\(Int(grams.rounded())) g" : "\(formatNumber((grams * 10).rounded() / 10)) g"
}

/// A length of time in words: "45 s", "2 min", "1 min 30 s".
public func formatDuration(_ seconds: Double) -> String {
    let whole = Int(max(0, seconds).rounded())
    let minutes = whole / 60
    let rest = whole % 60
    if minutes == 0 { return "\(rest) s" }
    return rest == 0 ? "\(minutes) min" : "\(minutes) min \(rest) s"
}

extension Recipe {
    /// The widest scaling from a recipe's own portions: a wok sears about twice a recipe's food at
    /// once before it stews; a quarter keeps enough in the wok for the probe's reading to mean food.
    public static let scaleRange: ClosedRange<Double> = 0.25...2

    /// The recipe for `serves` people: every addition's grams scaled, so the prompts name the
    /// right amounts and the controller expects the right load. Times stay as written: a wok
    /// dish's stages are judged by heat and eye, not by mass.
    public func scaled(toServe people: Int) -> Result<Recipe, ControlProblem> {
        guard people != serves else { return .success(self) }
        let factor = Double(people) / Double(serves)
        guard people >= 1, Self.scaleRange.contains(factor) else {
            let low = max(1, Int((Double(serves) * Self.scaleRange.lowerBound).rounded(.up)))
            let high = Int((Double(serves) * Self.scaleRange.upperBound).rounded(.down))
            return .failure(
                ControlProblem(
                    "\"\(name)\" serves \(serves); one batch may serve \(low) to \(high), not \(people): cook more in batches"))
        }
        var scaled = self
        scaled.serves = people
        for stage in scaled.stages.indices {
            for item in scaled.stages[stage].add.indices { scaled.stages[stage].add[item].grams *= factor }
        }
        return .success(scaled)
    }
}
