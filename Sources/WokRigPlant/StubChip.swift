// The MCP9600's registers as the plant keeps them in the kernel's i2c-stub.
public import WokHardware

/// The two SMBus writes the plant makes into i2c-stub. Each returns 0 or -errno, as the C shim does.
public protocol StubRegisterWriter {
    /// SMBus write word data: `value`'s low byte goes first on the wire.
    mutating func writeWordData(register: UInt8, value: UInt16) -> Int32
    /// SMBus write byte data.
    mutating func writeByteData(register: UInt8, value: UInt8) -> Int32
}

/// An MCP9600/MCP9601 played through i2c-stub: the plant writes the registers the driver reads.
///
/// i2c-stub keeps one 16-bit word per register and answers SMBus word reads with it, low byte
/// first on the wire; the driver swaps a word read (the MCP9600 sends its most significant byte
/// first), so each word is stored swapped. A byte read returns the word's low byte, so STATUS is
/// written as a byte. The configuration registers (0x05, 0x06) are left alone: the driver writes
/// them and reads them back.
public struct StubChip<Writer: StubRegisterWriter> {
    /// Where the writes go.
    public private(set) var writer: Writer
    /// Writes that failed (while the rig makes the stub stop answering, every write fails).
    public private(set) var failedWrites = 0
    /// The errno of the last failed write, for the summary.
    public private(set) var lastErrno: Int32 = 0

    /// A chip whose registers `writer` stores.
    public init(writer: Writer) { self.writer = writer }

    /// Writes the device ID and revision register (0x20).
    public mutating func writeIdentity(model: MCP9600Model, revision: UInt8) {
        writeWord(MCP9600Registers.deviceID, UInt16(model.deviceID) << 8 | UInt16(revision))
    }

    /// Writes one conversion: T_H, T_C, then STATUS (so a fault flag lands after the sample).
    public mutating func writeConversion(hotC: Double, coldC: Double, status: UInt8) {
        writeWord(MCP9600Registers.hotJunction, MCP9600Registers.encodeTemperature(celsius: hotC))
        writeWord(MCP9600Registers.coldJunction, MCP9600Registers.encodeTemperature(celsius: coldC))
        writeByte(MCP9600Registers.status, status)
    }

    /// Writes only STATUS (a converter that stopped updating keeps its old temperatures).
    public mutating func writeStatus(_ status: UInt8) {
        writeByte(MCP9600Registers.status, status)
    }

    private mutating func writeWord(_ register: UInt8, _ value: UInt16) {
        record(writer.writeWordData(register: register, value: value.byteSwapped))
    }

    private mutating func writeByte(_ register: UInt8, _ value: UInt8) {
        record(writer.writeByteData(register: register, value: value))
    }

    private mutating func record(_ result: Int32) {
        guard result < 0 else { return }
        failedWrites += 1
        lastErrno = -result
    }
}
