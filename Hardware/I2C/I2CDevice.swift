// The one way drivers reach an I2C device: SMBus-style register transfers, typed errors.
//
// The operations are the ones the kernel's `i2c-stub` and every Linux I2C adapter support, so a
// driver written against this protocol runs unchanged on `/dev/i2c-N`, on `i2c-stub` and on a
// simulated device.
public import WokCore

/// One device on an I2C bus, reached through SMBus register transfers.
///
/// Each transfer names a register: the device latches that pointer byte first, then data follows.
/// Transports (`LinuxI2CDevice`, the simulated chip) make exactly one bus transfer per call and
/// never retry; `RetryingI2CDevice` wraps one to add retries bounded by an `I2CRetryPolicy`.
public protocol I2CDevice {
    /// Where the device is, for error messages, e.g. bus "/dev/i2c-1" address 0x67.
    var location: I2CLocation { get }

    /// Reads one byte from `register` (SMBus "read byte data").
    mutating func readByte(register: UInt8) throws(I2CError) -> UInt8

    /// Reads a 16-bit register, most significant byte first on the wire (SMBus "word swapped").
    mutating func readWord(register: UInt8) throws(I2CError) -> UInt16

    /// Writes one byte to `register` (SMBus "write byte data").
    mutating func writeByte(register: UInt8, value: UInt8) throws(I2CError)
}

/// Where an I2C device sits: the bus it hangs on and its 7-bit address.
public struct I2CLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The bus, e.g. "/dev/i2c-1", or a name for a simulated bus.
    public var bus: String
    /// The 7-bit device address, e.g. 0x67.
    public var address: UInt8

    /// Creates a location from a bus name and a 7-bit address.
    public init(bus: String, address: UInt8) {
        self.bus = bus
        self.address = address
    }

    /// The location as a person reads it, e.g. "/dev/i2c-1 @ 0x67".
    public var description: String { "\(bus) @ \(hexByte(address))" }
}

/// A failed I2C transfer, with everything needed to find the device and the access that failed.
public struct I2CError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the transfer failed.
    public var failure: BusFailure
    /// The device the transfer was addressed to.
    public var location: I2CLocation
    /// The register the transfer named, if it named one.
    public var register: UInt8?
    /// What was attempted, e.g. "read word".
    public var operation: String

    /// Creates an error for a failed transfer.
    public init(failure: BusFailure, location: I2CLocation, register: UInt8?, operation: String) {
        self.failure = failure
        self.location = location
        self.register = register
        self.operation = operation
    }

    /// The error as a person reads it, e.g.
    /// "read word register 0x00 on /dev/i2c-1 @ 0x67: transfer timed out".
    public var description: String {
        let target = register.map { " register \(hexByte($0))" } ?? ""
        return "\(operation)\(target) on \(location): \(failure)"
    }
}

/// Formats a byte as two lower-case hex digits with a "0x" prefix, e.g. "0x07".
func hexByte(_ value: UInt8) -> String {
    let digits = String(value, radix: 16)
    return value < 0x10 ? "0x0" + digits : "0x" + digits
}
