public import WokCore

/// The thermal model of the station: the wok steel, the flame, the food in the wok and the
/// thermocouple's view of the steel. A value type, so a run can be forked (the full-power
/// counterfactual starts from an exact copy).
public struct WokPlant: Sendable {
    /// Stefan-Boltzmann constant, W/(m²·K⁴).
    static let stefanBoltzmann = 5.670e-8
    static let kelvinOffset = 273.15

    public let parameters: PlantParameters
    public private(set) var timeSeconds: Double
    /// The steel's true temperature.
    public private(set) var wokC: Double
    /// Each batch of ingredients the cook added, with its own temperature and water: browned
    /// pork stays hot when wet aromatics go in beside it.
    public private(set) var foods: [FoodBatch] = []
    /// Whether the relay is closed, and since when.
    public private(set) var relayClosed = false
    private var relayClosedAtSeconds = 0.0
    public private(set) var flameLit = false
    /// The thermocouple junction's own temperature (first-order lag behind the delayed steel).
    public private(set) var junctionC: Double
    /// The steel's past temperatures, one per step, covering the sensor's dead time.
    private var delayLine: [Double]
    private var delayHead = 0
    /// Fault switches the injector sets.
    public var flameOut = false
    /// The shut-off valve is closed: no gas, so no flame whatever the relay does.
    public var gasShutOff = false

    /// Whether a flame burns now, as an ignition controller would prove it: lit after the
    /// ignition delay, and neither blown out nor starved of gas.
    public var isFlameBurning: Bool { flameLit && !flameOut && !gasShutOff }

    public init(parameters: PlantParameters, startC: Double? = nil) {
        self.parameters = parameters
        let start = startC ?? parameters.ambientC
        timeSeconds = 0
        wokC = start
        junctionC = start
        let slots = max(1, Int((parameters.sensor.deadTimeSeconds / parameters.stepSeconds).rounded()))
        delayLine = Array(repeating: start, count: slots)
    }

    /// Total food in the wok.
    public var foodKg: Double { foods.reduce(0) { $0 + $1.kg } }
    /// The water still in the food.
    public var foodWaterKg: Double { foods.reduce(0) { $0 + $1.waterKg } }

    /// Most batches a cook can add; more are merged into the last, so memory stays bounded.
    static let maxBatches = 64

    /// The relay's contact, as the controller last set it.
    public mutating func setRelay(closed: Bool) {
        guard closed != relayClosed else { return }
        relayClosed = closed
        if closed { relayClosedAtSeconds = timeSeconds } else { flameLit = false }
    }

    /// The cook tips an ingredient in: it becomes a batch exchanging heat with the wok.
    public mutating func add(_ addition: Addition) {
        let kg = max(0, addition.grams) / 1000
        guard kg > 0 else { return }
        let water = min(max(addition.water, 0), 1)
        var batch = FoodBatch(solidsKg: kg * (1 - water), waterKg: kg * water, celsius: addition.tempC)
        batch.flashOffExcessHeat(parameters.food)
        if foods.count < Self.maxBatches {
            foods.append(batch)
        } else if var last = foods.popLast() {
            last.merge(batch, parameters.food)
            foods.append(last)
        }
    }

    /// The cook plates the food: every batch leaves the wok, taking its heat with it. The steel,
    /// the flame and the thermocouple keep their state (an emptied wok is as hot as it was).
    public mutating func plateFood() {
        foods.removeAll()
    }

    /// The sensor's noiseless view: the junction temperature.
    public var sensedC: Double { junctionC }

    /// Advances the model to `time` in fixed steps.
    public mutating func advance(to time: Double) {
        let step = parameters.stepSeconds
        while timeSeconds + step * 0.5 < time {
            integrate(step)
        }
    }

    private mutating func integrate(_ dt: Double) {
        // The parameters are read where they are: a copy of them (their name included) each step
        // cost more than the physics.
        if relayClosed && !flameLit && timeSeconds - relayClosedAtSeconds >= parameters.burner.ignitionDelaySeconds {
            flameLit = true
        }
        let heatInW = flameLit && !flameOut && !gasShutOff ? parameters.burnerHeatW : 0
        let wokK = wokC + Self.kelvinOffset
        let ambientK = parameters.ambientC + Self.kelvinOffset
        let radiationW =
            Self.stefanBoltzmann * parameters.wok.radiatingAreaM2 * (wokK * wokK * wokK * wokK - ambientK * ambientK * ambientK * ambientK)
        let convectionW = parameters.wok.lossWPerK * (wokC - parameters.ambientC)
        var foodW = 0.0
        for index in foods.indices {
            foodW += foods[index].exchange(withWokC: wokC, seconds: dt, parameters.food)
        }
        wokC += (heatInW - radiationW - convectionW - foodW) * dt / parameters.wokHeatCapacity

        // Thermocouple: the steel's temperature `deadTime` ago, through a first-order lag.
        let delayed = delayLine[delayHead]
        delayLine[delayHead] = wokC
        delayHead = (delayHead + 1) % delayLine.count
        let lag = parameters.sensor.lagSeconds
        junctionC += lag > 0 ? (delayed - junctionC) * min(1, dt / lag) : delayed - junctionC
        timeSeconds += dt
    }
}

/// One batch of food in the wok: dry matter and water at one temperature. Wet food sits at the
/// boiling point while its water steams off, which is what makes cold, wet food a heavy load.
public struct FoodBatch: Sendable {
    static let waterSpecificHeat = 4186.0
    public private(set) var solidsKg: Double
    public private(set) var waterKg: Double
    public private(set) var celsius: Double

    public var kg: Double { solidsKg + waterKg }

    func heatCapacity(_ food: PlantParameters.Food) -> Double {
        solidsKg * food.solidsSpecificHeat + waterKg * Self.waterSpecificHeat
    }

    /// Exchanges heat with the wok for `seconds`; returns the power drawn from the wok (W).
    mutating func exchange(withWokC wokC: Double, seconds dt: Double, _ food: PlantParameters.Food) -> Double {
        let watts = food.contactWPerKgK * kg * (wokC - celsius)
        if waterKg > 0 && celsius >= food.boilingC && watts > 0 {
            waterKg = max(0, waterKg - watts * dt / food.latentHeatJPerKg)
            celsius = food.boilingC
        } else {
            let capacity = heatCapacity(food)
            if capacity > 0 { celsius += watts * dt / capacity }
            flashOffExcessHeat(food)
        }
        return watts
    }

    /// Wet food cannot be above boiling: heat beyond it goes into steam.
    mutating func flashOffExcessHeat(_ food: PlantParameters.Food) {
        guard waterKg > 0, celsius > food.boilingC else { return }
        let excessJ = (celsius - food.boilingC) * heatCapacity(food)
        let evaporated = min(waterKg, excessJ / food.latentHeatJPerKg)
        waterKg -= evaporated
        let capacityAfter = heatCapacity(food)
        let remainingJ = excessJ - evaporated * food.latentHeatJPerKg
        celsius = capacityAfter > 0 ? food.boilingC + max(0, remainingJ) / capacityAfter : food.boilingC
    }

    /// Folds another batch into this one, conserving heat.
    mutating func merge(_ other: FoodBatch, _ food: PlantParameters.Food) {
        let mine = heatCapacity(food)
        let theirs = other.heatCapacity(food)
        solidsKg += other.solidsKg
        waterKg += other.waterKg
        celsius = mine + theirs > 0 ? (mine * celsius + theirs * other.celsius) / (mine + theirs) : celsius
        flashOffExcessHeat(food)
    }
}
