/// The plant's command line: `--name value` pairs after a command word, nothing else.
public struct Options: Sendable {
    /// The first word, e.g. "run" or "time-to-level".
    public let command: String
    private var values: [String: String] = [:]

    /// Most words a command line may have; the rig's longest is about twenty.
    public static let maxWords = 64

    /// Reads `command --a 1 --b 2`; a word that is not `--name value` with a known name is an error,
    /// and so is an option given twice.
    public init(_ raw: [String], known: Set<String>) throws(RigError) {
        guard let first = raw.first else { throw RigError("no command given") }
        guard raw.count <= Self.maxWords else { throw RigError("too many words (\(raw.count), at most \(Self.maxWords))") }
        command = first
        var index = 1
        while index < raw.count {
            let word = raw[index]
            let name = String(word.dropFirst(2))
            guard word.hasPrefix("--"), known.contains(name) else {
                throw RigError("unknown option \"\(word)\"")
            }
            guard index + 1 < raw.count else { throw RigError("option \(word) needs a value") }
            guard values[name] == nil else { throw RigError("option \(word) given twice") }
            values[name] = raw[index + 1]
            index += 2
        }
    }

    /// The option's text, or nil when it was not given.
    public func text(_ name: String) -> String? { values[name] }

    /// The option's text; an error naming the option when it was not given.
    public func required(_ name: String) throws(RigError) -> String {
        guard let value = values[name] else { throw RigError("--\(name) is required") }
        return value
    }

    /// A number within `range`, or `fallback` when the option is absent.
    public func number(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws(RigError) -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw RigError("--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return value
    }

    /// A line level (0 or 1), or nil when the option is absent.
    public func level(_ name: String) throws(RigError) -> Int? {
        guard let text = values[name] else { return nil }
        switch text {
        case "0": return 0
        case "1": return 1
        default: throw RigError("--\(name) must be 0 or 1, not \"\(text)\"")
        }
    }
}

/// Why the rig's plant or timer could not do what it was asked, in words.
public struct RigError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, naming the option, file or device concerned.
    public let description: String

    /// An error with its message.
    public init(_ description: String) { self.description = description }
}
