public import WokCore

/// Every physical figure of a simulated wok station. Defaults describe a 14-inch carbon-steel
/// wok on a domestic gas wok burner; a plant file overrides any of them.
public struct PlantParameters: Sendable, Equatable {
    public var name = "default: 1.6 kg carbon-steel wok, 5 kW burner"
    /// Kitchen air temperature; the wok starts here.
    public var ambientC = 22.0
    public var wok = Wok()
    public var burner = Burner()
    public var food = Food()
    public var sensor = Sensor()
    /// Integration step of the thermal model; small against the sensor lag and the control period.
    public var stepSeconds = 0.05

    public init() {}

    public struct Wok: Sendable, Equatable {
        public var massKg = 1.6
        /// Carbon steel, J/(kg·K).
        public var specificHeat = 490.0
        /// Convective loss to the kitchen, W per K above ambient.
        public var lossWPerK = 3.0
        /// Radiating area times emissivity (m²): radiation grows with T⁴ and dominates when hot.
        public var radiatingAreaM2 = 0.06
        public init() {}
    }

    public struct Burner: Sendable, Equatable {
        /// Gas power when lit.
        public var powerW = 5000.0
        /// Fraction of the gas power that reaches the wok (an open wok burner wastes most).
        public var efficiency = 0.35
        /// Time from the relay closing to a lit flame.
        public var ignitionDelaySeconds = 0.4
        public init() {}
    }

    public struct Food: Sendable, Equatable {
        /// Heat flow between wok and food per kg of food per K of difference (stirring contact).
        public var contactWPerKgK = 25.0
        /// Specific heat of the food's dry matter, J/(kg·K).
        public var solidsSpecificHeat = 2000.0
        public var boilingC = 100.0
        /// Latent heat of vaporisation of water, J/kg.
        public var latentHeatJPerKg = 2.26e6
        public init() {}
    }

    public struct Sensor: Sendable, Equatable {
        /// First-order lag of the thermocouple against the wok steel.
        public var lagSeconds = 1.5
        /// Pure delay (conversion and filtering).
        public var deadTimeSeconds = 0.3
        /// Standard deviation of the reading noise.
        public var noiseC = 0.25
        public init() {}
    }

    /// The wok's heat capacity, J/K.
    public var wokHeatCapacity: Double { wok.massKg * wok.specificHeat }
    /// Heat reaching the wok with the flame lit, W.
    public var burnerHeatW: Double { burner.powerW * burner.efficiency }
    /// How fast the flame heats the empty wok before losses, °C/s.
    public var fullPowerRateCPerSecond: Double { burnerHeatW / wokHeatCapacity }

    /// The station as its builder would commission it for this plant: the sensor's lag and dead
    /// time measured by a step test (docs/control.md) and the burner's rate by the slope of a cold
    /// wok's first rise (rounded to a tenth, as read off a plot); everything else as `base` has it.
    public func commissioned(_ base: Station) -> Station {
        var station = base
        station.control.sensorLagSeconds = sensor.lagSeconds
        station.control.sensorDeadTimeSeconds = sensor.deadTimeSeconds
        station.safety.burnerRateCPerSecond = (burnerHeatW / wokHeatCapacity * 10).rounded() / 10
        return station
    }
}

/// Reads a plant file: every key optional, defaults as in `PlantParameters()`.
public enum PlantLoader {
    public static func parse(_ text: String, source: String) -> Result<PlantParameters, DocumentError> {
        decodeDocument(text, source: source) { decode($0, source: $1) }
    }

    public static func decode(_ document: JSONValue, source: String) -> Result<PlantParameters, DocumentError> {
        var problems: [ConfigProblem] = []
        guard var root = FieldReader.open(document, location: "", problems: &problems) else {
            return .failure(.invalid(source: source, problems))
        }
        var plant = PlantParameters()
        if let value = root.string("name", maxLength: 200) { plant.name = value }
        if let value = root.number("ambientC", in: -20...50, unit: "°C") { plant.ambientC = value }
        if let value = root.number("stepSeconds", in: 0.001...0.1, unit: "s") { plant.stepSeconds = value }
        if var wok = root.object("wok") {
            if let value = wok.number("massKg", in: 0.2...20, unit: "kg") { plant.wok.massKg = value }
            if let value = wok.number("specificHeat", in: 100...2000, unit: "J/(kg·K)") { plant.wok.specificHeat = value }
            if let value = wok.number("lossWPerK", in: 0...100, unit: "W/K") { plant.wok.lossWPerK = value }
            if let value = wok.number("radiatingAreaM2", in: 0...2, unit: "m²") { plant.wok.radiatingAreaM2 = value }
            root.absorb(wok)
        }
        if var burner = root.object("burner") {
            if let value = burner.number("powerW", in: 100...50_000, unit: "W") { plant.burner.powerW = value }
            if let value = burner.number("efficiency", in: 0.01...1) { plant.burner.efficiency = value }
            if let value = burner.number("ignitionDelaySeconds", in: 0...10, unit: "s") {
                plant.burner.ignitionDelaySeconds = value
            }
            root.absorb(burner)
        }
        if var food = root.object("food") {
            if let value = food.number("contactWPerKgK", in: 0...1000, unit: "W/(kg·K)") { plant.food.contactWPerKgK = value }
            if let value = food.number("solidsSpecificHeat", in: 100...10_000, unit: "J/(kg·K)") {
                plant.food.solidsSpecificHeat = value
            }
            if let value = food.number("boilingC", in: 50...150, unit: "°C") { plant.food.boilingC = value }
            if let value = food.number("latentHeatJPerKg", in: 1e5...1e7, unit: "J/kg") { plant.food.latentHeatJPerKg = value }
            root.absorb(food)
        }
        if var sensor = root.object("sensor") {
            if let value = sensor.number("lagSeconds", in: 0...30, unit: "s") { plant.sensor.lagSeconds = value }
            if let value = sensor.number("deadTimeSeconds", in: 0...10, unit: "s") { plant.sensor.deadTimeSeconds = value }
            if let value = sensor.number("noiseC", in: 0...20, unit: "°C") { plant.sensor.noiseC = value }
            root.absorb(sensor)
        }
        problems += root.finished()
        guard problems.isEmpty else { return .failure(.invalid(source: source, problems)) }
        return .success(plant)
    }
}
