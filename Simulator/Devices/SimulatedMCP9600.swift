// A register-level MCP9600/MCP9601 that the simulation drives and the fault injector breaks.
public import WokCore
public import WokHardware

/// What the simulated thermocouple probe is doing, as the fault injector sets it.
public enum ProbeCondition: Sendable, Equatable, Hashable, CaseIterable {
    /// A working probe: the converter measures what the simulation presents.
    case connected
    /// A broken or unplugged probe: MCP9601 sets its open-circuit flag; an MCP9600's input floats
    /// to the rail and sets the input-range flag.
    case open
    /// A shorted probe: no EMF, so the hot junction reads the cold-junction temperature; an
    /// MCP9601 also sets its short-circuit flag.
    case shorted
}

/// An MCP9600 or MCP9601 that behaves like the chip at register level, for the driver to talk to.
///
/// The simulation sets what the chip measures with `present(hotC:coldC:)`, which converts at once,
/// or with `present(hotC:coldC:atSeconds:)`, which converts at the chip's own pace: one conversion
/// per hot-junction conversion time at the ADC resolution in register 0x06 (80 ms at 16 bits,
/// 320 ms at 18), so a reader faster than that finds no new conversion. A conversion updates T_H,
/// T_Δ, T_C and STATUS (setting "T_H updated", bit 6) unless the chip is frozen or in shutdown. The
/// thermocouple type whose range sets the input-range flag is the one written to register 0x05,
/// as on the chip. Register semantics:
/// - 0x00 T_H, 0x01 T_Δ, 0x02 T_C, 0x03 raw ADC (reads 0), 0x20 ID/revision: read-only words;
///   writes are ignored.
/// - 0x04 STATUS: bits 7 and 6 are cleared by writing 0 (writing 1 has no effect); the rest is
///   read-only. Alerts (bits 3...0) are not simulated and stay 0.
/// - 0x05 sensor configuration (bits 7 and 3 read 0), 0x06 device configuration, 0x08...0x0B alert
///   configurations (bits 6:5 read 0), 0x0C...0x0F hysteresis: read/write bytes.
/// - 0x10...0x13 alert limits: read/write words; a byte write sets the high byte.
/// - A byte read of a word register returns its high byte (as the Linux driver reads the ID); a
///   word read of a byte register returns the byte then 0x00. Any other register NACKs.
///
/// Every access counts in `transfers`, failed ones included. It is a class so the simulation, the
/// fault injector and the driver share one chip; it is not thread-safe and not `Sendable`. All of
/// its state is one value (`MCP9600Chip`): Swift checks exclusive access at run time on every
/// access to a class's stored property, so each operation on the chip pays that check once,
/// not once for every field and register it touches.
public final class SimulatedMCP9600: I2CDevice {
    private var chip: MCP9600Chip

    /// Which part this is; fixed at creation.
    public let model: MCP9600Model
    /// Where the driver will say the chip is.
    public var location: I2CLocation {
        get { chip.location }
        set { chip.location = newValue }
    }
    /// The probe's condition; a change takes effect at once (unless frozen or shut down).
    public var probe: ProbeCondition {
        get { chip.probe }
        set { chip.setProbe(newValue) }
    }
    /// While set, every access throws an `I2CError` with this failure.
    public var busFailure: BusFailure? {
        get { chip.busFailure }
        set { chip.busFailure = newValue }
    }
    /// While false, every access throws `.noDevice`, as an unpowered or unplugged chip would.
    public var isPresent: Bool {
        get { chip.isPresent }
        set { chip.isPresent = newValue }
    }
    /// While true, the temperature registers and STATUS stop updating: a hung converter.
    public var isFrozen: Bool {
        get { chip.isFrozen }
        set { chip.setFrozen(newValue) }
    }
    /// Accesses attempted so far, failed ones included.
    public var transfers: Int { chip.transfers }
    /// The hot-junction temperature last presented, in °C.
    public var presentedHotC: Double { chip.presentedHotC }
    /// The cold-junction temperature last presented, in °C.
    public var presentedColdC: Double { chip.presentedColdC }
    /// Conversions completed so far, each setting "T_H updated".
    public var conversions: Int { chip.conversions }

