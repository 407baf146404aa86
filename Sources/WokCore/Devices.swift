/// The devices the control loop talks to, as roles. Real drivers live in `WokHardware`,
/// simulated ones in `WokSimulator`; the core never knows which it has.

/// Why a transfer on a bus failed, in terms the safety monitor and a person can act on.
public enum BusFailure: Sendable, Equatable, CustomStringConvertible {
    /// Nothing answered at the address (the device is absent or unpowered).
    case noDevice
    /// The device refused a byte (NACK).
    case nack
    /// The transfer did not finish in time.
    case timeout
    /// Arbitration lost, a stuck line or another electrical problem on the bus.
    case busError
    /// Any other operating-system error, by its `errno` value.
    case other(errno: Int32)

    public var description: String {
        switch self {
        case .noDevice: "no device answered"
        case .nack: "device refused the transfer (NACK)"
        case .timeout: "transfer timed out"
        case .busError: "bus error"
        case .other(let errno): "I/O error (errno \(errno))"
        }
    }
}

/// A reading the thermocouple amplifier could not give, as a typed fault.
public enum SensorFault: Error, Sendable, Equatable, CustomStringConvertible {
    /// The thermocouple circuit is open: a broken or unplugged probe.
    case openCircuit
    /// The thermocouple is shorted to itself or to ground.
    case shortCircuit
    /// The input is beyond what the amplifier can convert.
    case inputRangeExceeded
    /// The bus transfer failed; may be transient.
    case bus(BusFailure)
    /// The value decoded but cannot be a real wok temperature.
    case implausible(celsius: Double)

    public var description: String {
        switch self {
        case .openCircuit: "thermocouple open circuit"
        case .shortCircuit: "thermocouple short circuit"
        case .inputRangeExceeded: "thermocouple input out of the amplifier's range"
        case .bus(let failure): "sensor bus: \(failure)"
        case .implausible(let celsius): "implausible reading \(celsius) °C"
        }
    }
}

/// One good reading of the thermocouple amplifier.
public struct ThermocoupleSample: Sendable, Equatable {
    /// Hot-junction (wok) temperature, cold-junction compensated.
    public var hotC: Double
    /// Cold-junction (amplifier board) temperature, when read.
    public var coldC: Double?
    /// The raw hot-junction register value, so a frozen converter can be told from a steady wok.
    public var rawHot: Int16
    /// Whether the converter said this reading comes from a conversion it finished since the
    /// previous read (the MCP9600's "T_H updated" flag); nil where the sensor does not say.
    public var freshConversion: Bool?

    public init(hotC: Double, coldC: Double? = nil, rawHot: Int16, freshConversion: Bool? = nil) {
        self.hotC = hotC
        self.coldC = coldC
        self.rawHot = rawHot
        self.freshConversion = freshConversion
    }
}

/// Something that reads the wok's temperature once per control tick.
public protocol TemperatureSensor {
    /// Reads once. Never throws away an error: a failure is a typed `SensorFault`.
    mutating func read() -> Result<ThermocoupleSample, SensorFault>
}

/// What the relay is asked to do.
public enum BurnerCommand: Sendable, Equatable, CustomStringConvertible {
    case off
    case on

    public var isOn: Bool { self == .on }
    public var description: String { self == .on ? "on" : "off" }
}

/// Failure to drive the burner relay.
public struct RelayFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "burner relay: \(reason)" }
}

/// The burner's relay (and, optionally, an independent safety shut-off valve).
public protocol BurnerRelay {
    /// Drives the relay. Turning it off must be attempted even after earlier failures.
    mutating func set(_ command: BurnerCommand) throws(RelayFailure)
}

/// Failure to drive the safety shut-off valve.
public struct ValveFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "shut-off valve: \(reason)" }
}

/// An optional safety shut-off valve in the gas line, independent of the burner relay. It should
/// be normally closed (gas flows only while it is powered open), so a dead daemon closes it too.
public protocol ShutoffValve {
    /// Opens (true) or closes (false) the valve. Closing must be attempted even after failures.
    mutating func set(open: Bool) throws(ValveFailure)
}

/// What the ignition controller's flame-proven signal says.
public enum FlameState: Sendable, Equatable, CustomStringConvertible {
    /// The ignition controller proves a flame.
    case proven
    /// No flame is proven (none lit yet, gone out, or the controller locked out).
    case absent

    public var description: String { self == .proven ? "flame proven" : "no flame" }
}

/// Failure to read the flame-proven input.
public struct FlameSenseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "flame-proven input: \(reason)" }
}

/// An optional input from the burner's ignition controller that says whether a flame is proven
/// (its flame-proven output or alarm contact), read once per control tick.
public protocol FlameSensor {
    /// Reads the input once. A failure is a typed `FlameSenseFailure`, never a guess.
    mutating func read() -> Result<FlameState, FlameSenseFailure>
}
