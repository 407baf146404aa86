internal import Glibc
internal import WokCore
internal import WokSystem

/// How much a log line matters, with syslog's numbers (journald reads them from the `<N>` prefix).
public enum LogPriority: Int, Sendable, Comparable {
    /// Act now: the software cannot make the station safe by itself (a welded relay).
    case alert = 1
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    public static func < (lhs: LogPriority, rhs: LogPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the daemon's log lines go. The daemon writes to standard error; tests keep them.
public protocol LogSink: AnyObject {
    func write(_ priority: LogPriority, _ message: String)
}

/// Standard error in journald's style: `<6>message`, one line per event; journald turns the
/// prefix into the entry's priority (see sd-daemon(3)), and a terminal still reads it.
public final class StandardErrorLog: LogSink {
    public let threshold: LogPriority

    public init(threshold: LogPriority = .info) {
        self.threshold = threshold
    }

    public func write(_ priority: LogPriority, _ message: String) {
        guard priority <= threshold else { return }
        // One write per line, so lines from a crash-looping daemon never interleave mid-line.
        writeFully(STDERR_FILENO, Array(Self.line(priority, message).utf8))
    }

    /// The line written for one message: the priority prefix, the message on one line (its own
    /// line breaks become " | "), and every other control or bidi formatting character escaped,
    /// so text from a recipe, a record or a client never reaches the journal as-is (a NUL would
    /// cut the entry, an ESC would reach whoever reads it on a terminal).
    public static func line(_ priority: LogPriority, _ message: String) -> String {
        let parts = message.split(separator: "\n", omittingEmptySubsequences: false)
        return "<\(priority.rawValue)>" + parts.map { DisplayText.escaped(String($0)) }.joined(separator: " | ") + "\n"
    }
}

/// Keeps log lines in memory, for tests.
public final class MemoryLog: LogSink {
    public private(set) var lines: [(priority: LogPriority, message: String)] = []

    public init() {}

    public func write(_ priority: LogPriority, _ message: String) {
        lines.append((priority, message))
    }
}
