// The MCP9600 register codec against literal bit patterns from the data sheet, not against itself.
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct MCP9600CodecTests {
    typealias R = MCP9600Registers

    // MARK: Register map

    @Test func registerPointersMatchTheDataSheet() {
        #expect(R.hotJunction == 0x00)
        #expect(R.junctionDelta == 0x01)
        #expect(R.coldJunction == 0x02)
        #expect(R.rawADC == 0x03)
        #expect(R.status == 0x04)
        #expect(R.sensorConfiguration == 0x05)
        #expect(R.deviceConfiguration == 0x06)
        #expect(R.deviceID == 0x20)
        #expect((1...4).compactMap(R.alertConfiguration) == [0x08, 0x09, 0x0A, 0x0B])
        #expect((1...4).compactMap(R.alertHysteresis) == [0x0C, 0x0D, 0x0E, 0x0F])
        #expect((1...4).compactMap(R.alertLimit) == [0x10, 0x11, 0x12, 0x13])
        #expect(R.alertConfiguration(0) == nil)
        #expect(R.alertLimit(5) == nil)
    }

    // MARK: Temperatures

    @Test(arguments: [
        (UInt16(0x0000), 0.0),
        (0x0001, 0.0625),
        (0xFFFF, -0.0625),
        (0x0190, 25.0),
        (0xFE70, -25.0),
        (0x0C80, 200.0),
        (0xF380, -200.0),
        (0x55C0, 1372.0),
        (0x07B7, 123.4375),
        (0xFFF8, -0.5),
        (0x7FFF, 2047.9375),
        (0x8000, -2048.0),
    ])
    func decodesTwosComplementSixteenthsOfADegree(raw: UInt16, celsius: Double) {
        #expect(R.decodeTemperature(raw: raw) == celsius)
    }

    static let encodeTable: [(celsius: Double, raw: UInt16)] = [
        (0.0, 0x0000),
        (0.0625, 0x0001),
        (-0.0625, 0xFFFF),
        (25.0, 0x0190),
        (-25.0, 0xFE70),
        (123.45, 0x07B7),  // 1975.2 steps -> 1975
        (0.03, 0x0000),  // 0.48 steps rounds down
        (0.04, 0x0001),  // 0.64 steps rounds up
        (0.03125, 0x0001),  // exactly half a step: away from zero
        (-0.03125, 0xFFFF),
        (-0.09, 0xFFFF),  // -1.44 steps -> -1
        (2047.9375, 0x7FFF),
        (2047.97, 0x7FFF),  // rounds to 32768 steps, clamped
        (5000.0, 0x7FFF),
        (-2048.0, 0x8000),
        (-5000.0, 0x8000),
        (Double.infinity, 0x7FFF),
        (-Double.infinity, 0x8000),
        (Double.nan, 0x0000),
    ]

    @Test(arguments: encodeTable)
    func encodesRoundedAndClamped(celsius: Double, raw: UInt16) {
        #expect(R.encodeTemperature(celsius: celsius) == raw)
    }

    @Test func everyRegisterValueSurvivesDecodeThenEncode() {
        let failures = (0...UInt16.max).filter {
            R.encodeTemperature(celsius: R.decodeTemperature(raw: $0)) != $0
        }
        #expect(failures.isEmpty)
    }

    @Test func representableRangeMatchesTheRegisterExtremes() {
        #expect(R.minimumRegisterCelsius == R.decodeTemperature(raw: 0x8000))
        #expect(R.maximumRegisterCelsius == R.decodeTemperature(raw: 0x7FFF))
        #expect(R.celsiusPerLSB == 0.0625)
    }

    // MARK: Thermocouple types

    @Test(arguments: [
        (ThermocoupleType.k, UInt8(0b000), "K", -200.0, 1372.0),
        (.j, 0b001, "J", -150, 1200),
        (.t, 0b010, "T", -200, 400),
        (.n, 0b011, "N", -150, 1300),
        (.s, 0b100, "S", 250, 1664),
        (.e, 0b101, "E", -200, 1000),
        (.b, 0b110, "B", 1000, 1800),
        (.r, 0b111, "R", 250, 1664),
    ])
    func thermocoupleTypeCodesAndRanges(
        type: ThermocoupleType, code: UInt8, letter: String, minimumC: Double, maximumC: Double
    ) {
        #expect(type.rawValue == code)
        #expect(ThermocoupleType(rawValue: code) == type)
        #expect(type.description == letter)
        #expect(type.rangeCelsius == minimumC...maximumC)
    }

    @Test func typeKIsTheDefaultAndCodesStopAtSeven() {
        #expect(ThermocoupleType.defaultType == .k)
        #expect(MCP9600Configuration().type == .k)
        #expect(ThermocoupleType(rawValue: 8) == nil)
        #expect(ThermocoupleType.allCases.count == 8)
    }

    // MARK: Sensor configuration (0x05)

    @Test(arguments: ThermocoupleType.allCases, Array(UInt8(0)...7))
    func sensorConfigurationRoundTrips(type: ThermocoupleType, filter: UInt8) throws {
        let configuration = try #require(
            R.SensorConfiguration(type: type, filterCoefficient: filter))
        #expect(configuration.byte == type.rawValue << 4 | filter)
        #expect(configuration.byte & 0b1000_1000 == 0)
        #expect(R.SensorConfiguration(byte: configuration.byte) == configuration)
    }

    @Test func sensorConfigurationLiteralBytes() throws {
        let jFilter3 = try #require(R.SensorConfiguration(type: .j, filterCoefficient: 3))
        #expect(jFilter3.byte == 0x13)
        let rFilter7 = try #require(R.SensorConfiguration(type: .r, filterCoefficient: 7))
        #expect(rFilter7.byte == 0x77)
        // Unimplemented bits 7 and 3 are ignored when decoding.
        #expect(R.SensorConfiguration(byte: 0xFF) == rFilter7)
        #expect(R.SensorConfiguration(byte: 0x08).byte == 0x00)
    }

    @Test(arguments: [UInt8(8), 9, 0x80, 0xFF])
    func filterCoefficientAboveSevenIsRejected(filter: UInt8) {
        #expect(R.SensorConfiguration(type: .k, filterCoefficient: filter) == nil)
    }

    // MARK: Device configuration (0x06)

    @Test func everyDeviceConfigurationRoundTripsWithFieldsInTheirBits() {
        for coldJunction in R.ColdJunctionResolution.allCases {
            for adc in R.ADCResolution.allCases {
                for burst in R.BurstSamples.allCases {
                    for mode in R.Mode.allCases {
                        let configuration = R.DeviceConfiguration(
                            coldJunctionResolution: coldJunction, adcResolution: adc,
                            burstSamples: burst, mode: mode)
                        let byte = configuration.byte
                        #expect(byte >> 7 == coldJunction.rawValue)
                        #expect((byte >> 5) & 0b11 == adc.rawValue)
                        #expect((byte >> 2) & 0b111 == burst.rawValue)
                        #expect(byte & 0b11 == mode.rawValue)
                        #expect(R.DeviceConfiguration(byte: byte) == configuration)
                    }
                }
            }
        }
    }

    @Test(arguments: [
        (
            UInt8(0x00), R.ColdJunctionResolution.sixteenthDegree, R.ADCResolution.bits18,
            R.BurstSamples.samples1, R.Mode.normal
        ),
        (0x20, .sixteenthDegree, .bits16, .samples1, .normal),
        (0x01, .sixteenthDegree, .bits18, .samples1, .shutdown),
        (0x1E, .sixteenthDegree, .bits18, .samples128, .burst),
        (0x80, .quarterDegree, .bits18, .samples1, .normal),
        (0x40, .sixteenthDegree, .bits14, .samples1, .normal),
        (0x60, .sixteenthDegree, .bits12, .samples1, .normal),
        (0x0C, .sixteenthDegree, .bits18, .samples8, .normal),
        (0xFE, .quarterDegree, .bits12, .samples128, .burst),
    ])
    func deviceConfigurationLiteralBytes(
        byte: UInt8, coldJunction: R.ColdJunctionResolution, adc: R.ADCResolution,
        burst: R.BurstSamples, mode: R.Mode
    ) {
        let expected = R.DeviceConfiguration(
            coldJunctionResolution: coldJunction, adcResolution: adc, burstSamples: burst,
            mode: mode)
        #expect(expected.byte == byte)
        #expect(R.DeviceConfiguration(byte: byte) == expected)
    }

    @Test(arguments: [UInt8(0x03), 0x23, 0xFF])
    func undefinedModeCodeDoesNotDecode(byte: UInt8) {
        #expect(R.DeviceConfiguration(byte: byte) == nil)
    }

    @Test func powerOnDefaultsAreAllZeroBits() {
        #expect(R.DeviceConfiguration().byte == 0x00)
    }

    @Test(arguments: [
        (R.ADCResolution.bits18, 18, 320),
        (.bits16, 16, 80),
        (.bits14, 14, 20),
        (.bits12, 12, 5),
    ])
    func adcResolutionBitsAndConversionTimes(
        resolution: R.ADCResolution, bits: Int, milliseconds: Int
    ) {
        #expect(resolution.bits == bits)
        #expect(resolution.conversionTimeMilliseconds == milliseconds)
    }

    @Test func burstSampleCountsArePowersOfTwo() {
        #expect(R.BurstSamples.allCases.map(\.count) == [1, 2, 4, 8, 16, 32, 64, 128])
    }

    @Test func coldJunctionResolutionSteps() {
        #expect(R.ColdJunctionResolution.sixteenthDegree.stepCelsius == 0.0625)
        #expect(R.ColdJunctionResolution.quarterDegree.stepCelsius == 0.25)
        #expect(R.ColdJunctionResolution.sixteenthDegree.conversionTimeMilliseconds == 250)
        #expect(R.ColdJunctionResolution.quarterDegree.conversionTimeMilliseconds == 63)
    }

    // MARK: Status (0x04)

    struct StatusCase: Sendable, CustomTestStringConvertible {
        var byte: UInt8
        var model: MCP9600Model
        var burstComplete = false
        var temperatureUpdated = false
        var inputRange = false
        var open = false
        var short = false
        var alerts: [Int] = []
        var fault: SensorFault?
        var testDescription: String { "\(model) 0x\(String(byte, radix: 16))" }
    }

    static let statusCases: [StatusCase] = [
        StatusCase(byte: 0x00, model: .mcp9600),
        StatusCase(byte: 0x00, model: .mcp9601),
        StatusCase(byte: 0x80, model: .mcp9600, burstComplete: true),
        StatusCase(byte: 0x80, model: .mcp9601, burstComplete: true),
        StatusCase(byte: 0x40, model: .mcp9600, temperatureUpdated: true),
        StatusCase(byte: 0x40, model: .mcp9601, temperatureUpdated: true),
        // Bit 5: unimplemented on the MCP9600, short circuit on the MCP9601.
        StatusCase(byte: 0x20, model: .mcp9600),
        StatusCase(byte: 0x20, model: .mcp9601, short: true, fault: .shortCircuit),
        // Bit 4: input range on the MCP9600, open circuit on the MCP9601.
        StatusCase(byte: 0x10, model: .mcp9600, inputRange: true, fault: .inputRangeExceeded),
        StatusCase(byte: 0x10, model: .mcp9601, open: true, fault: .openCircuit),
        StatusCase(byte: 0x01, model: .mcp9600, alerts: [1]),
        StatusCase(byte: 0x02, model: .mcp9601, alerts: [2]),
        StatusCase(byte: 0x04, model: .mcp9600, alerts: [3]),
        StatusCase(byte: 0x08, model: .mcp9601, alerts: [4]),
        StatusCase(byte: 0x0F, model: .mcp9600, alerts: [1, 2, 3, 4]),
        StatusCase(byte: 0x30, model: .mcp9601, open: true, short: true, fault: .shortCircuit),
        StatusCase(
            byte: 0x50, model: .mcp9600, temperatureUpdated: true, inputRange: true,
            fault: .inputRangeExceeded),
        StatusCase(
            byte: 0xFF, model: .mcp9600, burstComplete: true, temperatureUpdated: true,
            inputRange: true, alerts: [1, 2, 3, 4], fault: .inputRangeExceeded),
        StatusCase(
            byte: 0xFF, model: .mcp9601, burstComplete: true, temperatureUpdated: true, open: true,
            short: true, alerts: [1, 2, 3, 4], fault: .shortCircuit),
    ]

    @Test(arguments: statusCases)
    func statusFlagsDecodePerModel(_ c: StatusCase) {
        let status = R.Status(rawValue: c.byte, model: c.model)
        #expect(status.burstComplete == c.burstComplete)
        #expect(status.temperatureUpdated == c.temperatureUpdated)
        #expect(status.inputRangeExceeded == c.inputRange)
        #expect(status.openCircuit == c.open)
        #expect(status.shortCircuit == c.short)
        #expect((1...4).filter { status.alert($0) } == c.alerts)
        #expect(status.fault == c.fault)
    }

    @Test func statusMasksAreTheDataSheetBits() {
        #expect(R.Status.burstCompleteMask == 1 << 7)
        #expect(R.Status.temperatureUpdatedMask == 1 << 6)
        #expect(R.Status.shortCircuitMask == 1 << 5)
        #expect(R.Status.inputRangeOrOpenCircuitMask == 1 << 4)
        #expect((1...4).compactMap(R.Status.alertMask) == [0x01, 0x02, 0x04, 0x08])
        #expect(R.Status.alertMask(0) == nil)
        #expect(R.Status(rawValue: 0x0F, model: .mcp9600).alert(5) == false)
    }

    @Test func statusDescriptionNamesTheFlags() {
        let status = R.Status(rawValue: 0x51, model: .mcp9600)
        #expect(status.description == "0x51 (MCP9600: T_H updated, input range, alert 1)")
        #expect(R.Status(rawValue: 0, model: .mcp9601).description == "0x00 (MCP9601: no flags)")
    }

    // MARK: Identity (0x20)

    @Test(arguments: [
        (UInt16(0x4010), UInt8(0x40), UInt8(0x10), MCP9600Model?.some(.mcp9600)),
        (0x4112, 0x41, 0x12, .mcp9601),
        (0x40FF, 0x40, 0xFF, .mcp9600),
        (0x5A00, 0x5A, 0x00, nil),
        (0xFFFF, 0xFF, 0xFF, nil),
        (0x0040, 0x00, 0x40, nil),  // byte order matters: 0x40 in the low byte is a revision
    ])
    func identityWordSplitsIntoIDAndRevision(
        word: UInt16, id: UInt8, revision: UInt8, model: MCP9600Model?
    ) {
        let identity = R.DeviceIdentity(word: word)
        #expect(identity.deviceID == id)
        #expect(identity.revision == revision)
        #expect(identity.model == model)
        #expect(identity.word == word)
    }

    @Test func modelsAndTheirIDs() {
        #expect(MCP9600Model.mcp9600.deviceID == 0x40)
        #expect(MCP9600Model.mcp9601.deviceID == 0x41)
        #expect(MCP9600Model(deviceID: 0x42) == nil)
        #expect(!MCP9600Model.mcp9600.detectsOpenAndShortCircuit)
        #expect(MCP9600Model.mcp9601.detectsOpenAndShortCircuit)
        #expect(R.DeviceIdentity(word: 0x4112).description == "MCP9601 revision 0x12")
        #expect(R.DeviceIdentity(word: 0x5A00).description == "unknown device 0x5a revision 0x00")
    }
}
