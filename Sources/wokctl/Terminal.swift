import WokCore
import WokSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output and error, and what kind of screen is on the other end.
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    static func out(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    static func line(_ text: String = "") {
        writeAll(STDOUT_FILENO, text + "\n")
    }

    /// An error on standard error. Messages quote files, the database and the daemon, so each line
    /// is escaped (`DisplayText.escaped`); the line breaks between problems are the message's own.
    static func error(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escaped(String($0)) }
        writeAll(STDERR_FILENO, "wokctl: " + lines.joined(separator: "\n") + "\n")
    }

    /// Output is unbuffered (written straight to the descriptor), so there is nothing to flush.
    static func flush() {}

    /// Redraws the current line in place.
    static func redraw(_ text: String) {
        writeAll(STDOUT_FILENO, "\r\u{1B}[2K" + text)
    }

    /// A closed pipe ends output quietly.
    private static func writeAll(_ descriptor: Int32, _ text: String) {
        writeFully(descriptor, Array(text.utf8))
    }

    /// Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org).
    static var colorEnabled: Bool { isInteractive && !environmentFlag("NO_COLOR") }

    static func bold(_ text: String) -> String { colorEnabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    static func alert(_ text: String) -> String { colorEnabled ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }
    static func danger(_ text: String) -> String { colorEnabled ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }

    /// Whether an environment variable is present and not empty.
    static func environmentFlag(_ name: String) -> Bool {
        guard let value = getenv(name) else { return false }
        return value.pointee != 0
    }
}

/// A monotonic wall clock, for pacing a simulation at a chosen speed.
enum WallClock {
    static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// Pads or trims to a column width.
func column(_ text: String, _ width: Int, right: Bool = false) -> String {
    if text.count >= width { return String(text.prefix(width)) }
    let padding = String(repeating: " ", count: width - text.count)
    return right ? padding + text : text + padding
}

/// `m:ss` for a number of seconds.
func clockText(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.down))
    let minutes = whole / 60
    let rest = whole % 60
    return "\(minutes):\(rest < 10 ? "0" : "")\(rest)"
}

func fixed(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if places == 0 { return String(Int(rounded)) }
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < places { text += String(repeating: "0", count: places - decimals) }
    }
    return text
}

/// The working directory, for turning a relative path absolute.
func currentDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Columns of the terminal: `COLUMNS` when set to a number (as shells and `ls` take it), else the
/// terminal on standard output, else 80.
func terminalColumns() -> Int {
    if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 { return min(columns, 1000) }
    return terminalSize()?.columns ?? 80
}

/// The size of the terminal on standard output; nil when it is not one.
func terminalSize() -> (columns: Int, rows: Int)? {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
    return (Int(size.ws_col), Int(size.ws_row))
}
