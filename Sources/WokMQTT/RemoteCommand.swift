public import WokCore
public import WokWire

/// The commands the broker may carry, one topic each.
public enum RemoteVerb: String, Sendable, CaseIterable {
    case start, next, hold, resume, extend, abort

    public var method: ControlMethod {
        switch self {
        case .start: .start
        case .next: .next
        case .hold: .hold
        case .resume: .resume
        case .extend: .extend
        case .abort: .abort
        }
    }
}

/// A checked command, ready for wokd.
public struct RemoteCommand: Sendable, Equatable {
    public var verb: RemoteVerb
    /// For `start`: the recipe's file name.
    public var recipe: String?
    /// For `extend`: the seconds to add.
    public var seconds: Int?

    public init(verb: RemoteVerb, recipe: String? = nil, seconds: Int? = nil) {
        self.verb = verb
        self.recipe = recipe
        self.seconds = seconds
    }

    /// The request's params as wokd takes them.
    public var params: JSONObject {
        switch verb {
        case .start: recipe.map { ["recipe": .string($0)] } ?? JSONObject()
        case .extend: seconds.map { ["seconds": .number(Double($0))] } ?? JSONObject()
        case .next, .hold, .resume, .abort: JSONObject()
        }
    }
}

/// Why a message on a command topic was not passed to wokd, published on the result topic.
public struct CommandRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// Not a command this bridge knows, or a payload that is not exactly one it takes.
        case invalid
        /// The station does not allow this command remotely.
        case notAllowed = "not-allowed"
        /// The bridge's queue of commands is full, or wokd cannot be reached.
        case busy
        /// wokd answered with an error (its code is in `code`).
        case refused
    }

    public var command: String
    public var reason: Reason
    /// wokd's error code, for `refused`.
    public var code: String?
    public var message: String

    public init(command: String, reason: Reason, code: String? = nil, message: String) {
        self.command = command
        self.reason = reason
        self.code = code
        self.message = message
    }

    public var description: String { "\(command): \(message)" }
}

/// Checks a message from a command topic: the verb, then the payload, exactly.
public enum CommandParser {
    /// Longer payloads are refused unread: no command needs more.
    public static let maxPayloadBytes = 256
    /// What Home Assistant's buttons send.
    public static let press = "PRESS"

    public static func parse(verbName: String, payload: [UInt8], policy: RemotePolicy) -> Result<RemoteCommand, CommandRefusal> {
        let shownName = printable(verbName, limit: 32)
        guard let verb = RemoteVerb(rawValue: verbName) else {
            let known = RemoteVerb.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(CommandRefusal(command: shownName, reason: .invalid, message: "unknown command \"\(shownName)\" (known: \(known))"))
        }
        func invalid(_ message: String) -> Result<RemoteCommand, CommandRefusal> {
            .failure(CommandRefusal(command: verb.rawValue, reason: .invalid, message: message))
        }
        guard payload.count <= maxPayloadBytes else { return invalid("payload over \(maxPayloadBytes) bytes") }
        guard let text = String(validating: payload, as: UTF8.self) else { return invalid("payload is not UTF-8 text") }
        // The policy is checked before the payload's meaning: a refused start says so whatever it named.
        guard policy.allows(verb) else {
            let why =
                verb == .start
                ? "starting a cook remotely is off for this station (set remote.start in the bridge's config to allow it)"
                : "\(verb.rawValue) is not allowed remotely at this station (remote.\(verb.rawValue) in the bridge's config)"
            return .failure(CommandRefusal(command: verb.rawValue, reason: .notAllowed, message: why))
        }
        switch verb {
        case .next, .hold, .resume, .abort:
            guard text == press else { return invalid("expected exactly \"\(press)\", got \"\(printable(text, limit: 40))\"") }
            return .success(RemoteCommand(verb: verb))
        case .extend:
            if text == press { return .success(RemoteCommand(verb: verb, seconds: policy.extendSeconds)) }
            guard let seconds = exactInteger(text), (1...1800).contains(seconds) else {
                return invalid("expected \"\(press)\" or whole seconds from 1 to 1800, got \"\(printable(text, limit: 40))\"")
            }
            return .success(RemoteCommand(verb: verb, seconds: seconds))
        case .start:
            guard RemotePolicy.isValidRecipeName(text) else {
                return invalid("expected a recipe file name (a-z, 0-9 and -), got \"\(printable(text, limit: 40))\"")
            }
            guard policy.recipes.isEmpty || policy.recipes.contains(text) else {
                return invalid("\"\(text)\" is not one of the recipes offered: \(policy.recipes.joined(separator: ", "))")
            }
            return .success(RemoteCommand(verb: verb, recipe: text))
        }
    }

    /// Digits only: no sign, space, exponent or leading zero.
    static func exactInteger(_ text: String) -> Int? {
        guard (1...4).contains(text.utf8.count), text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            text.utf8.first != UInt8(ascii: "0")
        else { return nil }
        return Int(text)
    }

    /// Text safe to quote in a refusal: control characters shown as `?`, cut to `limit`.
    static func printable(_ text: String, limit: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit).map { $0.value < 0x20 || $0.value == 0x7f ? "?" : $0 }))
    }
}
