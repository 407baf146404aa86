// The stove's buttons: their lines' edges, debounced into presses, a bounded batch per tick.
public import WokCore

/// What one poll of the buttons found.
public struct ButtonPoll: Sendable, Equatable {
    /// Presses, in the order the buttons are polled (next, hold, stop).
    public var presses: [StationButton] = []
    /// Lines that could not be read this time, in words.
    public var failures: [String] = []

    public init(presses: [StationButton] = [], failures: [String] = []) {
        self.presses = presses
        self.failures = failures
    }
}

/// The configured buttons, each an edge line with its debouncer. Polled from the loop's tick:
/// each poll takes at most `maxEdgesPerPoll` edges from each line without waiting, so a
/// chattering or shorted button costs the tick a bounded amount of work (the rest stay queued
/// in the kernel, which drops the oldest when its queue is full).
public struct ButtonPanel<Line: EdgeInputLine> {
    /// Edges taken from one line in one poll: far more than a person presses in one tick.
    public static var maxEdgesPerPoll: Int { 16 }

    private var buttons: [(button: StationButton, line: Line, debouncer: ButtonDebouncer)]

    /// Takes requested lines with their settings.
    public init(_ lines: [(button: StationButton, line: Line, settings: ButtonSettings)]) {
        buttons = lines.map { ($0.button, $0.line, ButtonDebouncer(debounceSeconds: $0.settings.debounceSeconds)) }
    }

    /// The buttons present, in polling order.
    public var configured: [StationButton] { buttons.map(\.button) }

    /// Reads each line's waiting edges and returns the presses they make.
    public mutating func poll() -> ButtonPoll {
        var poll = ButtonPoll()
        for index in buttons.indices {
            do throws(GPIOError) {
                let edges = try buttons[index].line.readEdges(max: Self.maxEdgesPerPoll)
                let count = buttons[index].debouncer.presses(in: edges)
                poll.presses += Array(repeating: buttons[index].button, count: count)
            } catch {
                poll.failures.append("button \(buttons[index].button.rawValue): \(error)")
            }
        }
        return poll
    }

    /// Gives every line back to the kernel.
    public mutating func close() {
        for index in buttons.indices { buttons[index].line.release() }
    }
}
