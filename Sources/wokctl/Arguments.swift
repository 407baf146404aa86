/// A small command-line reader: options may come anywhere after the verb, as `--name value`,
/// `--name=value` or bare flags; everything else is a positional argument.
struct Arguments {
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// `valued` lists the options that take a value; any other `--x` is a flag, and a flag not
    /// in `known` is a usage error.
    init(_ raw: [String], valued: Set<String>, flags known: Set<String>) throws(CommandFailure) {
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
                    throw CommandFailure(message: "option --\(name) needs a value", code: .usage)
                }
                if inlineValue == nil { index += 1 }
                values[name, default: []].append(value)
            } else if known.contains(name) {
                guard inlineValue == nil else {
                    throw CommandFailure(message: "option --\(name) takes no value", code: .usage)
                }
                flags.insert(name)
            } else {
                throw CommandFailure(message: "unknown option --\(name)", code: .usage)
            }
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { flags.contains(name) }
}