    /// Creates a powered-up chip with power-on register values (type K, filter off, normal mode,
    /// 18-bit) measuring `hotC` and `coldC`. The revision byte is arbitrary.
    public init(
        model: MCP9600Model = .mcp9600,
        location: I2CLocation = I2CLocation(bus: "sim-i2c", address: 0x67),
        revision: UInt8 = 0x10,
        hotC: Double = 20,
        coldC: Double = 20
    ) {
        self.model = model
        chip = MCP9600Chip(model: model, location: location, revision: revision, hotC: hotC, coldC: coldC)
    }

    /// Sets what the chip measures and converts it: 0.0625 °C quantisation, input-range flag when
    /// the hot junction is outside the configured type's range.
    public func present(hotC: Double, coldC: Double) {
        chip.present(hotC: hotC, coldC: coldC)
    }

    /// Sets what the chip measures at `seconds` of simulation time and converts it if a conversion
    /// has completed since the last one: conversions follow one another every hot-junction
    /// conversion time at the configured ADC resolution. The first call converts at once.
    public func present(hotC: Double, coldC: Double, atSeconds seconds: Double) {
        chip.present(hotC: hotC, coldC: coldC, atSeconds: seconds)
    }

    /// The thermocouple type the chip is configured for (register 0x05).
    public var thermocoupleType: ThermocoupleType { chip.thermocoupleType }

    // MARK: I2CDevice

    /// Reads one byte, as the chip would answer an SMBus "read byte data".
    public func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        try chip.readByte(register: register)
    }

    /// Reads one word, most significant byte first, as the chip would answer a word-swapped read.
    public func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        try chip.readWord(register: register)
    }

    /// Writes one byte with the chip's per-register semantics.
    public func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        try chip.writeByte(register: register, value: value)
    }
}

/// The simulated chip's whole state and register semantics (see `SimulatedMCP9600`).
private struct MCP9600Chip {
    let model: MCP9600Model
    var location: I2CLocation
    private(set) var probe: ProbeCondition = .connected
    var busFailure: BusFailure?
    var isPresent = true
    private(set) var isFrozen = false
    private(set) var transfers = 0
    private(set) var presentedHotC: Double
    private(set) var presentedColdC: Double
    private(set) var conversions = 0
    /// When the last paced conversion completed, in the simulation's seconds; nil before the first
    /// paced presentation.
    private var lastConversionSeconds: Double?

    private var bytes = [UInt8](repeating: 0, count: 256)
    private var words = [UInt16](repeating: 0, count: 256)

    init(model: MCP9600Model, location: I2CLocation, revision: UInt8, hotC: Double, coldC: Double) {
        self.model = model
        self.location = location
        presentedHotC = hotC
        presentedColdC = coldC
        words[Int(MCP9600Registers.deviceID)] = UInt16(model.deviceID) << 8 | UInt16(revision)
        convert()
    }

    /// A change of the probe takes effect at once (a conversion, unless frozen or shut down).
    mutating func setProbe(_ condition: ProbeCondition) {
        probe = condition
        convert()
    }

    /// A converter that starts again converts at once.
    mutating func setFrozen(_ frozen: Bool) {
        isFrozen = frozen
        if !isFrozen { convert() }
    }

    mutating func present(hotC: Double, coldC: Double) {
        presentedHotC = hotC
        presentedColdC = coldC
        convert()
    }

    mutating func present(hotC: Double, coldC: Double, atSeconds seconds: Double) {
        presentedHotC = hotC
        presentedColdC = coldC
        guard let last = lastConversionSeconds else {
            lastConversionSeconds = seconds
            convert()
            return
        }
        let resolution =
            MCP9600Registers.DeviceConfiguration(byte: bytes[Int(MCP9600Registers.deviceConfiguration)])?
            .adcResolution ?? .bits18
        let cycle = Double(resolution.conversionTimeMilliseconds) / 1000
        let completed = ((seconds - last) / cycle).rounded(.down)
        guard completed >= 1 else { return }
        lastConversionSeconds = last + completed * cycle
        convert()
    }

    var thermocoupleType: ThermocoupleType {
        MCP9600Registers.SensorConfiguration(byte: bytes[Int(MCP9600Registers.sensorConfiguration)])
            .type
    }

