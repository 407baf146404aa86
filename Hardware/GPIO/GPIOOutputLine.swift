// A GPIO output line through libgpiod (API v1 or v2, chosen when the C shim was compiled).
internal import CWokGPIO

/// What a chip reports about itself.
public struct GPIOChipInfo: Sendable, Equatable {
    /// The chip's label, e.g. "pinctrl-bcm2711".
    public var label: String
    /// How many lines it has.
    public var lineCount: Int

    /// Creates chip information.
    public init(label: String, lineCount: Int) {
        self.label = label
        self.lineCount = lineCount
    }
}

/// What the kernel reports about a line, read without requesting it.
public struct GPIOLineInfo: Sendable, Equatable {
    /// Someone (a process or a kernel driver) holds the line.
    public var isUsed: Bool
    /// The line is an output.
    public var isOutput: Bool
    /// The holder asked for active-low.
    public var isActiveLow: Bool
    /// The holder's consumer name, or "".
    public var consumer: String
    /// The line's own name (e.g. "GPIO17"), or "".
    public var name: String

    /// Creates line information.
    public init(isUsed: Bool, isOutput: Bool, isActiveLow: Bool, consumer: String, name: String = "") {
        self.isUsed = isUsed
        self.isOutput = isOutput
        self.isActiveLow = isActiveLow
        self.consumer = consumer
        self.name = name
    }
}

/// The libgpiod calls for chips and lines: reading information, requesting outputs.
public enum GPIOChip {
    /// The libgpiod API the program was built against: 1 (libgpiod 1.x) or 2 (libgpiod 2.x).
    public static var apiVersion: Int { Int(wok_gpio_api_version()) }

    /// The libgpiod library's own version, as the shared library loaded at run time reports it
    /// (e.g. "1.6.3" or "2.1.3"): which library a built program really uses.
    public static var libraryVersion: String { String(cString: wok_gpio_library_version()) }

    /// Reads a chip's label and line count.
    public static func info(chipPath: String) throws(GPIOError) -> GPIOChipInfo {
        var info = wok_gpio_chip_info()
        let result = wok_gpio_read_chip_info(chipPath, &info)
        guard result >= 0 else {
            throw GPIOError(operation: "read chip information", chip: chipPath, line: nil, errno: -result)
        }
        return GPIOChipInfo(label: text(of: &info.label), lineCount: Int(info.line_count))
    }

    /// Reads what the kernel says about a line, without requesting (or changing) it.
    public static func lineInfo(chipPath: String, line: Int) throws(GPIOError) -> GPIOLineInfo {
        guard let offset = UInt32(exactly: line) else {
            throw GPIOError(operation: "read line information", chip: chipPath, line: line, errno: LinuxErrno.invalidArgument)
        }
        var info = wok_gpio_line_info()
        let result = wok_gpio_read_line_info(chipPath, offset, &info)
        guard result >= 0 else {
            throw GPIOError(operation: "read line information", chip: chipPath, line: line, errno: -result)
        }
        return GPIOLineInfo(
            isUsed: info.is_used, isOutput: info.is_output, isActiveLow: info.is_active_low,
            consumer: text(of: &info.consumer), name: text(of: &info.name))
    }

    /// Decodes a fixed-size, NUL-terminated C character array.
    private static func text<Tuple>(of tuple: inout Tuple) -> String {
        withUnsafeBytes(of: &tuple) { bytes in
            let prefix = bytes.prefix { $0 != 0 }
            return String(decoding: prefix, as: UTF8.self)
        }
    }
}

/// One line requested from the kernel as an output through libgpiod.
///
/// The request sets the line to its initial logical value in the same call, so it is never
/// briefly the other way. The line goes back to the kernel on `release()` or when the object
/// goes away; the kernel also releases it if the process dies. A class, because it owns the
/// request.
public final class GPIOOutputLine: OutputLine {
    /// The consumer name the daemon's lines carry, as `gpioinfo` shows it.
    public static let consumer = "wokd"

    /// e.g. "gpiochip0 line 17".
    public let name: String
    /// The chip path.
    public let chipPath: String
    /// The line offset.
    public let offset: Int
    private var handle: OpaquePointer?

    /// Requests `line` on `chipPath` as an output for `consumer`, starting at the logical value
    /// `initiallyActive` (false: off), with the active-low flag as given.
    public init(
        chipPath: String, line: Int, activeLow: Bool, consumer: String = GPIOOutputLine.consumer,
        initiallyActive: Bool = false
    ) throws(GPIOError) {
        guard let offset = UInt32(exactly: line) else {
            throw GPIOError(operation: "request as output", chip: chipPath, line: line, errno: LinuxErrno.invalidArgument)
        }
        var handle: OpaquePointer?
        let result = wok_gpio_request_output(chipPath, offset, activeLow, consumer, initiallyActive, &handle)
        guard result >= 0, let handle else {
            throw GPIOError(operation: "request as output", chip: chipPath, line: line, errno: result < 0 ? -result : nil)
        }
        self.handle = handle
        self.chipPath = chipPath
        self.offset = line
        name = "\(chipPath) line \(line)"
    }

    deinit { release() }

    public func setActive(_ active: Bool) throws(GPIOError) {
        let handle = try requested("set \(active ? "active" : "inactive")")
        let result = wok_gpio_set(handle, active)
        guard result >= 0 else {
            throw GPIOError(operation: "set \(active ? "active" : "inactive")", chip: chipPath, line: offset, errno: -result)
        }
    }

    public func readActive() throws(GPIOError) -> Bool {
        let handle = try requested("read")
        let result = wok_gpio_get(handle)
        guard result >= 0 else { throw GPIOError(operation: "read", chip: chipPath, line: offset, errno: -result) }
        return result == 1
    }

    public func release() {
        guard let handle else { return }
        wok_gpio_release(handle)
        self.handle = nil
    }

    private func requested(_ operation: String) throws(GPIOError) -> OpaquePointer {
        guard let handle else {
            throw GPIOError(operation: operation, chip: chipPath, line: offset, reason: "the line was released")
        }
        return handle
    }
}
