/// The plant's command line: `--name value` pairs after a command word, nothing else.
struct Options {
    let command: String
    private var values: [String: String] = [:]

    /// Reads `command --a 1 --b 2`; a word that is not `--name value` is an error.
    init(_ raw: [String], known: Set<String>) throws(RigError) {
        guard let first = raw.first else { throw RigError("no command given") }
        command = first
        var index = 1
        while index < raw.count {
            let word = raw[index]
            guard word.hasPrefix("--"), known.contains(String(word.dropFirst(2))) else {
                throw RigError("unknown option \"\(word)\"")
            }
            guard index + 1 < raw.count else { throw RigError("option \(word) needs a value") }
            values[String(word.dropFirst(2))] = raw[index + 1]
            index += 2
        }
    }

    func text(_ name: String) -> String? { values[name] }

    func required(_ name: String) throws(RigError) -> String {
        guard let value = values[name] else { throw RigError("--\(name) is required") }
        return value
    }

    /// A number within `range`, or `fallback` when the option is absent.
    func number(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws(RigError) -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw RigError("--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
        }
        return value
    }
}

/// Why the rig's plant or timer could not do what it was asked, in words.
struct RigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
