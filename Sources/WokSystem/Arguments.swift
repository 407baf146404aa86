/// A small command-line reader: options may come anywhere after the verb, as `--name value`,
/// `--name=value` or bare flags; everything else is a positional argument.
public struct Arguments {
    public private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// `valued` lists the options that take a value; any other `--x` is a flag, and a flag not
    /// in `known` is a usage error.
    public init(_ raw: [String], valued: Set<String>, flags known: Set<String>) throws(UsageError) {
        var index = 0
        var onlyPositional = false
        while index < raw.count {
            let word = raw[index]
            index += 1
            if onlyPositional || !word.hasPrefix("--") || word == "-" {
                positional.append(word)
                continue
            }
            if word == "--" {
                onlyPositional = true
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valued.contains(name) {
                guard let value = inlineValue ?? (index < raw.count ? raw[index] : nil) else {
                    throw UsageError("option --\(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                values[name, default: []].append(value)
            } else if known.contains(name) {
                guard inlineValue == nil else {
                    throw UsageError("option --\(name) takes no value")
                }
                flags.insert(name)
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func has(_ name: String) -> Bool { flags.contains(name) }
}

/// A command line that does not make sense, in words for the person who typed it.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
