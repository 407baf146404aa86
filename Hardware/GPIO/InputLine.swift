// An input line as the flame-proven signal sees it: a logical level, typed failures.

/// A requested GPIO input line. Values are logical: `true` is "active", whatever the line's
/// active-low setting makes of it on the wire.
public protocol InputLine {
    /// Where the line is, for messages, e.g. "/dev/gpiochip0 line 5".
    var name: String { get }
    /// Reads the level the line is held at.
    mutating func readActive() throws(GPIOError) -> Bool
    /// Gives the line back to the kernel; further reads fail. Safe to call twice.
    mutating func release()
}
