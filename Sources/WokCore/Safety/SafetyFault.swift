/// The kinds of fault the safety monitor latches.
public enum FaultKind: String, Sendable, CaseIterable {
    case sensorOpen = "sensor-open"
    case sensorShort = "sensor-short"
    case sensorRange = "sensor-range"
    case sensorImplausible = "sensor-implausible"
    /// The reading jumped further in one tick than a wok can heat or cool.
    case sensorRate = "sensor-rate"
    /// The converter returned the identical raw value for longer than its noise allows.
    case sensorFrozen = "sensor-frozen"
    case busErrors = "i2c-errors"
    /// Every transfer for the bound said that nothing answers at the address.
    case deviceGone = "device-gone"
    case overLimit = "over-limit"
    /// The burner was lit, yet the reading fell short of what a lit flame gives the wok: flame out,
    /// gas empty, or the thermocouple has fallen off the wok.
    case heatNotArriving = "heat-not-arriving"
    /// With the burner off, the reading fell faster than the wok can cool with the load it has:
    /// the thermocouple has come off the wok (or food landed that the recipe did not announce).
    case implausibleCooling = "implausible-cooling"
    /// The wok kept heating with the burner commanded off: a welded relay or a stuck valve.
    case heatingWhileOff = "heating-while-off"
    /// Nobody answered a waiting cook, or the cook ran far past its recipe's plan.
    case unattended = "unattended"
    /// The control loop stalled: its ticks came too far apart on the monotonic clock it runs on
    /// (stopped, starved or blocked), and the relay sat unsupervised as long.
    case loopStalled = "loop-stalled"
    /// A clock stepped. The loop's own clock going back (the monotonic clock never does) latches
    /// it; the daemon reports a step of the wall clock under the same name without a latch.
    case clockJump = "clock-jump"
    case relayFailure = "relay-failure"
    /// The safety shut-off valve would not open or close.
    case valveFailure = "valve-failure"
    /// The ignition controller proved no flame with the burner on past its trial for ignition:
    /// the flame went out, the gas ran out, or it never lit.
    case flameLost = "flame-lost"
    /// The ignition controller proved a flame with the burner commanded off: a welded relay or a
    /// stuck gas valve.
    case flameWhileOff = "flame-while-off"
    /// The flame-proven input could not be read for longer than its bound.
    case flameSenseFailed = "flame-sense-failed"

    /// Faults after which the relay alone cannot be trusted to stop the gas: the loop closes the
    /// shut-off valve and raises the alarm.
    public var distrustsRelay: Bool {
        switch self {
        case .heatingWhileOff, .flameWhileOff, .relayFailure, .valveFailure: true
        default: false
        }
    }
}

/// A latched fault: what, why (in words for the cook), and when it was detected.
public struct SafetyFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: FaultKind
    public var reason: String
    public var detectedAtSeconds: Double

    public init(kind: FaultKind, reason: String, detectedAtSeconds: Double) {
        self.kind = kind
        self.reason = reason
        self.detectedAtSeconds = detectedAtSeconds
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}

/// Why an acknowledgement was refused.
public enum AcknowledgeError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingLatched
    case causePersists(String)

    public var description: String {
        switch self {
        case .nothingLatched: "there is no fault to acknowledge"
        case .causePersists(let why): "the fault's cause is still present: \(why)"
        }
    }
}

/// What the monitor concluded from one reading.
public enum SafetyVerdict: Sendable, Equatable {
    /// The reading is good: control may use it.
    case trusted(celsius: Double)
    /// No usable reading this tick: the burner stays off, but no fault yet (a bus hiccup).
    case blind(SensorFault)
    /// A fault is latched (now or earlier): the burner stays off until a person acknowledges.
    case tripped(SafetyFault)
}

/// What the cook and the controller are doing, as the monitor needs to judge a reading. The loop
/// builds it from the session each tick; with no cook it is `.idle`.
public struct SafetyContext: Sendable, Equatable {
    /// Whether a cook is running (some checks only mean something while one is).
    public var cookRunning: Bool
    /// The temperature control is aiming for now; nil when the burner should be off.
    public var targetC: Double?
    /// Which stage runs, so the monitor notices a new one.
    public var stageIndex: Int?
    /// Whether the running stage adds food: its load may pull the wok down for minutes.
    public var stageAddsFood: Bool
    /// Seconds the running stage has run (holds excluded).
    public var stageElapsedSeconds: Double
    /// How long a `confirm` stage has waited past its maximum at the safe hold; nil if it is not.
    public var confirmOverdueSeconds: Double?
    /// Seconds since the cook started, holds included.
    public var cookElapsedSeconds: Double
    /// The longest the recipe can legitimately take on this station.
    public var cookPlannedSeconds: Double

    public init(
        cookRunning: Bool, targetC: Double?, stageIndex: Int?, stageAddsFood: Bool, stageElapsedSeconds: Double,
        confirmOverdueSeconds: Double?, cookElapsedSeconds: Double, cookPlannedSeconds: Double
    ) {
        self.cookRunning = cookRunning
        self.targetC = targetC
        self.stageIndex = stageIndex
        self.stageAddsFood = stageAddsFood
        self.stageElapsedSeconds = stageElapsedSeconds
        self.confirmOverdueSeconds = confirmOverdueSeconds
        self.cookElapsedSeconds = cookElapsedSeconds
        self.cookPlannedSeconds = cookPlannedSeconds
    }

    /// No cook: the burner must be off and only the sensor and heating-while-off checks apply.
    public static let idle = SafetyContext(
        cookRunning: false, targetC: nil, stageIndex: nil, stageAddsFood: false, stageElapsedSeconds: 0,
        confirmOverdueSeconds: nil, cookElapsedSeconds: 0, cookPlannedSeconds: 0)
}
