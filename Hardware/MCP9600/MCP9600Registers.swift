// The MCP9600/MCP9601 register map and a pure codec for it: no bus access here.
//
// Sources (checked while writing; see each declaration for which fact came from where):
// - Microchip DS20005426C (MCP9600, 2015-2017), section 5: register pointers, temperature format,
//   STATUS register 5-6, cold-junction resolution table 5-2.
// - Linux drivers/iio/temperature/mcp9600.c: sensor configuration masks (type 6:4, filter 2:0),
//   device ID 0x40/0x41, 62.5 m°C per LSB, word-swapped reads.
// - Adafruit_MCP9600 / Adafruit_MCP9601: device configuration fields, MCP9601 open/short bits.
public import WokCore

/// Which member of the MCP960X family answered, told apart by the device ID byte.
public enum MCP9600Model: Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    /// MCP9600 (ID 0x40): no open- or short-circuit detection.
    case mcp9600
    /// MCP9601 (ID 0x41): adds open- and short-circuit detection (needs VSENSE wired).
    case mcp9601

    /// The device ID byte (high byte of register 0x20) this model reports.
    public var deviceID: UInt8 {
        switch self {
        case .mcp9600: 0x40
        case .mcp9601: 0x41
        }
    }

    /// The model reporting `deviceID`, or nil for any other ID.
    public init?(deviceID: UInt8) {
        switch deviceID {
        case 0x40: self = .mcp9600
        case 0x41: self = .mcp9601
        default: return nil
        }
    }

    /// Whether the part has the open- and short-circuit STATUS flags.
    public var detectsOpenAndShortCircuit: Bool { self == .mcp9601 }

    /// The part number, e.g. "MCP9601".
    public var description: String {
        switch self {
        case .mcp9600: "MCP9600"
        case .mcp9601: "MCP9601"
        }
    }
}

/// A thermocouple type the converter can linearise, with its 3-bit code in register 0x05.
public enum ThermocoupleType: UInt8, Sendable, Equatable, Hashable, CaseIterable,
    CustomStringConvertible
{
    /// Type K (chromel-alumel), code 0b000: the power-on default and the usual choice for a wok.
    case k = 0
    /// Type J, code 0b001.
    case j = 1
    /// Type T, code 0b010.
    case t = 2
    /// Type N, code 0b011.
    case n = 3
    /// Type S, code 0b100.
    case s = 4
    /// Type E, code 0b101.
    case e = 5
    /// Type B, code 0b110.
    case b = 6
    /// Type R, code 0b111.
    case r = 7

    /// The type selected at power-on and by default here.
    public static let defaultType = ThermocoupleType.k

    /// Lowest hot-junction temperature the converter measures for this type, in °C.
    ///
    /// From the MCP960X data sheet's per-type measurement ranges as recalled, not re-checked
    /// against the PDF: verify before relying on the S, R and B limits.
    public var minimumCelsius: Double {
        switch self {
        case .k, .t, .e: -200
        case .j, .n: -150
        case .s, .r: 250
        case .b: 1000
        }
    }

    /// Highest hot-junction temperature the converter measures for this type, in °C.
    public var maximumCelsius: Double {
        switch self {
        case .k: 1372
        case .j: 1200
        case .t: 400
        case .n: 1300
        case .s, .r: 1664
        case .e: 1000
        case .b: 1800
        }
    }

    /// The usable hot-junction range in °C; a reading outside it cannot be trusted.
    public var rangeCelsius: ClosedRange<Double> { minimumCelsius...maximumCelsius }

    /// The type letter, e.g. "K".
    public var description: String {
        switch self {
        case .k: "K"
        case .j: "J"
        case .t: "T"
        case .n: "N"
        case .s: "S"
        case .e: "E"
        case .b: "B"
        case .r: "R"
        }
    }
}

/// Register pointers, the temperature codec and the bit-field types of the MCP9600/MCP9601.
public enum MCP9600Registers {
    /// Hot-junction temperature T_H, 16-bit, read-only (cold-junction compensated).
    public static let hotJunction: UInt8 = 0x00
    /// Junction temperature delta T_Δ (T_H without compensation), 16-bit, read-only.
    public static let junctionDelta: UInt8 = 0x01
    /// Cold-junction temperature T_C, 16-bit, read-only.
    public static let coldJunction: UInt8 = 0x02
    /// Raw ADC data, 24-bit, read-only.
    public static let rawADC: UInt8 = 0x03
    /// STATUS flags, 8-bit.
    public static let status: UInt8 = 0x04
    /// Thermocouple sensor configuration (type, filter), 8-bit.
    public static let sensorConfiguration: UInt8 = 0x05
    /// Device configuration (resolutions, burst samples, mode), 8-bit.
    public static let deviceConfiguration: UInt8 = 0x06
    /// Device ID (high byte) and revision (low byte), 16-bit, read-only.
    public static let deviceID: UInt8 = 0x20

