// An input line that reports its edges (a button), read without ever waiting.
internal import CWokGPIO
public import WokCore

/// An input line whose edges are read in bounded batches, never waiting for one.
public protocol EdgeInputLine {
    /// Where the line is, for messages, e.g. "/dev/gpiochip0 line 22".
    var name: String { get }
    /// The edges the kernel holds for the line, oldest first, at most `max`; [] when none wait.
    mutating func readEdges(max: Int) throws(GPIOError) -> [ButtonEdge]
    /// Gives the line back to the kernel. Safe to call twice.
    mutating func release()
}

/// One line requested through libgpiod as an input with both edges reported. The kernel queues
/// edges with their timestamps while the loop is busy; `readEdges` asks with a zero timeout.
public final class GPIOEdgeInputLine: EdgeInputLine {
    public let name: String
    public let chipPath: String
    public let offset: Int
    private var handle: OpaquePointer?
    /// Where the shim copies edges; kept, so a tick's read allocates nothing for it.
    private var buffer = [wok_gpio_edge](repeating: wok_gpio_edge(), count: GPIOEdgeInputLine.maxBatch)
    /// The most edges one read takes.
    public static let maxBatch = 64

    /// Requests `line` on `chipPath` for edges, with the active-low flag and the pull given.
    public init(
        chipPath: String, line: Int, activeLow: Bool, bias: LineBias, consumer: String = GPIOOutputLine.consumer
    ) throws(GPIOError) {
        guard let offset = UInt32(exactly: line) else {
            throw GPIOError(operation: "request for edges", chip: chipPath, line: line, errno: LinuxErrno.invalidArgument)
        }
        var handle: OpaquePointer?
        let result = wok_gpio_request_input_edges(chipPath, offset, activeLow, Self.shimBias(bias), consumer, &handle)
        guard result >= 0, let handle else {
            throw GPIOError(operation: "request for edges", chip: chipPath, line: line, errno: result < 0 ? -result : nil)
        }
        self.handle = handle
        self.chipPath = chipPath
        self.offset = line
        name = "\(chipPath) line \(line)"
    }

    deinit { release() }

    public func readEdges(max: Int) throws(GPIOError) -> [ButtonEdge] {
        guard let handle else {
            throw GPIOError(operation: "read edges", chip: chipPath, line: offset, reason: "the line was released")
        }
        let room = Swift.max(0, Swift.min(max, Self.maxBatch))
        let count = wok_gpio_read_edges(handle, &buffer, UInt32(room))
        guard count >= 0 else { throw GPIOError(operation: "read edges", chip: chipPath, line: offset, errno: -count) }
        return buffer.prefix(Int(count)).map {
            ButtonEdge(becameActive: $0.rising, timestampSeconds: Double($0.timestamp_ns) / 1e9)
        }
    }

    public func release() {
        guard let handle else { return }
        wok_gpio_release(handle)
        self.handle = nil
    }

    private static func shimBias(_ bias: LineBias) -> wok_gpio_bias {
        switch bias {
        case .asIs: WOK_GPIO_BIAS_AS_IS
        case .pullUp: WOK_GPIO_BIAS_PULL_UP
        case .pullDown: WOK_GPIO_BIAS_PULL_DOWN
        case .disabled: WOK_GPIO_BIAS_DISABLED
        }
    }
}
