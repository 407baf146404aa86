/// What a controller knows at each tick.
public struct ControlInput: Sendable {
    public var nowSeconds: Double
    /// The thermocouple's reading (lagging the wok itself).
    public var measuredC: Double
    /// What the stage asks for; nil means the burner must stay off.
    public var targetC: Double?
    /// Grams of food the recipe says land in the wok at this stage and that have not yet been
    /// seen to land: the controller reacts to the first sign of them instead of waiting.
    public var expectedLoadGrams: Double
    /// Which stage of the recipe this is: the relay's switches are budgeted stage by stage.
    public var stageIndex: Int
    /// The least time the stage still has to run (a timed stage's clock, a confirm stage's
    /// minimum); nil when the stage's end is not known in advance.
    public var stageSecondsLeftAtLeast: Double?

    public init(
        nowSeconds: Double, measuredC: Double, targetC: Double?, expectedLoadGrams: Double = 0, stageIndex: Int = 0,
        stageSecondsLeftAtLeast: Double? = nil
    ) {
        self.nowSeconds = nowSeconds
        self.measuredC = measuredC
        self.targetC = targetC
        self.expectedLoadGrams = expectedLoadGrams
        self.stageIndex = stageIndex
        self.stageSecondsLeftAtLeast = stageSecondsLeftAtLeast
    }
}

/// A heat controller: a reading in, a duty (0 to 1) out. Chosen by name, as the station file
/// says, so baselines run on exactly the same modulator and plant. Exactly one of the three is
/// held, and driven in place: the default controller carries its model and histories, and a
/// copy out and back each tick was a good part of a simulated cook's time.
public struct Controller: Sendable {
    public let kind: ControllerKind
    private var standard: PredictiveController?
    private var onoff: OnOffController?
    private var pidPlain: PlainPIDController?

    public init(kind: ControllerKind, station: Station) {
        self.kind = kind
        let settings = station.control
        switch kind {
        case .standard: standard = PredictiveController(settings: settings, relay: station.relay)
        case .onoff: onoff = OnOffController(settings: settings)
        case .pidPlain: pidPlain = PlainPIDController(settings: settings)
        }
        estimatedWokC = standard?.estimatedWokC
    }

    /// The default controller's model of the wok itself (nil for the baselines, which have none).
    /// Stored, and set whenever the controller changes: a computed property read from another
    /// module copies the whole controller first, every tick.
    public private(set) var estimatedWokC: Double?

    /// One tick: the duty to apply until the next tick, driven through the station's relay
    /// modulator (which then holds the relay command). The baselines only hand it a duty; the
    /// default controller also shapes its windows.
    public mutating func drive(_ input: ControlInput, modulator: inout RelayModulator) -> Double {
        if let duty = standard?.drive(input, modulator: &modulator) {
            estimatedWokC = standard?.estimatedWokC
            return duty
        }
        // A baseline's duty, or none at all (which cannot happen): the burner off.
        let duty = onoff?.duty(for: input) ?? pidPlain?.duty(for: input) ?? 0
        _ = modulator.output(duty: duty, nowSeconds: input.nowSeconds)
        return duty
    }
}

/// Baseline: burner on below `target - hysteresis`, off above `target + hysteresis`.
public struct OnOffController: Sendable {
    public let hysteresisC: Double
    private var isOn = false

    public init(settings: Station.ControlSettings) {
        hysteresisC = settings.hysteresisC
    }

    public mutating func duty(for input: ControlInput) -> Double {
        guard let target = input.targetC else {
            isOn = false
            return 0
        }
        if input.measuredC < target - hysteresisC { isOn = true }
        if input.measuredC > target + hysteresisC { isOn = false }
        return isOn ? 1 : 0
    }
}

/// Baseline: a textbook PID on the measured temperature (derivative on the error, integral
/// clamped to the output range), with no prediction and no feedforward.
public struct PlainPIDController: Sendable {
    public let kp: Double
    public let ki: Double
    public let kd: Double
    private var integral = 0.0
    private var lastError: Double?
    private var lastTime: Double?
    private var lastTarget: Double?

    public init(settings: Station.ControlSettings) {
        kp = settings.pidKp
        ki = settings.pidKi
        kd = settings.pidKd
    }

    public mutating func duty(for input: ControlInput) -> Double {
        guard let target = input.targetC else {
            integral = 0
            lastError = nil
            lastTime = nil
            return 0
        }
        let error = target - input.measuredC
        var derivative = 0.0
        if let lastError, let lastTime, input.nowSeconds > lastTime, lastTarget == target {
            let step = input.nowSeconds - lastTime
            integral += ki * error * step
            integral = min(max(integral, 0), 1)
            derivative = (error - lastError) / step
        }
        lastError = error
        lastTime = input.nowSeconds
        lastTarget = target
        return min(max(kp * error + integral + kd * derivative, 0), 1)
    }
}
