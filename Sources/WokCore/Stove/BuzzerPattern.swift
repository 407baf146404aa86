/// The sounds a station's buzzer makes, from least to most urgent.
public enum BuzzerPattern: String, Sendable, CaseIterable {
    /// Two beeps every four seconds while the cook must act; repeats until answered.
    case prompt
    /// Three quick beeps, once: something is about to change (a window opens, a stage ends, the
    /// safe hold comes).
    case warning
    /// A continuous tone while a fault is latched.
    case alarm

    /// The pattern as alternating spans, the first one on, in seconds.
    public var spans: [Double] {
        switch self {
        case .prompt: [0.5, 0.5, 0.5, 2.5]
        case .warning: [0.5, 0.5, 0.5, 0.5, 0.5]
        case .alarm: [1]
        }
    }

    /// Whether the pattern starts again when it ends.
    public var repeats: Bool { self != .warning }

    /// Whether the buzzer sounds `seconds` after the pattern began; nil once a pattern that does
    /// not repeat has ended.
    public func isOn(afterSeconds seconds: Double) -> Bool? {
        if self == .alarm { return true }
        let length = spans.reduce(0, +)
        // Ticks land on the span edges; a hair of slack keeps rounding from moving them.
        var time = max(0, seconds) + 1e-9
        if repeats {
            time = time.truncatingRemainder(dividingBy: length)
        } else if time >= length {
            return nil
        }
        var start = 0.0
        for (index, span) in spans.enumerated() {
            if time < start + span { return index % 2 == 0 }
            start += span
        }
        return false
    }
}

/// Something the buzzer should sound for now: the pattern, a stable key naming this very
/// occasion (so it is sounded, silenced or finished once), and words for the log.
public struct BuzzerCue: Sendable, Equatable {
    public var pattern: BuzzerPattern
    public var key: String
    public var reason: String

    public init(pattern: BuzzerPattern, key: String, reason: String) {
        self.pattern = pattern
        self.key = key
        self.reason = reason
    }
}
