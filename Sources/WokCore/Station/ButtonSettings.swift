/// The push buttons a station may have at the stove.
public enum StationButton: String, Sendable, CaseIterable, Hashable {
    /// Confirms the stage, as `wokctl next` does.
    case next
    /// Holds the cook, or resumes it when held.
    case hold
    /// Aborts the cook: the burner goes off on the same tick.
    case stop
}

/// Which pull the kernel puts on an input line when it is requested.
public enum LineBias: String, Sendable, CaseIterable {
    /// Leave the line's bias as the board or an earlier user set it.
    case asIs = "as-is"
    /// Pull the line up (a button that shorts it to ground, read active-low).
    case pullUp = "pull-up"
    /// Pull the line down (a button that connects it to 3.3 V).
    case pullDown = "pull-down"
    /// No pull: the wiring has its own resistor.
    case disabled = "none"
}

/// One button: its input line and how long its contacts may bounce.
public struct ButtonSettings: Sendable, Equatable {
    /// Contacts of small push buttons settle within a few milliseconds; 30 ms covers worn ones
    /// and is still far shorter than any deliberate press.
    public static let standardDebounceSeconds = 0.03
    /// Shorter than 1 ms lets bounce through; longer than half a second swallows quick presses.
    public static let debounceRange: ClosedRange<Double> = 0.001...0.5

    /// The input line; `activeLow` when pressing pulls it low.
    public var line: OutputLineSettings
    /// Edges closer together than this are one press.
    public var debounceSeconds: Double
    /// The pull the line is requested with.
    public var bias: LineBias

    /// Creates settings for a button.
    public init(line: OutputLineSettings, debounceSeconds: Double = standardDebounceSeconds, bias: LineBias = .asIs) {
        self.line = line
        self.debounceSeconds = debounceSeconds
        self.bias = bias
    }
}