    /// The configuration register (8-bit) of alert 1...4, or nil for another number.
    public static func alertConfiguration(_ alert: Int) -> UInt8? { alertRegister(0x08, alert) }
    /// The hysteresis register (8-bit, °C) of alert 1...4, or nil for another number.
    public static func alertHysteresis(_ alert: Int) -> UInt8? { alertRegister(0x0C, alert) }
    /// The limit register (16-bit, 0.25 °C steps) of alert 1...4, or nil for another number.
    public static func alertLimit(_ alert: Int) -> UInt8? { alertRegister(0x10, alert) }

    private static func alertRegister(_ first: UInt8, _ alert: Int) -> UInt8? {
        guard (1...4).contains(alert) else { return nil }
        return first + UInt8(alert - 1)
    }

    /// One temperature LSB in °C (the data sheet's 0.0625 °C; Linux scale 62.5 m°C).
    public static let celsiusPerLSB = 0.0625
    /// The lowest temperature a 16-bit temperature register can hold (raw 0x8000), in °C.
    public static let minimumRegisterCelsius = -2048.0
    /// The highest temperature a 16-bit temperature register can hold (raw 0x7FFF), in °C.
    public static let maximumRegisterCelsius = 2047.9375

    /// Decodes a temperature register (T_H, T_Δ, T_C): 16-bit two's complement, 0.0625 °C per LSB.
    public static func decodeTemperature(raw: UInt16) -> Double {
        Double(Int16(bitPattern: raw)) * celsiusPerLSB
    }

    /// Encodes °C as a temperature register value, rounded to the nearest 0.0625 °C (halves away
    /// from zero) and clamped to -2048...2047.9375 °C. NaN, which no register can hold, encodes as
    /// 0 °C; infinities clamp.
    public static func encodeTemperature(celsius: Double) -> UInt16 {
        guard !celsius.isNaN else { return 0 }
        let steps = (celsius / celsiusPerLSB).rounded(.toNearestOrAwayFromZero)
        let clamped = min(max(steps, Double(Int16.min)), Double(Int16.max))
        return UInt16(bitPattern: Int16(clamped))
    }
}

extension MCP9600Registers {
    /// ADC resolution for the hot junction (device configuration bits 6:5): fewer bits, faster.
    public enum ADCResolution: UInt8, Sendable, Equatable, Hashable, CaseIterable {
        /// 18 bits, code 0b00 (power-on default).
        case bits18 = 0
        /// 16 bits, code 0b01.
        case bits16 = 1
        /// 14 bits, code 0b10.
        case bits14 = 2
        /// 12 bits, code 0b11.
        case bits12 = 3

        /// The resolution in bits.
        public var bits: Int {
            switch self {
            case .bits18: 18
            case .bits16: 16
            case .bits14: 14
            case .bits12: 12
            }
        }

        /// Typical conversion time in milliseconds (data-sheet figures as quoted in HARDWARE.md).
        public var conversionTimeMilliseconds: Int {
            switch self {
            case .bits18: 320
            case .bits16: 80
            case .bits14: 20
            case .bits12: 5
            }
        }
    }

    /// Cold-junction resolution (device configuration bit 7).
    public enum ColdJunctionResolution: UInt8, Sendable, Equatable, Hashable, CaseIterable {
        /// 0.0625 °C steps, bit 7 = 0 (power-on default); about 250 ms per conversion.
        case sixteenthDegree = 0
        /// 0.25 °C steps, bit 7 = 1; about 63 ms per conversion.
        case quarterDegree = 1

        /// The step in °C.
        public var stepCelsius: Double { self == .sixteenthDegree ? 0.0625 : 0.25 }

        /// Typical conversion time in milliseconds (DS20005426C table 5-2).
        public var conversionTimeMilliseconds: Int { self == .sixteenthDegree ? 250 : 63 }
    }

    /// Samples taken per burst in burst mode (device configuration bits 4:2): 2^code.
    public enum BurstSamples: UInt8, Sendable, Equatable, Hashable, CaseIterable {
        /// 1 sample, code 0b000.
        case samples1 = 0
        /// 2 samples, code 0b001.
        case samples2 = 1
        /// 4 samples, code 0b010.
        case samples4 = 2
        /// 8 samples, code 0b011.
        case samples8 = 3
        /// 16 samples, code 0b100.
        case samples16 = 4
        /// 32 samples, code 0b101.
        case samples32 = 5
        /// 64 samples, code 0b110.
        case samples64 = 6
        /// 128 samples, code 0b111.
        case samples128 = 7

