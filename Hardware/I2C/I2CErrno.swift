// Kernel errno values from an I2C transfer, as the failures the safety monitor reasons about.
//
// The numbers are Linux's (asm-generic/errno-base.h and errno.h); they are spelled out here so
// the mapping reads as a table and tests need no C headers. Meanings follow the kernel's
// Documentation/i2c/fault-codes.rst.
public import WokCore

/// Linux errno values the I2C code names.
public enum LinuxErrno {
    public static let noEntry: Int32 = 2  // ENOENT: no such file (no /dev/i2c-N)
    public static let interrupted: Int32 = 4  // EINTR
    public static let io: Int32 = 5  // EIO: generic bus error
    public static let noDeviceOrAddress: Int32 = 6  // ENXIO: the address got no ACK
    public static let tryAgain: Int32 = 11  // EAGAIN: arbitration lost
    public static let permissionDenied: Int32 = 13  // EACCES
    public static let busy: Int32 = 16  // EBUSY: bus busy too long (or line held)
    public static let noDevice: Int32 = 19  // ENODEV
    public static let invalidArgument: Int32 = 22  // EINVAL
    public static let protocolError: Int32 = 71  // EPROTO: the device broke the protocol
    public static let badMessage: Int32 = 74  // EBADMSG: bad packet error code
    public static let notSupported: Int32 = 95  // EOPNOTSUPP: the adapter cannot do this transfer
    public static let timedOut: Int32 = 110  // ETIMEDOUT
    public static let remoteIO: Int32 = 121  // EREMOTEIO: NACK (e.g. the Raspberry Pi's controller)
}

extension BusFailure {
    /// The failure a transfer's errno stands for.
    ///
    /// ENXIO and ENODEV: nothing answered at the address. EREMOTEIO: a NACK (the Raspberry Pi's
    /// controller reports any NACK so). ETIMEDOUT: the transfer timed out. EIO, EAGAIN, EBUSY,
    /// EPROTO and EBADMSG: trouble on the bus itself. Anything else keeps its number.
    public init(errno: Int32) {
        switch errno {
        case LinuxErrno.noDeviceOrAddress, LinuxErrno.noDevice: self = .noDevice
        case LinuxErrno.remoteIO: self = .nack
        case LinuxErrno.timedOut: self = .timeout
        case LinuxErrno.io, LinuxErrno.tryAgain, LinuxErrno.busy, LinuxErrno.protocolError,
            LinuxErrno.badMessage:
            self = .busError
        default: self = .other(errno: errno)
        }
    }

    /// Whether a failure like this may clear on the next attempt.
    ///
    /// A NACK, a timeout, a bus error or an interrupted call can be a glitch (the Raspberry Pi's
    /// controller and the MCP9600's clock stretching produce such). No device, and errors such as
    /// "not supported", will not change by trying again at once.
    public var mayClearOnRetry: Bool {
        switch self {
        case .nack, .timeout, .busError: true
        case .other(let errno): errno == LinuxErrno.interrupted
        case .noDevice: false
        }
    }
}
