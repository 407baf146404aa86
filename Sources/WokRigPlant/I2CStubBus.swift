// The real writer: i2c-stub's chip on /dev/i2c-N through the libi2c shim.
internal import CWokI2C

/// An i2c-stub chip opened on a bus device and addressed, written with SMBus calls.
public struct I2CStubBus: StubRegisterWriter {
    /// The bus device, e.g. "/dev/i2c-0".
    public let bus: String
    /// The stub chip's 7-bit address.
    public let address: UInt8
    private let descriptor: Int32

    /// Opens `bus` and addresses `address`; the descriptor stays open for the process's life.
    public init(bus: String, address: UInt8) throws(RigError) {
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

    public func writeWordData(register: UInt8, value: UInt16) -> Int32 {
        wok_i2c_write_word_data(descriptor, register, value)
    }

    public func writeByteData(register: UInt8, value: UInt8) -> Int32 {
        wok_i2c_write_byte_data(descriptor, register, value)
    }
}