        /// The number of samples.
        public var count: Int { 1 << Int(rawValue) }
    }

    /// Operating mode (device configuration bits 1:0); code 0b11 is not a mode.
    public enum Mode: UInt8, Sendable, Equatable, Hashable, CaseIterable {
        /// Continuous conversions, code 0b00 (power-on default).
        case normal = 0
        /// No conversions; registers hold their last values, code 0b01.
        case shutdown = 1
        /// A burst of conversions, then shutdown, code 0b10.
        case burst = 2
    }

    /// The thermocouple sensor configuration register (0x05): type in bits 6:4, filter in 2:0.
    ///
    /// Bits 7 and 3 are unimplemented: ignored when decoding, written as 0.
    public struct SensorConfiguration: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The thermocouple type the converter linearises for.
        public let type: ThermocoupleType
        /// The digital filter coefficient, 0 (off) to 7 (heaviest smoothing, slowest response).
        public let filterCoefficient: UInt8

        /// The valid filter coefficients.
        public static let filterCoefficients: ClosedRange<UInt8> = 0...7

        /// Creates a configuration, or nil if `filterCoefficient` is outside 0...7.
        public init?(type: ThermocoupleType, filterCoefficient: UInt8) {
            guard Self.filterCoefficients.contains(filterCoefficient) else { return nil }
            self.type = type
            self.filterCoefficient = filterCoefficient
        }

        /// Decodes the register byte.
        public init(byte: UInt8) {
            // Three bits always name a type; the fallback is unreachable.
            type = ThermocoupleType(rawValue: (byte >> 4) & 0b111) ?? .k
            filterCoefficient = byte & 0b111
        }

        /// The register byte.
        public var byte: UInt8 { type.rawValue << 4 | filterCoefficient }

