// An I2C device on a Linux bus character device (/dev/i2c-N), reached by libi2c's SMBus calls.
internal import WokCore

/// Why a bus device could not be opened and addressed.
public struct I2COpenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed: "open", "set address" or "set timeout".
    public var step: String
    /// The device the bus was being opened for.
    public var location: I2CLocation
    /// The kernel's errno.
    public var errno: Int32

    /// Creates an error for a failed step.
    public init(step: String, location: I2CLocation, errno: Int32) {
        self.step = step
        self.location = location
        self.errno = errno
    }

    /// e.g. "cannot open /dev/i2c-1 @ 0x67: no such bus (is I2C enabled and i2c-dev loaded?)".
    public var description: String {
        "cannot \(step) \(location): \(hint)"
    }

    private var hint: String {
        switch (step, errno) {
        case ("open", LinuxErrno.noEntry):
            "no such bus (is I2C enabled and the i2c-dev module loaded?)"
        case ("open", LinuxErrno.permissionDenied):
            "permission denied (is the user in the i2c group?)"
        case ("set address", LinuxErrno.busy):
            "a kernel driver has claimed the address (unbind it, e.g. the kernel's mcp9600 driver)"
        default:
            "\(MonotonicClock.describe(errno: errno)) (errno \(errno))"
        }
    }
}

/// One device on `/dev/i2c-N`: every call is one SMBus transfer, with kernel errors typed.
///
/// It never retries (wrap it in `RetryingI2CDevice` for bounded retries). The descriptor is
/// closed by `close()` or when the object goes away. A class, because it owns a descriptor.
public final class LinuxI2CDevice<Calls: SMBusCalls>: I2CDevice {
    /// The bus path and address.
    public let location: I2CLocation
    private let calls: Calls
    private var descriptor: Int32?

    /// Opens `bus`, addresses `address`, and caps each transfer at `transferTimeoutSeconds`
    /// (rounded up to the kernel's 10 ms units; nil leaves the adapter's own timeout).
    ///
    /// The timeout is the adapter's, so it applies to every user of the bus: on a Raspberry Pi
    /// only this daemon should be on it.
    public init(
        bus: String, address: UInt8, transferTimeoutSeconds: Double?, calls: Calls
    ) throws(I2COpenError) {
        location = I2CLocation(bus: bus, address: address)
        self.calls = calls
        let opened = calls.open(path: bus)
        guard opened >= 0 else { throw I2COpenError(step: "open", location: location, errno: -opened) }
        let addressed = calls.setAddress(descriptor: opened, address: address)
        guard addressed >= 0 else {
            _ = calls.close(descriptor: opened)
            throw I2COpenError(step: "set address", location: location, errno: -addressed)
        }
        if let transferTimeoutSeconds {
            let units = UInt32(max(1, min(100, (transferTimeoutSeconds * 100).rounded(.up))))
            let timed = calls.setTimeout(descriptor: opened, tensOfMilliseconds: units)
            guard timed >= 0 else {
                _ = calls.close(descriptor: opened)
                throw I2COpenError(step: "set timeout", location: location, errno: -timed)
            }
        }
        descriptor = opened
    }

    deinit { close() }

    /// Closes the bus device; later transfers fail as `.other(errno: EBADF)`.
    public func close() {
        guard let descriptor else { return }
        _ = calls.close(descriptor: descriptor)
        self.descriptor = nil
    }

    /// Reads one byte from `register` (SMBus read byte data).
    public func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        let result = try transfer("read byte", register) { calls.readByteData(descriptor: $0, register: register) }
        return UInt8(truncatingIfNeeded: result)
    }

    /// Reads a 16-bit register sent most significant byte first.
    ///
    /// SMBus words travel low byte first, so the bus's word is swapped (as the kernel's own
    /// `i2c_smbus_read_word_swapped` does).
    public func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        let result = try transfer("read word", register) { calls.readWordData(descriptor: $0, register: register) }
        return UInt16(truncatingIfNeeded: result).byteSwapped
    }

    /// Writes one byte to `register` (SMBus write byte data).
    public func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        _ = try transfer("write byte", register) {
            calls.writeByteData(descriptor: $0, register: register, value: value)
        }
    }

    /// EBADF: the descriptor was closed.
    static var closedErrno: Int32 { 9 }

    private func transfer(
        _ operation: String, _ register: UInt8, _ call: (Int32) -> Int32
    ) throws(I2CError) -> Int32 {
        guard let descriptor else {
            throw I2CError(
                failure: .other(errno: Self.closedErrno), location: location, register: register,
                operation: operation)
        }
        let result = call(descriptor)
        guard result >= 0 else {
            throw I2CError(
                failure: BusFailure(errno: -result), location: location, register: register,
                operation: operation)
        }
        return result
    }
}

extension LinuxI2CDevice where Calls == LibI2CCalls {
    /// Opens a device on a real bus through libi2c.
    public convenience init(bus: String, address: UInt8, transferTimeoutSeconds: Double?)
        throws(I2COpenError)
    {
        try self.init(
            bus: bus, address: address, transferTimeoutSeconds: transferTimeoutSeconds,
            calls: LibI2CCalls())
    }
}
