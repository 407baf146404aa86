public import WokCore

/// When the terminal's bell rings: once when a prompt appears, then again every `intervalSeconds`
/// while the same prompt waits in the same state (one bell is easily lost under a burner), and
/// never again once it is answered or the station moves on. Time is given, not read.
public struct BellSchedule: Sendable, Equatable {
    public let intervalSeconds: Double
    private var waiting: String?
    private var lastRingSeconds = -Double.infinity

    public init(intervalSeconds: Double = 10) {
        self.intervalSeconds = intervalSeconds
    }

    /// Whether to ring now, for this prompt (nil: none) in this state, at `nowSeconds`.
    public mutating func shouldRing(prompt: String?, state: CookState, nowSeconds: Double) -> Bool {
        guard let prompt else {
            waiting = nil
            return false
        }
        let key = state.rawValue + "|" + prompt
        if key != waiting || nowSeconds - lastRingSeconds >= intervalSeconds {
            waiting = key
            lastRingSeconds = nowSeconds
            return true
        }
        return false
    }
}

/// How long to wait before the next try to reach wokd: 1 s, doubling to at most `maxSeconds`;
/// back to the start once connected.
public struct ReconnectBackoff: Sendable, Equatable {
    public let firstSeconds: Double
    public let maxSeconds: Double
    private var next: Double

    public init(firstSeconds: Double = 1, maxSeconds: Double = 5) {
        self.firstSeconds = firstSeconds
        self.maxSeconds = maxSeconds
        next = firstSeconds
    }

    public mutating func delay() -> Double {
        let now = next
        next = min(maxSeconds, next * 2)
        return now
    }

    public mutating func reset() { next = firstSeconds }
}