        /// e.g. "type K, filter 1".
        public var description: String { "type \(type), filter \(filterCoefficient)" }
    }

    /// The device configuration register (0x06).
    ///
    /// Bit 7 cold-junction resolution, bits 6:5 ADC resolution, bits 4:2 burst samples,
    /// bits 1:0 mode.
    public struct DeviceConfiguration: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// Cold-junction resolution.
        public var coldJunctionResolution: ColdJunctionResolution
        /// Hot-junction ADC resolution.
        public var adcResolution: ADCResolution
        /// Samples per burst (used in burst mode only).
        public var burstSamples: BurstSamples
        /// Operating mode.
        public var mode: Mode

        /// Creates a configuration; the defaults are the power-on values.
        public init(
            coldJunctionResolution: ColdJunctionResolution = .sixteenthDegree,
            adcResolution: ADCResolution = .bits18,
            burstSamples: BurstSamples = .samples1,
            mode: Mode = .normal
        ) {
            self.coldJunctionResolution = coldJunctionResolution
            self.adcResolution = adcResolution
            self.burstSamples = burstSamples
            self.mode = mode
        }

        /// Decodes the register byte, or nil when its mode bits hold the undefined code 0b11.
        public init?(byte: UInt8) {
            guard let mode = Mode(rawValue: byte & 0b11) else { return nil }
            // Each remaining field covers every code its bits can hold; the fallbacks are unreachable.
            coldJunctionResolution = ColdJunctionResolution(rawValue: byte >> 7) ?? .sixteenthDegree
            adcResolution = ADCResolution(rawValue: (byte >> 5) & 0b11) ?? .bits18
            burstSamples = BurstSamples(rawValue: (byte >> 2) & 0b111) ?? .samples1
            self.mode = mode
        }

        /// The register byte.
        public var byte: UInt8 {
            coldJunctionResolution.rawValue << 7 | adcResolution.rawValue << 5
                | burstSamples.rawValue << 2 | mode.rawValue
        }

        /// e.g. "ADC 16-bit, cold junction 0.0625 °C, 1 burst sample, normal".
        public var description: String {
            "ADC \(adcResolution.bits)-bit, cold junction \(coldJunctionResolution.stepCelsius) °C, "
                + "\(burstSamples.count) burst sample\(burstSamples.count == 1 ? "" : "s"), \(mode)"
        }
    }

    /// The STATUS register (0x04), decoded for the model that produced it.
    ///
    /// Bit 7 burst complete, bit 6 T_H updated, bits 3...0 alert 4...1 (DS20005426C register 5-6).
    /// Bit 4 is "Input Range" on the MCP9600 (EMF or T_H beyond the selected type's range); on the
    /// MCP9601 the same bit is its open-circuit flag (Adafruit_MCP9601 `0x10`), and bit 5, which
    /// reads 0 on the MCP9600, is its short-circuit flag (`0x20`). An MCP9601 therefore cannot
    /// report an over-range input separately from an open one: both read as open circuit.
    public struct Status: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// Bit 7: burst-mode conversions complete (write 0 to clear).
        public static let burstCompleteMask: UInt8 = 0x80
        /// Bit 6: a T_H conversion completed (write 0 to clear, then poll).
        public static let temperatureUpdatedMask: UInt8 = 0x40
        /// Bit 5: MCP9601 short circuit; unimplemented on the MCP9600.
        public static let shortCircuitMask: UInt8 = 0x20
        /// Bit 4: MCP9600 input range exceeded / MCP9601 open circuit.
        public static let inputRangeOrOpenCircuitMask: UInt8 = 0x10

        /// The bit of alert 1...4 (bits 0...3), or nil for another number.
        public static func alertMask(_ alert: Int) -> UInt8? {
            guard (1...4).contains(alert) else { return nil }
            return 1 << UInt8(alert - 1)
        }

        /// The register byte as read.
        public let rawValue: UInt8
        /// The model whose bit assignments apply.
        public let model: MCP9600Model

        /// Decodes a STATUS byte read from `model`.
        public init(rawValue: UInt8, model: MCP9600Model) {
            self.rawValue = rawValue
            self.model = model
        }

        /// Burst-mode conversions are complete.
        public var burstComplete: Bool { rawValue & Self.burstCompleteMask != 0 }
        /// A hot-junction conversion completed since the flag was last cleared.
        public var temperatureUpdated: Bool { rawValue & Self.temperatureUpdatedMask != 0 }
        /// MCP9600 only: the input is beyond the selected thermocouple type's range.
        public var inputRangeExceeded: Bool {
            model == .mcp9600 && rawValue & Self.inputRangeOrOpenCircuitMask != 0
        }
        /// MCP9601 only: the thermocouple circuit is open (or, indistinguishably, over range).
        public var openCircuit: Bool {
            model == .mcp9601 && rawValue & Self.inputRangeOrOpenCircuitMask != 0
        }
        /// MCP9601 only: the thermocouple is shorted.
        public var shortCircuit: Bool {
            model == .mcp9601 && rawValue & Self.shortCircuitMask != 0
        }

        /// Whether alert 1...4 is asserted (false for another number).
        public func alert(_ alert: Int) -> Bool {
            guard let mask = Self.alertMask(alert) else { return false }
            return rawValue & mask != 0
        }

        /// The sensor fault the flags prove, if any; short circuit wins over open circuit.
        ///
        /// Alerts, burst-complete and T_H-updated are not faults. Bit 5 on an MCP9600 is
        /// unimplemented and ignored.
        public var fault: SensorFault? {
            if shortCircuit { return .shortCircuit }
            if openCircuit { return .openCircuit }
            if inputRangeExceeded { return .inputRangeExceeded }
            return nil
        }

        /// e.g. "0x50 (MCP9600: T_H updated, input range)".
        public var description: String {
            var flags: [String] = []
            if burstComplete { flags.append("burst complete") }
            if temperatureUpdated { flags.append("T_H updated") }
            if shortCircuit { flags.append("short circuit") }
            if openCircuit { flags.append("open circuit") }
            if inputRangeExceeded { flags.append("input range") }
            for alert in 1...4 where self.alert(alert) { flags.append("alert \(alert)") }
            let list = flags.isEmpty ? "no flags" : flags.joined(separator: ", ")
            return "\(hexByte(rawValue)) (\(model): \(list))"
        }
    }

    /// The device ID register (0x20): ID in the high byte, revision in the low byte.
    public struct DeviceIdentity: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The device ID byte: 0x40 MCP9600, 0x41 MCP9601.
        public let deviceID: UInt8
        /// The silicon revision byte.
        public let revision: UInt8

        /// Decodes the register word (MSB first on the wire).
        public init(word: UInt16) {
            deviceID = UInt8(truncatingIfNeeded: word >> 8)
            revision = UInt8(truncatingIfNeeded: word)
        }

        /// Creates an identity from its two bytes.
        public init(deviceID: UInt8, revision: UInt8) {
            self.deviceID = deviceID
            self.revision = revision
        }

        /// The register word.
        public var word: UInt16 { UInt16(deviceID) << 8 | UInt16(revision) }

        /// The model this ID names, or nil if it is not an MCP9600 or MCP9601.
        public var model: MCP9600Model? { MCP9600Model(deviceID: deviceID) }

        /// e.g. "MCP9601 revision 0x12" or "unknown device 0x5a revision 0x00".
        public var description: String {
            let name = model.map { "\($0)" } ?? "unknown device \(hexByte(deviceID))"
            return "\(name) revision \(hexByte(revision))"
        }
    }
}
