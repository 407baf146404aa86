// A GPIO input line through libgpiod (API v1 or v2, chosen when the C shim was compiled).
internal import CWokGPIO

/// One line requested from the kernel as an input through libgpiod, with the bias the wiring
/// gives it (the daemon never drives it). The line goes back to the kernel on `release()` or
/// when the object goes away. A class, because it owns the request.
public final class GPIOInputLine: InputLine {
    /// e.g. "/dev/gpiochip0 line 5".
    public let name: String
    /// The chip path.
    public let chipPath: String
    /// The line offset.
    public let offset: Int
    private var handle: OpaquePointer?

    /// Requests `line` on `chipPath` as an input for `consumer`, with the active-low flag as given.
    public init(chipPath: String, line: Int, activeLow: Bool, consumer: String = GPIOOutputLine.consumer) throws(GPIOError) {
        guard let offset = UInt32(exactly: line) else {
            throw GPIOError(operation: "request as input", chip: chipPath, line: line, errno: LinuxErrno.invalidArgument)
        }
        var handle: OpaquePointer?
        let result = wok_gpio_request_input(chipPath, offset, activeLow, consumer, &handle)
        guard result >= 0, let handle else {
            throw GPIOError(operation: "request as input", chip: chipPath, line: line, errno: result < 0 ? -result : nil)
        }
        self.handle = handle
        self.chipPath = chipPath
        self.offset = line
        name = "\(chipPath) line \(line)"
    }

    deinit { release() }

    public func readActive() throws(GPIOError) -> Bool {
        guard let handle else {
            throw GPIOError(operation: "read", chip: chipPath, line: offset, reason: "the line was released")
        }
        let result = wok_gpio_get(handle)
        guard result >= 0 else { throw GPIOError(operation: "read", chip: chipPath, line: offset, errno: -result) }
        return result == 1
    }

    public func release() {
        guard let handle else { return }
        wok_gpio_release(handle)
        self.handle = nil
    }
}
