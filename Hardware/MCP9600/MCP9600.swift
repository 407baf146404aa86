// The MCP9600/MCP9601 driver: identifies the part, configures it, reads it as a TemperatureSensor.
public import WokCore

/// How the driver sets the converter up when it opens it.
public struct MCP9600Configuration: Sendable, Equatable, Hashable {
    /// The thermocouple type wired to the input.
    public var type: ThermocoupleType
    /// The converter's digital filter, 0 (off) to 7 (heaviest). 1 is the lightest smoothing: it
    /// takes the edge off noise without hiding a fast rise from the safety monitor.
    public var filterCoefficient: UInt8
    /// Hot-junction ADC resolution; 16 bits converts in about 80 ms, well inside a control tick.
    public var adcResolution: MCP9600Registers.ADCResolution
    /// Cold-junction resolution: true for 0.0625 °C steps, false for 0.25 °C.
    public var coldJunctionFine: Bool

    /// Creates a configuration; the defaults suit a type K probe in a wok.
    public init(
        type: ThermocoupleType = .k,
        filterCoefficient: UInt8 = 1,
        adcResolution: MCP9600Registers.ADCResolution = .bits16,
        coldJunctionFine: Bool = true
    ) {
        self.type = type
        self.filterCoefficient = filterCoefficient
        self.adcResolution = adcResolution
        self.coldJunctionFine = coldJunctionFine
    }

    /// The sensor configuration register this asks for, or nil if the filter is out of range.
    public var sensorConfiguration: MCP9600Registers.SensorConfiguration? {
        MCP9600Registers.SensorConfiguration(type: type, filterCoefficient: filterCoefficient)
    }

    /// The device configuration register this asks for: normal (continuous) mode, one burst sample.
    public var deviceConfiguration: MCP9600Registers.DeviceConfiguration {
        MCP9600Registers.DeviceConfiguration(
            coldJunctionResolution: coldJunctionFine ? .sixteenthDegree : .quarterDegree,
            adcResolution: adcResolution, burstSamples: .samples1, mode: .normal)
    }
}

/// Why the MCP9600 driver could not open or query the converter.
public enum MCP9600Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// A bus transfer failed.
    case bus(I2CError)
    /// The device at `location` reported an ID that is neither MCP9600 (0x40) nor MCP9601 (0x41).
    case wrongDevice(found: UInt8, location: I2CLocation)
    /// A configuration register read back different from what was written.
    case configurationMismatch(
        register: UInt8, wrote: UInt8, readBack: UInt8, location: I2CLocation)
    /// The requested configuration cannot be encoded (e.g. a filter coefficient above 7).
    case invalidConfiguration(reason: String)

    /// The error as a person reads it, naming bus, address and register where known.
    public var description: String {
        switch self {
        case .bus(let error):
            "MCP9600: \(error)"
        case .wrongDevice(let found, let location):
            "no MCP9600/MCP9601 at \(location): device ID \(hexByte(found)), expected 0x40 or 0x41"
        case .configurationMismatch(let register, let wrote, let readBack, let location):
            "MCP9600 at \(location): register \(hexByte(register)) read back \(hexByte(readBack)) "
                + "after writing \(hexByte(wrote))"
        case .invalidConfiguration(let reason):
            "MCP9600 configuration: \(reason)"
        }
    }
}

/// An MCP9600 or MCP9601 thermocouple converter on an I2C device.
///
/// Create it with `open(device:configuration:)`, which checks the part and configures it; then
/// `read()` once per control tick.
public struct MCP9600<Device: I2CDevice>: TemperatureSensor {
    /// The family member, as identified when opened.
    public typealias Model = MCP9600Model

    /// The I2C device the converter answers on.
    public var device: Device
    /// Which part answered: MCP9600 or MCP9601.
    public let model: Model
    /// The ID and revision read when opened.
    public let identity: MCP9600Registers.DeviceIdentity
    /// The configuration written when opened; `read()` judges plausibility by its type's range.
    public let configuration: MCP9600Configuration

    /// Identifies and configures the converter, verifying the configuration by reading it back.
    ///
    /// Reads the device ID (anything but 0x40 or 0x41 is `.wrongDevice`), writes the sensor
    /// configuration (type, filter) and the device configuration (ADC and cold-junction
    /// resolution, normal mode), then reads both back (`.configurationMismatch` if they differ).
    public static func open(
        device: Device, configuration: MCP9600Configuration = MCP9600Configuration()
    ) throws(MCP9600Error) -> MCP9600 {
        guard let sensorConfiguration = configuration.sensorConfiguration else {
            throw .invalidConfiguration(
                reason: "filter coefficient \(configuration.filterCoefficient) is outside 0...7")
        }
        var device = device
        let identity = try readIdentity(of: &device)
        guard let model = identity.model else {
            throw .wrongDevice(found: identity.deviceID, location: device.location)
        }
        try writeVerified(
            sensorConfiguration.byte, to: MCP9600Registers.sensorConfiguration, on: &device)
        try writeVerified(
            configuration.deviceConfiguration.byte, to: MCP9600Registers.deviceConfiguration,
            on: &device)
        return MCP9600(
            device: device, model: model, identity: identity, configuration: configuration)
    }

    private init(
        device: Device, model: Model, identity: MCP9600Registers.DeviceIdentity,
        configuration: MCP9600Configuration
    ) {
        self.device = device
        self.model = model
        self.identity = identity
        self.configuration = configuration
    }

