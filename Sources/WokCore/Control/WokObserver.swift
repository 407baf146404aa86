/// Estimates the wok's own temperature and what is drawing heat from it, from the lagging
/// reading and the burner's known on/off history.
///
/// It runs a small model of the station alongside the real one: the wok heats at the burner's
/// full-power rate while the relay is closed and loses heat at a load rate (losses and food) all
/// the time; the model's wok is then delayed and lagged the way the thermocouple is, and compared
/// with the real reading. What the model misses is corrected two ways: quickly, by shifting the
/// whole model (an offset), and more slowly, by changing the load rate (a steady miss means the
/// load is not what the model thinks). Because the model knows when the burner switches, its wok
/// turns at once at every switch, where a reading extrapolated by its slope turns a lag late.
struct WokObserver: Sendable {
    /// Seconds over which a miss between model and reading is shifted out.
    static let offsetSeconds = 1.0
    /// Seconds over which the load rate follows a steady miss.
    static let loadSeconds = 3.0
    /// Most delay-line slots: dead times are bounded by the station loader (10 s) and the period
    /// (0.05 s at least); this bounds memory whatever is configured.
    static let maxDelaySlots = 400

    let lagSeconds: Double
    /// The wok's temperature as the model has it now.
    private(set) var wokC: Double
    /// The model's thermocouple junction (delayed and lagged wok).
    private(set) var junctionC: Double
    /// Heat taken by losses and food, in °C/s of the wok's temperature.
    private(set) var loadCPerSecond = 0.0
    /// Heating at full power, °C/s, before losses.
    private(set) var fullPowerRateCPerSecond: Double
    /// The latest reading minus the model's junction (after the model moved on).
    private(set) var lastMissC = 0.0
    /// Seconds over which the typical size of a miss (the reading's noise) is averaged.
    static let noiseSeconds = 20.0
    /// The typical size of a miss (root mean square), which sets how big a miss must be to mean
    /// something; starts at a thermocouple's usual noise.
    private(set) var missRMSC = 0.3
    private var delayLine: [Double]
    private var delayHead = 0
    private let deadTimeSeconds: Double
    private let periodSeconds: Double

    init(lagSeconds: Double, deadTimeSeconds: Double, periodSeconds: Double, fullPowerRateCPerSecond: Double, startC: Double) {
        self.lagSeconds = lagSeconds
        self.deadTimeSeconds = deadTimeSeconds
        self.periodSeconds = periodSeconds
        self.fullPowerRateCPerSecond = fullPowerRateCPerSecond
        wokC = startC
        junctionC = startC
        delayLine = Array(repeating: startC, count: Self.delaySlots(deadTimeSeconds: deadTimeSeconds, periodSeconds: periodSeconds))
    }

    /// How many steps of `periodSeconds` the model's dead time holds.
    static func delaySlots(deadTimeSeconds: Double, periodSeconds: Double) -> Int {
        min(Self.maxDelaySlots, max(0, Int((deadTimeSeconds / periodSeconds).rounded())))
    }

    /// The wok's temperature `seconds` from now if the burner stays as `burnerOn`.
    func projectedC(afterSeconds seconds: Double, burnerOn: Bool) -> Double {
        wokC + ((burnerOn ? fullPowerRateCPerSecond : 0) - loadCPerSecond) * seconds
    }

    /// The duty that holds the temperature steady at the present load.
    var steadyDuty: Double {
        fullPowerRateCPerSecond > 0 ? loadCPerSecond / fullPowerRateCPerSecond : 0
    }

    /// Sets the full-power rate once a rise has measured it, keeping the net rate the model has
    /// learned (so the switch does not disturb the estimate).
    mutating func setFullPowerRate(_ rate: Double) {
        guard rate > 0 else { return }
        loadCPerSecond += rate - fullPowerRateCPerSecond
        fullPowerRateCPerSecond = rate
    }

    /// One tick: the model runs `seconds`, of which the flame was lit for `flameSeconds`, then is
    /// corrected by the reading.
    mutating func update(measuredC: Double, seconds: Double, flameSeconds: Double) {
        if seconds > 0 {
            let steps = min(40, max(1, Int((seconds / periodSeconds).rounded())))
            let dt = seconds / Double(steps)
            let lit = min(max(flameSeconds / seconds, 0), 1)
            for _ in 0..<steps { advance(dt, flameShare: lit) }
        }
        let miss = measuredC - junctionC
        lastMissC = miss
        let step = max(seconds, periodSeconds)
        missRMSC = (missRMSC * missRMSC + min(1, step / Self.noiseSeconds) * (miss * miss - missRMSC * missRMSC)).squareRoot()
        let shift = miss * min(1, step / Self.offsetSeconds)
        wokC += shift
        junctionC += shift
        for index in delayLine.indices { delayLine[index] += shift }
        // A steady miss of m means the model drifts about m / offsetSeconds per second.
        loadCPerSecond -= miss / Self.offsetSeconds * min(1, step / Self.loadSeconds)
    }

    /// The steel's rate the model has now, were the flame lit for `flameShare` of the time.
    func netRateCPerSecond(flameShare: Double) -> Double {
        flameShare * fullPowerRateCPerSecond - loadCPerSecond
    }

    /// The steel temperatures still on their way through the sensor's dead time, oldest first.
    var pendingSteelC: [Double] {
        Array(delayLine[delayHead...] + delayLine[..<delayHead])
    }

    /// Writes `pendingSteelC` into `line` from `start` on, without building an array.
    func copyPendingSteelC(into line: inout [Double], at start: Int) {
        var target = start
        for index in delayHead..<delayLine.count {
            line[target] = delayLine[index]
            target += 1
        }
        for index in 0..<delayHead {
            line[target] = delayLine[index]
            target += 1
        }
    }

    /// How many steel temperatures are on their way through the dead time.
    var pendingCount: Int { delayLine.count }

    /// The step the model advances by.
    var periodSecondsForModel: Double { periodSeconds }

    private mutating func advance(_ dt: Double, flameShare: Double) {
        wokC += (flameShare * fullPowerRateCPerSecond - loadCPerSecond) * dt
        var delayed = wokC
        if !delayLine.isEmpty {
            delayed = delayLine[delayHead]
            delayLine[delayHead] = wokC
            delayHead = (delayHead + 1) % delayLine.count
        }
        junctionC += lagSeconds > 0 ? (delayed - junctionC) * min(1, dt / lagSeconds) : delayed - junctionC
    }
}
