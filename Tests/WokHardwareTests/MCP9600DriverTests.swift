// The MCP9600 driver against the register-level simulator (and two small scripted devices).
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct MCP9600DriverTests {
    typealias R = MCP9600Registers

    static let allBusFailures: [BusFailure] = [
        .noDevice, .nack, .timeout, .busError, .other(errno: 121),
    ]

    /// A driver opened on a fresh simulated chip; `driver.device` is that chip (a shared object).
    static func opened(
        _ model: MCP9600Model = .mcp9600, configuration: MCP9600Configuration = .init()
    ) throws -> MCP9600<SimulatedMCP9600> {
        try MCP9600.open(device: SimulatedMCP9600(model: model), configuration: configuration)
    }

    // MARK: Opening

    @Test(arguments: MCP9600Model.allCases)
    func openTellsTheModelsApart(model: MCP9600Model) throws {
        let chip = SimulatedMCP9600(model: model, revision: 0x23)
        let driver = try MCP9600.open(device: chip, configuration: .init())
        #expect(driver.model == model)
        #expect(driver.identity == R.DeviceIdentity(deviceID: model.deviceID, revision: 0x23))
    }

    @Test(arguments: [UInt8(0x00), 0x42, 0x5A, 0xFF])
    func wrongIDIsRefusedNamingBusAndAddress(id: UInt8) {
        let location = I2CLocation(bus: "/dev/i2c-1", address: 0x60)
        let device = ScriptedDevice(location: location, words: [0x20: UInt16(id) << 8 | 0x01])
        #expect(throws: MCP9600Error.wrongDevice(found: id, location: location)) {
            _ = try MCP9600.open(device: device, configuration: .init())
        }
        let error = MCP9600Error.wrongDevice(found: id, location: location)
        #expect(error.description.contains("/dev/i2c-1 @ 0x60"))
        #expect(error.description.contains(hexByte(id)))
    }

    @Test func wrongIDWritesNothing() {
        let device = ScriptedDevice(words: [0x20: 0x5A00])
        let log = device.log
        #expect(throws: MCP9600Error.self) {
            _ = try MCP9600.open(device: device, configuration: .init())
        }
        #expect(log.writes.isEmpty)
    }

    @Test(arguments: [
        (MCP9600Configuration(), UInt8(0x01), UInt8(0x20)),
        (
            MCP9600Configuration(
                type: .j, filterCoefficient: 3, adcResolution: .bits14,
                coldJunctionFine: false), 0x13, 0xC0
        ),
        (MCP9600Configuration(type: .r, filterCoefficient: 7, adcResolution: .bits18), 0x77, 0x00),
        (MCP9600Configuration(type: .t, filterCoefficient: 0, adcResolution: .bits12), 0x20, 0x60),
    ])
    func openWritesTheConfigurationAndItReadsBack(
        configuration: MCP9600Configuration, sensorByte: UInt8, deviceByte: UInt8
    ) throws {
        var driver = try Self.opened(configuration: configuration)
        let chip = driver.device
        #expect(try chip.readByte(register: 0x05) == sensorByte)
        #expect(try chip.readByte(register: 0x06) == deviceByte)
        #expect(try driver.readSensorConfiguration().type == configuration.type)
        #expect(
            try driver.readSensorConfiguration().filterCoefficient
                == configuration.filterCoefficient)
        #expect(try driver.readDeviceConfiguration() == configuration.deviceConfiguration)
        #expect(try driver.readDeviceConfiguration()?.mode == .normal)
        #expect(chip.thermocoupleType == configuration.type)
        #expect(driver.configuration == configuration)
    }

    @Test func configurationThatDoesNotStickIsAMismatch() {
        let location = I2CLocation(bus: "/dev/i2c-1", address: 0x67)
        let device = ScriptedDevice(
            location: location, words: [0x20: 0x4000], bytes: [0x05: 0x00, 0x06: 0x00],
            ignoresWrites: true)
        #expect(
            throws: MCP9600Error.configurationMismatch(
                register: 0x05, wrote: 0x01, readBack: 0x00, location: location)
        ) {
            _ = try MCP9600.open(device: device, configuration: .init())
        }
    }

    @Test func filterAboveSevenIsRefusedBeforeTouchingTheBus() {
        let chip = SimulatedMCP9600()
        #expect(
            throws: MCP9600Error.invalidConfiguration(
                reason: "filter coefficient 8 is outside 0...7")
        ) {
            _ = try MCP9600.open(device: chip, configuration: .init(filterCoefficient: 8))
        }
        #expect(chip.transfers == 0)
    }

    @Test(arguments: allBusFailures)
    func busFailureWhileOpeningIsTypedWithTheRegister(failure: BusFailure) {
        let chip = SimulatedMCP9600()
        chip.busFailure = failure
        let expected = I2CError(
            failure: failure, location: chip.location, register: 0x20, operation: "read word")
        #expect(throws: MCP9600Error.bus(expected)) {
            _ = try MCP9600.open(device: chip, configuration: .init())
        }
    }

    // MARK: Reading

    @Test(
        arguments: MCP9600Model.allCases,
        [
            (20.0, 20.0, 20.0, 20.0, Int16(320)),
            (123.45, 21.3, 123.4375, 21.3125, 1975),
            (250.03, 35.0, 250.0, 35.0, 4000),
            (250.04, 35.0, 250.0625, 35.0, 4001),
            (-12.5, -3.03, -12.5, -3.0, -200),
            (-0.03, 0.0, 0.0, 0.0, 0),
            (-0.04, 0.0, -0.0625, 0.0, -1),
            (1372.0, 60.0, 1372.0, 60.0, 21952),
            (-200.0, -40.0, -200.0, -40.0, -3200),
        ])
    func readingsAreQuantisedToSixteenthsOfADegree(
        model: MCP9600Model,
        reading: (
            hotC: Double, coldC: Double, expectedHotC: Double, expectedColdC: Double, raw: Int16
        )
    ) throws {
        var driver = try Self.opened(model)
        let chip = driver.device
        chip.present(hotC: reading.hotC, coldC: reading.coldC)
        #expect(
            driver.read()
                == .success(
                    ThermocoupleSample(
                        hotC: reading.expectedHotC, coldC: reading.expectedColdC,
                        rawHot: reading.raw, freshConversion: true)))
    }

    @Test func aGoodReadIsItsTransfersInOrder() throws {
        let device = ScriptedDevice(words: [0x20: 0x4000, 0x00: 0x0190, 0x02: 0x0140])
        let log = device.log
        var driver = try MCP9600.open(device: device, configuration: .init())
        log.reads.removeAll()
        log.writes.removeAll()
        // STATUS says "T_H updated" (0x40): it is cleared before T_H is read.
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 25, coldC: 20, rawHot: 400, freshConversion: true)))
        #expect(log.reads == [0x04, 0x00, 0x02])
        #expect(log.writes.map(\.register) == [0x04] && log.writes.map(\.value) == [0x00])
        // Nothing new since: three transfers, no write.
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 25, coldC: 20, rawHot: 400, freshConversion: false)))
        #expect(log.reads == [0x04, 0x00, 0x02, 0x04, 0x00, 0x02])
        #expect(log.writes.count == 1)
    }

    @Test func coarseColdJunctionReadsInQuarterDegrees() throws {
        var driver = try Self.opened(configuration: .init(coldJunctionFine: false))
        let chip = driver.device
        chip.present(hotC: 100, coldC: 21.3)
        #expect(try driver.readColdJunctionC() == 21.25)
    }

    struct ConditionCase: Sendable, CustomTestStringConvertible {
        var model: MCP9600Model
        var probe: ProbeCondition
        var hotC: Double
        var coldC = 25.0
        var expected: Result<ThermocoupleSample, SensorFault>
        var testDescription: String { "\(model) probe \(probe) at \(hotC) °C" }
    }

    static let conditionCases: [ConditionCase] = [
        // MCP9600: no open/short flags. Open floats out of range; short reads the cold junction.
        ConditionCase(
            model: .mcp9600, probe: .open, hotC: 300, expected: .failure(.inputRangeExceeded)),
        ConditionCase(
            model: .mcp9600, probe: .shorted, hotC: 300,
            expected: .success(ThermocoupleSample(hotC: 25, coldC: 25, rawHot: 400, freshConversion: true))),
        ConditionCase(
            model: .mcp9600, probe: .connected, hotC: 1400, expected: .failure(.inputRangeExceeded)),
        ConditionCase(
            model: .mcp9600, probe: .connected, hotC: -210, expected: .failure(.inputRangeExceeded)),
        // MCP9601: open and short flags; its open flag is the bit the MCP9600 uses for input range.
        ConditionCase(model: .mcp9601, probe: .open, hotC: 300, expected: .failure(.openCircuit)),
        ConditionCase(
            model: .mcp9601, probe: .shorted, hotC: 300, expected: .failure(.shortCircuit)),
        ConditionCase(
            model: .mcp9601, probe: .connected, hotC: 1400, expected: .failure(.openCircuit)),
        // In range on either model: a plain reading.
        ConditionCase(
            model: .mcp9601, probe: .connected, hotC: 1372, coldC: 30,
            expected: .success(ThermocoupleSample(hotC: 1372, coldC: 30, rawHot: 21952, freshConversion: true))),
    ]

    @Test(arguments: conditionCases)
    func statusConditionsBecomeSensorFaults(_ c: ConditionCase) throws {
        var driver = try Self.opened(c.model)
        let chip = driver.device
        chip.present(hotC: c.hotC, coldC: c.coldC)
        chip.probe = c.probe
        let before = chip.transfers
        #expect(driver.read() == c.expected)
        if case .failure = c.expected {
            #expect(chip.transfers - before == 1, "a STATUS fault ends the read after one transfer")
        }
    }

    @Test(arguments: MCP9600Model.allCases)
    func aProbeThatIsFixedReadsAgain(model: MCP9600Model) throws {
        var driver = try Self.opened(model)
        let chip = driver.device
        chip.present(hotC: 180, coldC: 25)
        chip.probe = .open
        #expect(driver.read() == .failure(model == .mcp9601 ? .openCircuit : .inputRangeExceeded))
        chip.probe = .connected
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 180, coldC: 25, rawHot: 2880, freshConversion: true)))
    }

    @Test(arguments: allBusFailures, [R.status, R.hotJunction, R.coldJunction])
    func everyBusFailureOnEveryAccessIsReportedAsBus(failure: BusFailure, register: UInt8) throws {
        let chip = SimulatedMCP9600()
        var driver = try MCP9600.open(
            device: FailingOn(inner: chip, register: register, failure: failure),
            configuration: .init())
        driver.device.attempts.removeAll()
        #expect(driver.read() == .failure(.bus(failure)))
        // The read stops at the failed access and does not try it (or anything) again. A fresh
        // conversion's flag is cleared (STATUS written) before T_H is read.
        let order = [R.status, R.status, R.hotJunction, R.coldJunction]
        let expected = Array(order.prefix(through: try #require(order.lastIndex(of: register))))
        #expect(driver.device.attempts == (register == R.status ? [R.status] : expected))
        driver.device.register = 0xFF  // the failing access clears
        // A failed read after the clear leaves the flag clear: the next read says so, and the
        // conversion after it is fresh again.
        let cleared = register != R.status
        #expect(
            driver.read() == .success(ThermocoupleSample(hotC: 20, coldC: 20, rawHot: 320, freshConversion: !cleared)))
    }

    @Test(arguments: allBusFailures)
    func busFailureIsOneTransferNoRetry(failure: BusFailure) throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.busFailure = failure
        let before = chip.transfers
        #expect(driver.read() == .failure(.bus(failure)))
        #expect(chip.transfers - before == 1)
    }

    @Test(arguments: allBusFailures)
    func readingRecoversWhenTheBusDoes(failure: BusFailure) throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.present(hotC: 210, coldC: 28)
        chip.busFailure = failure
        #expect(driver.read() == .failure(.bus(failure)))
        #expect(driver.read() == .failure(.bus(failure)))
        chip.busFailure = nil
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 210, coldC: 28, rawHot: 3360, freshConversion: true)))
    }

    @Test func aChipThatIsGoneIsNoDeviceUntilItIsBack() throws {
        var driver = try Self.opened(.mcp9601)
        let chip = driver.device
        chip.present(hotC: 99, coldC: 22)
        chip.isPresent = false
        #expect(driver.read() == .failure(.bus(.noDevice)))
        chip.busFailure = .timeout  // absence wins: nothing is there to time out
        #expect(driver.read() == .failure(.bus(.noDevice)))
        chip.busFailure = nil
        chip.isPresent = true
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 99, coldC: 22, rawHot: 1584, freshConversion: true)))
    }

    @Test func openingAChipThatIsGoneIsNoDevice() {
        let chip = SimulatedMCP9600()
        chip.isPresent = false
        #expect(
            throws: MCP9600Error.bus(
                I2CError(
                    failure: .noDevice, location: chip.location, register: 0x20,
                    operation: "read word"))
        ) {
            _ = try MCP9600.open(device: chip, configuration: .init())
        }
    }

    @Test(arguments: [
        // The chip lost its configuration (a brown-out resets it to type K) and so flags nothing,
        // but the hot junction is outside the type the driver configured.
        (ThermocoupleType.t, 500.0),
        (.s, 100.0),
        (.b, 900.0),
        (.j, 1250.0),
    ])
    func outOfTypeRangeReadingIsImplausible(configured: ThermocoupleType, hotC: Double) throws {
        var driver = try Self.opened(configuration: .init(type: configured))
        let chip = driver.device
        try chip.writeByte(register: 0x05, value: 0x00)  // power-on value: type K, no filter
        chip.present(hotC: hotC, coldC: 25)
        #expect(driver.read() == .failure(.implausible(celsius: hotC)))
    }

    @Test func edgesOfTheTypeRangeArePlausible() throws {
        var driver = try Self.opened(configuration: .init(type: .t))
        let chip = driver.device
        chip.present(hotC: 400, coldC: 25)
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 400, coldC: 25, rawHot: 6400, freshConversion: true)))
        chip.present(hotC: -200, coldC: 25)
        #expect(driver.read() == .success(ThermocoupleSample(hotC: -200, coldC: 25, rawHot: -3200, freshConversion: true)))
    }

    @Test func aFrozenConverterRepeatsItsRawValue() throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.present(hotC: 150, coldC: 25)
        let first = try driver.read().get()
        chip.isFrozen = true
        chip.present(hotC: 250, coldC: 26)
        let second = try driver.read().get()
        #expect(second.rawHot == first.rawHot)
        #expect(second.hotC == 150)
        chip.isFrozen = false
        #expect(try driver.read().get().hotC == 250)
    }

    // MARK: Probe-command reads

    @Test func probeReadsReportWhatTheChipHolds() throws {
        var driver = try Self.opened(.mcp9601)
        let chip = driver.device
        chip.present(hotC: 1500, coldC: 24.5)
        #expect(try driver.readHotJunctionC() == 1500)  // not judged: the probe shows raw truth
        #expect(try driver.readColdJunctionC() == 24.5)
        let status = try driver.readStatus()
        #expect(status.model == .mcp9601)
        #expect(status.openCircuit)
        #expect(status.temperatureUpdated)
        #expect(try driver.readIdentity() == driver.identity)
    }

    @Test func probeReadsThrowTypedBusErrors() throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.busFailure = .timeout
        let location = chip.location
        #expect(
            throws: MCP9600Error.bus(
                I2CError(
                    failure: .timeout, location: location, register: 0x00, operation: "read word"))
        ) { _ = try driver.readHotJunctionC() }
        #expect(
            throws: MCP9600Error.bus(
                I2CError(
                    failure: .timeout, location: location, register: 0x02, operation: "read word"))
        ) { _ = try driver.readColdJunctionC() }
        #expect(
            throws: MCP9600Error.bus(
                I2CError(
                    failure: .timeout, location: location, register: 0x04, operation: "read byte"))
        ) { _ = try driver.readStatus() }
        #expect(
            throws: MCP9600Error.bus(
                I2CError(
                    failure: .timeout, location: location, register: 0x20, operation: "read word"))
        ) { _ = try driver.readIdentity() }
    }

    // MARK: Error text

    @Test func errorsReadWellForAPerson() {
        let location = I2CLocation(bus: "/dev/i2c-1", address: 0x67)
        #expect(location.description == "/dev/i2c-1 @ 0x67")
        #expect(I2CLocation(bus: "sim-i2c", address: 0x0A).description == "sim-i2c @ 0x0a")
        let error = I2CError(
            failure: .timeout, location: location, register: 0x00, operation: "read word")
        #expect(
            error.description == "read word register 0x00 on /dev/i2c-1 @ 0x67: transfer timed out")
        let mismatch = MCP9600Error.configurationMismatch(
            register: 0x06, wrote: 0x20, readBack: 0x00, location: location)
        #expect(
            mismatch.description
                == "MCP9600 at /dev/i2c-1 @ 0x67: register 0x06 read back 0x00 after writing 0x20")
        #expect(SimulatedMCP9600().location.description == "sim-i2c @ 0x67")
    }
}

