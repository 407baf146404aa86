// The MCP9600's registers as the plant keeps them in the kernel's i2c-stub.
internal import CWokI2C
internal import WokHardware

/// An MCP9600/MCP9601 played through i2c-stub: the plant writes the registers the driver reads.
///
/// i2c-stub keeps one 16-bit word per register and answers SMBus word reads with it, low byte
/// first on the wire; the driver swaps a word read (the MCP9600 sends its most significant byte
/// first), so each word is stored swapped. A byte read returns the word's low byte, so STATUS is
/// written as a byte. The configuration registers (0x05, 0x06) are left alone: the driver writes
/// them and reads them back.
struct StubChip {
    let bus: String
    let address: UInt8
    private let descriptor: Int32
    /// Writes that failed (while the rig makes the stub stop answering, every write fails).
    private(set) var failedWrites = 0
    /// The errno of the last failed write, for the summary.
    private(set) var lastErrno: Int32 = 0

    init(bus: String, address: UInt8) throws(RigError) {
        self.bus = bus
        self.address = address
        let opened = wok_i2c_open(bus)
        guard opened >= 0 else { throw RigError("cannot open \(bus): errno \(-opened)") }
        let addressed = wok_i2c_set_address(opened, address)
        guard addressed >= 0 else {
            _ = wok_i2c_close(opened)
            throw RigError("cannot address 0x\(String(address, radix: 16)) on \(bus): errno \(-addressed)")
        }
        descriptor = opened
    }

    /// Writes the device ID and revision register (0x20).
    mutating func writeIdentity(model: MCP9600Model, revision: UInt8) {
        writeWord(MCP9600Registers.deviceID, UInt16(model.deviceID) << 8 | UInt16(revision))
    }

    /// Writes one conversion: T_H, T_C, then STATUS (so a fault flag lands after the sample).
    mutating func writeConversion(hotC: Double, coldC: Double, status: UInt8) {
        writeWord(MCP9600Registers.hotJunction, MCP9600Registers.encodeTemperature(celsius: hotC))
        writeWord(MCP9600Registers.coldJunction, MCP9600Registers.encodeTemperature(celsius: coldC))
        writeByte(MCP9600Registers.status, status)
    }

    /// Writes only STATUS (a converter that stopped updating keeps its old temperatures).
    mutating func writeStatus(_ status: UInt8) {
        writeByte(MCP9600Registers.status, status)
    }

    private mutating func writeWord(_ register: UInt8, _ value: UInt16) {
        record(wok_i2c_write_word_data(descriptor, register, value.byteSwapped))
    }

    private mutating func writeByte(_ register: UInt8, _ value: UInt8) {
        record(wok_i2c_write_byte_data(descriptor, register, value))
    }

    private mutating func record(_ result: Int32) {
        guard result < 0 else { return }
        failedWrites += 1
        lastErrno = -result
    }
}
