// Test doubles: i2c-stub's register bank as the kernel keeps it, and a clock that only sleeps move.
import WokHardware
import WokRigPlant

/// The kernel's i2c-stub chip: one 16-bit word per register, as `drivers/i2c/i2c-stub.c` keeps it.
///
/// A word write stores the word and a word read returns it; a byte write replaces the word's low
/// byte and a byte read returns the low byte. It serves both sides: the plant's SMBus writes
/// (`StubRegisterWriter`) and, through the real `LinuxI2CDevice`, the driver's reads (`SMBusCalls`),
/// so a test sees exactly what wokd would read from what the plant wrote.
final class FakeI2CStub: SMBusCalls, StubRegisterWriter {
    private(set) var words = [UInt16](repeating: 0, count: 256)
    /// While non-zero, every transfer fails with this errno (the rig's `rig_fail_errno`).
    var failErrno: Int32 = 0
    private(set) var wordWrites = 0
    private(set) var byteWrites = 0

    func open(path: String) -> Int32 { 3 }
    func setAddress(descriptor: Int32, address: UInt8) -> Int32 { 0 }
    func setTimeout(descriptor: Int32, tensOfMilliseconds: UInt32) -> Int32 { 0 }
    func close(descriptor: Int32) -> Int32 { 0 }

    func readByteData(descriptor: Int32, register: UInt8) -> Int32 {
        failErrno != 0 ? -failErrno : Int32(words[Int(register)] & 0xff)
    }

    func readWordData(descriptor: Int32, register: UInt8) -> Int32 {
        failErrno != 0 ? -failErrno : Int32(words[Int(register)])
    }

    func writeByteData(descriptor: Int32, register: UInt8, value: UInt8) -> Int32 {
        writeByteData(register: register, value: value)
    }

    func writeWordData(register: UInt8, value: UInt16) -> Int32 {
        guard failErrno == 0 else { return -failErrno }
        wordWrites += 1
        words[Int(register)] = value
        return 0
    }

    func writeByteData(register: UInt8, value: UInt8) -> Int32 {
        guard failErrno == 0 else { return -failErrno }
        byteWrites += 1
        words[Int(register)] = words[Int(register)] & 0xff00 | UInt16(value)
        return 0
    }

    /// The driver as wokd opens it, on the real Linux transport over this stub.
    func openDriver() throws -> MCP9600<LinuxI2CDevice<FakeI2CStub>> {
        let device = try LinuxI2CDevice(bus: "/dev/i2c-0", address: 0x67, transferTimeoutSeconds: 0.05, calls: self)
        return try MCP9600.open(device: device)
    }
}

/// Virtual seconds, shared by a clock and whatever the test scripts against time.
final class VirtualTime {
    var nowSeconds = 0.0
    private(set) var sleeps = 0

    func advance(_ seconds: Double) {
        sleeps += 1
        if seconds > 0 { nowSeconds += seconds }
    }
}

/// A clock that moves only when slept on (or when a test moves it).
struct VirtualClock: RigClock {
    let time: VirtualTime

    func nowSeconds() -> Double { time.nowSeconds }

    func sleep(seconds: Double) { time.advance(seconds) }
}