    /// Reads one sample: STATUS, then the hot junction, then the cold junction.
    ///
    /// A fault flag in STATUS ends the read with its `SensorFault` (open/short circuit on an
    /// MCP9601, input range on an MCP9600); a failed transfer ends it with `.bus(failure)`; a hot
    /// junction outside the configured type's range ends it with `.implausible(celsius:)`.
    ///
    /// STATUS's "T_H updated" flag (bit 6) says whether a hot-junction conversion completed since
    /// it was last cleared; the sample carries it as `freshConversion`. When it is set the driver
    /// clears it (the data sheet: write 0, then poll until the next conversion sets it again)
    /// before reading T_H, so a conversion completing during this read sets it again for the next
    /// one and none is missed. A converter that stops converting then reads "not fresh" every
    /// time, which the safety monitor latches as `sensor-frozen` within about a second.
    ///
    /// There are no retries here, on purpose. The caller's safety monitor owns the bound on how
    /// many bad reads in a row, and for how long, are tolerated; a retry inside `read()` would hide
    /// failures from that count, stretch a tick by unknown bus time (the MCP9600 stretches the
    /// clock and the Raspberry Pi's controller handles that badly), and make one read's duration
    /// unpredictable. One call is at most four transfers and exactly one outcome.
    ///
    /// Likewise no debouncing: public MCP9601 drivers debounce its open/short flags because the
    /// sense node is high-impedance and picks up noise, but each flag seen is reported here and
    /// the monitor decides how many in a row make a fault. On an MCP9601 an over-range input and
    /// an open one share a STATUS bit, so both come back as `.openCircuit`.
    public mutating func read() -> Result<ThermocoupleSample, SensorFault> {
        do throws(I2CError) {
            let status = MCP9600Registers.Status(
                rawValue: try device.readByte(register: MCP9600Registers.status), model: model)
            if let fault = status.fault { return .failure(fault) }
            let fresh = status.temperatureUpdated
            if fresh { try device.writeByte(register: MCP9600Registers.status, value: 0) }

            let hotRaw = try device.readWord(register: MCP9600Registers.hotJunction)
            let hotC = MCP9600Registers.decodeTemperature(raw: hotRaw)
            guard configuration.type.rangeCelsius.contains(hotC) else {
                return .failure(.implausible(celsius: hotC))
            }

            let coldRaw = try device.readWord(register: MCP9600Registers.coldJunction)
            let coldC = MCP9600Registers.decodeTemperature(raw: coldRaw)
            return .success(
                ThermocoupleSample(
                    hotC: hotC, coldC: coldC, rawHot: Int16(bitPattern: hotRaw), freshConversion: fresh))
        } catch {
            return .failure(.bus(error.failure))
        }
    }

    /// Reads the device ID and revision register.
    public mutating func readIdentity() throws(MCP9600Error) -> MCP9600Registers.DeviceIdentity {
        try Self.readIdentity(of: &device)
    }

    /// Reads and decodes the STATUS register for this model.
    public mutating func readStatus() throws(MCP9600Error) -> MCP9600Registers.Status {
        let byte = try Self.bus { () throws(I2CError) in
            try device.readByte(register: MCP9600Registers.status)
        }
        return MCP9600Registers.Status(rawValue: byte, model: model)
    }

    /// Reads the hot-junction (compensated thermocouple) temperature in °C, without judging it.
    public mutating func readHotJunctionC() throws(MCP9600Error) -> Double {
        try readTemperatureC(register: MCP9600Registers.hotJunction)
    }

    /// Reads the cold-junction (board) temperature in °C.
    public mutating func readColdJunctionC() throws(MCP9600Error) -> Double {
        try readTemperatureC(register: MCP9600Registers.coldJunction)
    }

    /// Reads the sensor configuration register as the chip holds it now.
    public mutating func readSensorConfiguration() throws(MCP9600Error)
        -> MCP9600Registers.SensorConfiguration
    {
        let byte = try Self.bus { () throws(I2CError) in
            try device.readByte(register: MCP9600Registers.sensorConfiguration)
        }
        return MCP9600Registers.SensorConfiguration(byte: byte)
    }

    /// Reads the device configuration register as the chip holds it now, or nil if its mode bits
    /// hold the undefined code 0b11.
    public mutating func readDeviceConfiguration() throws(MCP9600Error)
        -> MCP9600Registers.DeviceConfiguration?
    {
        let byte = try Self.bus { () throws(I2CError) in
            try device.readByte(register: MCP9600Registers.deviceConfiguration)
        }
        return MCP9600Registers.DeviceConfiguration(byte: byte)
    }

    private mutating func readTemperatureC(register: UInt8) throws(MCP9600Error) -> Double {
        let raw = try Self.bus { () throws(I2CError) in try device.readWord(register: register) }
        return MCP9600Registers.decodeTemperature(raw: raw)
    }

    private static func readIdentity(of device: inout Device) throws(MCP9600Error)
        -> MCP9600Registers.DeviceIdentity
    {
        let word = try bus { () throws(I2CError) in
            try device.readWord(register: MCP9600Registers.deviceID)
        }
        return MCP9600Registers.DeviceIdentity(word: word)
    }

    private static func writeVerified(_ value: UInt8, to register: UInt8, on device: inout Device)
        throws(MCP9600Error)
    {
        let readBack = try bus { () throws(I2CError) in
            try device.writeByte(register: register, value: value)
            return try device.readByte(register: register)
        }
        guard readBack == value else {
            throw .configurationMismatch(
                register: register, wrote: value, readBack: readBack, location: device.location)
        }
    }

    /// Runs bus transfers, wrapping a failure as `MCP9600Error.bus`.
    private static func bus<T>(_ transfers: () throws(I2CError) -> T) throws(MCP9600Error) -> T {
        do throws(I2CError) {
            return try transfers()
        } catch {
            throw .bus(error)
        }
    }
}
