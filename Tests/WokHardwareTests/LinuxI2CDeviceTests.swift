// The Linux I2C transport against a fake kernel: errno mapping, byte order, opening, closing.
// The last tests call the real libi2c shim on paths that do not exist, so no /dev is needed.
import Testing
import WokCore

@testable import WokHardware

/// Plays the kernel: scripted results per call, every call recorded.
final class FakeSMBus: SMBusCalls {
    var openResult: Int32 = 3
    var setAddressResult: Int32 = 0
    var setTimeoutResult: Int32 = 0
    var transferResult: Int32 = 0
    private(set) var calls: [String] = []

    func open(path: String) -> Int32 {
        calls.append("open \(path)")
        return openResult
    }
    func setAddress(descriptor: Int32, address: UInt8) -> Int32 {
        calls.append("address \(descriptor) \(hexByte(address))")
        return setAddressResult
    }
    func setTimeout(descriptor: Int32, tensOfMilliseconds: UInt32) -> Int32 {
        calls.append("timeout \(tensOfMilliseconds)")
        return setTimeoutResult
    }
    func readByteData(descriptor: Int32, register: UInt8) -> Int32 {
        calls.append("read byte \(hexByte(register))")
        return transferResult
    }
    func readWordData(descriptor: Int32, register: UInt8) -> Int32 {
        calls.append("read word \(hexByte(register))")
        return transferResult
    }
    func writeByteData(descriptor: Int32, register: UInt8, value: UInt8) -> Int32 {
        calls.append("write byte \(hexByte(register)) \(hexByte(value))")
        return transferResult
    }
    func close(descriptor: Int32) -> Int32 {
        calls.append("close \(descriptor)")
        return 0
    }
}

@Suite struct LinuxI2CDeviceTests {
    static func opened(_ fake: FakeSMBus, timeout: Double? = 0.05) throws -> LinuxI2CDevice<FakeSMBus> {
        try LinuxI2CDevice(bus: "/dev/i2c-1", address: 0x67, transferTimeoutSeconds: timeout, calls: fake)
    }

