// The handful of kernel calls the Linux I2C transport makes, behind a protocol so tests can
// play the kernel (errno values, slow transfers) without a /dev/i2c-N.
internal import CWokI2C

/// The system calls behind `LinuxI2CDevice`. Each returns a non-negative result on success and
/// the negated `errno` on failure, as the C shim does.
public protocol SMBusCalls {
    /// Opens a bus device read-write: a descriptor or -errno.
    func open(path: String) -> Int32
    /// Addresses later transfers to a 7-bit address (ioctl I2C_SLAVE): 0 or -errno.
    func setAddress(descriptor: Int32, address: UInt8) -> Int32
    /// Sets the adapter's per-transfer timeout in units of 10 ms (ioctl I2C_TIMEOUT): 0 or -errno.
    func setTimeout(descriptor: Int32, tensOfMilliseconds: UInt32) -> Int32
    /// SMBus read byte data: 0...255 or -errno.
    func readByteData(descriptor: Int32, register: UInt8) -> Int32
    /// SMBus read word data, first byte on the wire in the low 8 bits: 0...65535 or -errno.
    func readWordData(descriptor: Int32, register: UInt8) -> Int32
    /// SMBus write byte data: 0 or -errno.
    func writeByteData(descriptor: Int32, register: UInt8, value: UInt8) -> Int32
    /// Closes the descriptor: 0 or -errno.
    func close(descriptor: Int32) -> Int32
}

/// The real calls: libi2c and the i2c-dev ioctls, through the `CWokI2C` shim.
public struct LibI2CCalls: SMBusCalls, Sendable {
    /// Creates the real call layer.
    public init() {}

    public func open(path: String) -> Int32 { wok_i2c_open(path) }

    public func setAddress(descriptor: Int32, address: UInt8) -> Int32 {
        wok_i2c_set_address(descriptor, address)
    }

    public func setTimeout(descriptor: Int32, tensOfMilliseconds: UInt32) -> Int32 {
        wok_i2c_set_timeout(descriptor, tensOfMilliseconds)
    }

    public func readByteData(descriptor: Int32, register: UInt8) -> Int32 {
        wok_i2c_read_byte_data(descriptor, register)
    }

    public func readWordData(descriptor: Int32, register: UInt8) -> Int32 {
        wok_i2c_read_word_data(descriptor, register)
    }

    public func writeByteData(descriptor: Int32, register: UInt8, value: UInt8) -> Int32 {
        wok_i2c_write_byte_data(descriptor, register, value)
    }

    public func close(descriptor: Int32) -> Int32 { wok_i2c_close(descriptor) }
}
