/// One edge seen on a button's input line: whether the line became active (pressed), and the
/// kernel's timestamp of the edge, in seconds on any clock that only moves forward.
public struct ButtonEdge: Sendable, Equatable {
    public var becameActive: Bool
    public var timestampSeconds: Double

    public init(becameActive: Bool, timestampSeconds: Double) {
        self.becameActive = becameActive
        self.timestampSeconds = timestampSeconds
    }
}

/// Turns a button's raw edges into presses. A press is an edge to active that follows a quiet
/// spell of at least the debounce time; every edge, counted or not, restarts that spell, so
/// the chatter of a contact closing or opening never reads as a second press.
///
/// Judged on the kernel's edge timestamps alone, so a late tick does not change the verdict.
public struct ButtonDebouncer: Sendable {
    public let debounceSeconds: Double
    private var lastEdgeSeconds: Double?

    public init(debounceSeconds: Double) { self.debounceSeconds = debounceSeconds }

    /// How many presses `edges` (oldest first) hold.
    public mutating func presses(in edges: [ButtonEdge]) -> Int {
        var count = 0
        for edge in edges {
            let quiet = lastEdgeSeconds.map { edge.timestampSeconds - $0 >= debounceSeconds } ?? true
            if edge.becameActive && quiet { count += 1 }
            lastEdgeSeconds = max(lastEdgeSeconds ?? edge.timestampSeconds, edge.timestampSeconds)
        }
        return count
    }
}