    @Test(arguments: [
        (Int32(6), BusFailure.noDevice),  // ENXIO
        (19, .noDevice),  // ENODEV
        (121, .nack),  // EREMOTEIO
        (110, .timeout),  // ETIMEDOUT
        (5, .busError),  // EIO
        (11, .busError),  // EAGAIN
        (16, .busError),  // EBUSY
        (71, .busError),  // EPROTO
        (74, .busError),  // EBADMSG
        (95, .other(errno: 95)),  // EOPNOTSUPP
        (4, .other(errno: 4)),  // EINTR
    ])
    func kernelErrorsBecomeTypedFailuresNamingBusAddressAndRegister(errno: Int32, failure: BusFailure) throws {
        let fake = FakeSMBus()
        let device = try Self.opened(fake)
        fake.transferResult = -errno
        let location = I2CLocation(bus: "/dev/i2c-1", address: 0x67)
        #expect(throws: I2CError(failure: failure, location: location, register: 0x04, operation: "read byte")) {
            _ = try device.readByte(register: 0x04)
        }
        #expect(throws: I2CError(failure: failure, location: location, register: 0x00, operation: "read word")) {
            _ = try device.readWord(register: 0x00)
        }
        #expect(throws: I2CError(failure: failure, location: location, register: 0x05, operation: "write byte")) {
            try device.writeByte(register: 0x05, value: 0x01)
        }
        #expect(BusFailure(errno: errno) == failure)
    }

    @Test(arguments: [
        (BusFailure.nack, true), (.timeout, true), (.busError, true), (.other(errno: 4), true),
        (.noDevice, false), (.other(errno: 95), false), (.other(errno: 22), false),
    ])
    func onlyFailuresThatMayClearAreRetryable(failure: BusFailure, retryable: Bool) {
        #expect(failure.mayClearOnRetry == retryable)
    }

    @Test func wordsArriveLowByteFirstAndAreSwappedToMostSignificantFirst() throws {
        let fake = FakeSMBus()
        let device = try Self.opened(fake)
        fake.transferResult = 0x9001  // bus order: 0x01 then 0x90; the MCP9600 sends MSB first
        #expect(try device.readWord(register: 0x00) == 0x0190)
        fake.transferResult = 0x00AB
        #expect(try device.readByte(register: 0x04) == 0xAB)
        fake.transferResult = 0
        try device.writeByte(register: 0x06, value: 0x20)
        #expect(fake.calls.suffix(3) == ["read word 0x00", "read byte 0x04", "write byte 0x06 0x20"])
    }

    @Test func openAddressesTheDeviceAndSetsTheTransferTimeoutInTensOfMilliseconds() throws {
        let fake = FakeSMBus()
        _ = try Self.opened(fake, timeout: 0.05)
        #expect(fake.calls.prefix(3) == ["open /dev/i2c-1", "address 3 0x67", "timeout 5"])
        let rounding = FakeSMBus()
        _ = try Self.opened(rounding, timeout: 0.011)
        #expect(rounding.calls.contains("timeout 2"))
        let none = FakeSMBus()
        _ = try Self.opened(none, timeout: nil)
        #expect(!none.calls.contains { $0.hasPrefix("timeout") })
    }

    @Test(arguments: [
        ("open", Int32(2), "no such bus"),
        ("open", 13, "i2c group"),
        ("set address", 16, "kernel driver has claimed"),
        ("set timeout", 22, "errno 22"),
    ])
    func openFailuresSayWhatToCheckAndCloseWhatWasOpened(step: String, errno: Int32, phrase: String) {
        let fake = FakeSMBus()
        switch step {
        case "open": fake.openResult = -errno
        case "set address": fake.setAddressResult = -errno
        default: fake.setTimeoutResult = -errno
        }
        #expect {
            _ = try Self.opened(fake)
        } throws: { error in
            guard let error = error as? I2COpenError else { return false }
            return error.step == step && error.errno == errno && error.description.contains(phrase)
                && error.description.contains("/dev/i2c-1 @ 0x67")
        }
        #expect(fake.calls.contains("close 3") == (step != "open"))
    }

    @Test func aClosedDeviceRefusesTransfersAndClosesOnce() throws {
        let fake = FakeSMBus()
        let device = try Self.opened(fake)
        device.close()
        device.close()
        #expect(fake.calls.filter { $0.hasPrefix("close") } == ["close 3"])
        #expect(throws: I2CError.self) { _ = try device.readByte(register: 0x04) }
        #expect(!fake.calls.contains("read byte 0x04"))
    }

    @Test func theDriverWorksOverTheTransport() throws {
        // An MCP9600 whose ID word and registers come back in bus (low byte first) order.
        final class ChipOnBus: SMBusCalls {
            var bytes: [UInt8: Int32] = [0x04: 0x40]
            let words: [UInt8: Int32] = [0x20: 0x1040, 0x00: 0x9001, 0x02: 0x4001]
            func open(path: String) -> Int32 { 3 }
            func setAddress(descriptor: Int32, address: UInt8) -> Int32 { 0 }
            func setTimeout(descriptor: Int32, tensOfMilliseconds: UInt32) -> Int32 { 0 }
            func readByteData(descriptor: Int32, register: UInt8) -> Int32 { bytes[register] ?? -6 }
            func readWordData(descriptor: Int32, register: UInt8) -> Int32 { words[register] ?? -6 }
            func writeByteData(descriptor: Int32, register: UInt8, value: UInt8) -> Int32 {
                bytes[register] = Int32(value)
                return 0
            }
            func close(descriptor: Int32) -> Int32 { 0 }
        }
        let device = try LinuxI2CDevice(bus: "/dev/i2c-1", address: 0x67, transferTimeoutSeconds: nil, calls: ChipOnBus())
        var driver = try MCP9600.open(device: device)
        #expect(driver.model == .mcp9600)
        #expect(driver.identity.revision == 0x10)
        #expect(driver.read() == .success(ThermocoupleSample(hotC: 25, coldC: 20, rawHot: 400, freshConversion: true)))
    }

    // MARK: The real shims, without devices

    @Test func theRealTransportReportsAMissingBus() {
        #expect {
            _ = try LinuxI2CDevice(bus: "/nonexistent/i2c-9", address: 0x67, transferTimeoutSeconds: 0.05)
        } throws: { error in
            (error as? I2COpenError)?.errno == LinuxErrno.noEntry
        }
    }

    @Test func theRealGPIOShimReportsAMissingChipWithoutTouchingAnyLine() {
        #expect([1, 2].contains(GPIOChip.apiVersion))
        #expect(throws: GPIOError(operation: "read chip information", chip: "/nonexistent/gpiochip9", line: nil, errno: 2)) {
            _ = try GPIOChip.info(chipPath: "/nonexistent/gpiochip9")
        }
        #expect(throws: GPIOError(operation: "request as output", chip: "/nonexistent/gpiochip9", line: 17, errno: 2)) {
            _ = try GPIOOutputLine(chipPath: "/nonexistent/gpiochip9", line: 17, activeLow: false)
        }
        #expect(throws: GPIOError(operation: "request as output", chip: "/dev/gpiochip0", line: -1, errno: 22)) {
            _ = try GPIOOutputLine(chipPath: "/dev/gpiochip0", line: -1, activeLow: false)
        }
    }
}