// MARK: - Test devices

/// What a `ScriptedDevice` was asked to do, shared by reference so a test can look after a copy
/// of the device has gone into the driver.
final class TransferLog {
    var reads: [UInt8] = []
    var writes: [(register: UInt8, value: UInt8)] = []
}

/// A device with fixed register contents; optionally ignores writes (a chip that does not
/// latch its configuration).
struct ScriptedDevice: I2CDevice {
    var location = I2CLocation(bus: "/dev/i2c-1", address: 0x67)
    var words: [UInt8: UInt16] = [:]
    var bytes: [UInt8: UInt8] = [:]
    var ignoresWrites = false
    let log = TransferLog()

    init(
        location: I2CLocation = I2CLocation(bus: "/dev/i2c-1", address: 0x67),
        words: [UInt8: UInt16] = [:], bytes: [UInt8: UInt8] = [0x04: 0x40],
        ignoresWrites: Bool = false
    ) {
        self.location = location
        self.words = words
        self.bytes = bytes
        self.ignoresWrites = ignoresWrites
    }

    mutating func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        log.reads.append(register)
        guard let value = bytes[register] else { throw nack(register, "read byte") }
        return value
    }

    mutating func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        log.reads.append(register)
        guard let value = words[register] else { throw nack(register, "read word") }
        return value
    }

    mutating func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        log.writes.append((register, value))
        if !ignoresWrites { bytes[register] = value }
    }

    private func nack(_ register: UInt8, _ operation: String) -> I2CError {
        I2CError(failure: .nack, location: location, register: register, operation: operation)
    }
}

/// Passes transfers to `inner` except those naming `register`, which fail with `failure`.
struct FailingOn<Inner: I2CDevice>: I2CDevice {
    var inner: Inner
    var register: UInt8
    var failure: BusFailure
    /// Every register a transfer named, failed ones included.
    var attempts: [UInt8] = []

    var location: I2CLocation { inner.location }

    mutating func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        try check(register, "read byte")
        return try inner.readByte(register: register)
    }

    mutating func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        try check(register, "read word")
        return try inner.readWord(register: register)
    }

    mutating func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        try check(register, "write byte")
        try inner.writeByte(register: register, value: value)
    }

    private mutating func check(_ register: UInt8, _ operation: String) throws(I2CError) {
        attempts.append(register)
        if register == self.register {
            throw I2CError(
                failure: failure, location: location, register: register, operation: operation)
        }
    }
}
