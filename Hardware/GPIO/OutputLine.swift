// An output line as the relay and the shut-off valve see it: logical on/off, typed failures.
internal import WokCore

/// A requested GPIO output line. Values are logical: `true` is "active" (energised), whatever
/// the line's active-low setting makes of it on the wire.
public protocol OutputLine {
    /// Where the line is, for messages, e.g. "gpiochip0 line 17".
    var name: String { get }
    /// Drives the line.
    mutating func setActive(_ active: Bool) throws(GPIOError)
    /// Reads back the value the line is driven to.
    mutating func readActive() throws(GPIOError) -> Bool
    /// Gives the line back to the kernel; further calls fail. Safe to call twice.
    mutating func release()
}

/// A failed GPIO operation, naming the chip, the line and what was attempted.
public struct GPIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, e.g. "request as output".
    public var operation: String
    /// The chip path, e.g. "/dev/gpiochip0".
    public var chip: String
    /// The line offset, if the operation concerned one.
    public var line: Int?
    /// The kernel's errno, if it gave one.
    public var errno: Int32?
    /// Text for failures that have no errno (e.g. a line already released).
    public var reason: String?

    /// Creates an error.
    public init(operation: String, chip: String, line: Int?, errno: Int32? = nil, reason: String? = nil) {
        self.operation = operation
        self.chip = chip
        self.line = line
        self.errno = errno
        self.reason = reason
    }

    /// e.g. "request as output /dev/gpiochip0 line 17: line is busy (held by another consumer)".
    public var description: String {
        let target = line.map { "\(chip) line \($0)" } ?? chip
        return "\(operation) \(target): \(detail)"
    }

    private var detail: String {
        if let reason { return reason }
        guard let errno else { return "failed" }
        switch errno {
        case LinuxErrno.noEntry: return "no such GPIO chip"
        case LinuxErrno.permissionDenied: return "permission denied (is the user in the gpio group?)"
        case LinuxErrno.busy: return "line is busy (held by another consumer)"
        case LinuxErrno.invalidArgument: return "invalid line (offset beyond the chip's lines?)"
        default: return "\(MonotonicClock.describe(errno: errno)) (errno \(errno))"
        }
    }
}
