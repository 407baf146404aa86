public import WokCore
public import WokWire

/// What a key pressed in `watch` asks for.
public enum KeyAction: Sendable, Equatable {
    /// Send this request to wokd and show its answer.
    case send(ControlMethod, JSONObject)
    /// Ask the cook before doing anything (abort).
    case ask(String)
    /// The question was answered no.
    case cancelled(String)
    /// Leave `watch`; the cook goes on.
    case quit
    /// Not a key `watch` knows.
    case ignored
}

/// The keys of `watch`: `n` next, `h` hold or resume, `a` abort (asked again), `e` a minute
/// more, `q` quit. Abort is the one key that cannot be taken back, so it waits for a `y`.
public struct WatchKeys: Sendable, Equatable {
    public static let abortQuestion = "abort the cook? y/N"
    /// Seconds `e` gives the stage: a minute, the usual "a bit longer" at the stove.
    public static let extendSeconds = 60.0
    public private(set) var askingAbort = false

    public init() {}

    /// The line that names the keys.
    public static let legend = "keys: n next  h hold/resume  a abort  e +1 min  q quit"

    public mutating func press(_ byte: UInt8, state: CookState) -> KeyAction {
        if askingAbort {
            askingAbort = false
            return byte == UInt8(ascii: "y") || byte == UInt8(ascii: "Y") ? .send(.abort, JSONObject()) : .cancelled("not aborted")
        }
        switch byte {
        case UInt8(ascii: "n"), UInt8(ascii: "N"): return .send(.next, JSONObject())
        case UInt8(ascii: "h"), UInt8(ascii: "H"): return .send(state == .holding ? .resume : .hold, JSONObject())
        case UInt8(ascii: "a"), UInt8(ascii: "A"):
            askingAbort = true
            return .ask(Self.abortQuestion)
        case UInt8(ascii: "e"), UInt8(ascii: "E"): return .send(.extend, ["seconds": .number(Self.extendSeconds)])
        case UInt8(ascii: "q"), UInt8(ascii: "Q"): return .quit
        default: return .ignored
        }
    }
}