    /// Reads one byte, as the chip would answer an SMBus "read byte data".
    mutating func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        try begin("read byte", register)
        switch Self.kind(of: register) {
        case .byte: return bytes[Int(register)]
        case .word: return UInt8(truncatingIfNeeded: words[Int(register)] >> 8)
        case .absent:
            throw I2CError(
                failure: .nack, location: location, register: register, operation: "read byte")
        }
    }

    /// Reads one word, most significant byte first, as the chip would answer a word-swapped read.
    mutating func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        try begin("read word", register)
        switch Self.kind(of: register) {
        case .byte: return UInt16(bytes[Int(register)]) << 8
        case .word: return words[Int(register)]
        case .absent:
            throw I2CError(
                failure: .nack, location: location, register: register, operation: "read word")
        }
    }

    /// Writes one byte with the chip's per-register semantics.
    mutating func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        try begin("write byte", register)
        let index = Int(register)
        switch register {
        case MCP9600Registers.status:
            // Bits 7 and 6 clear on a written 0; a written 1 leaves them as they are.
            bytes[index] &=
                value
                | ~(MCP9600Registers.Status.burstCompleteMask
                | MCP9600Registers.Status.temperatureUpdatedMask)
        case MCP9600Registers.sensorConfiguration:
            bytes[index] = value & 0b0111_0111
            convert()
        case MCP9600Registers.deviceConfiguration:
            bytes[index] = value
            convert()
        case 0x08...0x0B:
            bytes[index] = value & 0b1001_1111
        case 0x0C...0x0F:
            bytes[index] = value
        case 0x10...0x13:
            words[index] = UInt16(value) << 8 | (words[index] & 0x00FC)
        case 0x00...0x03, MCP9600Registers.deviceID:
            break  // read-only
        default:
            throw I2CError(
                failure: .nack, location: location, register: register, operation: "write byte")
        }
    }

    // MARK: Internals

    private enum Kind { case byte, word, absent }

    private static func kind(of register: UInt8) -> Kind {
        switch register {
        case 0x00...0x03, 0x10...0x13, MCP9600Registers.deviceID: .word
        case 0x04...0x06, 0x08...0x0F: .byte
        default: .absent
        }
    }

    /// Counts the access and throws if the chip is absent or the bus is failing.
    private mutating func begin(_ operation: String, _ register: UInt8) throws(I2CError) {
        transfers += 1
        if !isPresent {
            throw I2CError(
                failure: .noDevice, location: location, register: register, operation: operation)
        }
        if let busFailure {
            throw I2CError(
                failure: busFailure, location: location, register: register, operation: operation)
        }
    }

    /// One conversion: updates T_H, T_Δ, T_C and STATUS from what is presented and the probe.
    mutating func convert() {
        let deviceConfiguration = bytes[Int(MCP9600Registers.deviceConfiguration)]
        let mode = MCP9600Registers.DeviceConfiguration(byte: deviceConfiguration)?.mode
        guard !isFrozen, mode == .normal || mode == .burst else { return }
        conversions += 1

        let type = thermocoupleType
        let statusIndex = Int(MCP9600Registers.status)
        // Fault flags describe this conversion only; burst-complete is left as the driver left it.
        var status = bytes[statusIndex] & MCP9600Registers.Status.burstCompleteMask
        status |= MCP9600Registers.Status.temperatureUpdatedMask
        if mode == .burst { status |= MCP9600Registers.Status.burstCompleteMask }

        var hotC = presentedHotC
        switch probe {
        case .connected:
            if !type.rangeCelsius.contains(hotC) {
                status |= MCP9600Registers.Status.inputRangeOrOpenCircuitMask
            }
        case .open:
            // MCP9601: open-circuit flag; MCP9600: the floating input rails and is out of range.
            // Both are bit 4. The railed reading is a simulation choice.
            status |= MCP9600Registers.Status.inputRangeOrOpenCircuitMask
            hotC = type.maximumCelsius
        case .shorted:
            hotC = presentedColdC
            if model == .mcp9601 { status |= MCP9600Registers.Status.shortCircuitMask }
        }

        var coldRaw = MCP9600Registers.encodeTemperature(celsius: presentedColdC)
        if deviceConfiguration & 0x80 != 0 { coldRaw &= 0xFFFC }  // 0.25 °C cold junction
        words[Int(MCP9600Registers.hotJunction)] = MCP9600Registers.encodeTemperature(celsius: hotC)
        words[Int(MCP9600Registers.junctionDelta)] =
            MCP9600Registers.encodeTemperature(celsius: hotC - presentedColdC)
        words[Int(MCP9600Registers.coldJunction)] = coldRaw
        bytes[statusIndex] = status
    }
}
