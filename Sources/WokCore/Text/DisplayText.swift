/// Text that came from a file, the database or another program, on its way to a terminal or a log.
///
/// One rule, in one place: a control character or a bidirectional formatting character must never
/// reach a screen as-is. A terminal obeys control characters (ESC starts a command that can retitle
/// the window, move the cursor or hide text; CR and BS overwrite what was printed; NUL ends a journal
/// field) and bidi formatting characters reorder what the reader sees (U+202E shows "oof" for "foo").
/// The loaders refuse such text in recipes and station files; everything printed is escaped anyway,
/// for text that never went through a loader (old history rows, a daemon of another version).
public enum DisplayText {
    /// Whether `scalar` is refused in displayed text: C0 controls (U+0000 to U+001F, tab and line
    /// feed included, as every displayed field is one line), DEL, C1 controls (U+0080 to U+009F),
    /// and the bidi embeddings, overrides, isolates and marks (U+202A to U+202E, U+2066 to U+2069,
    /// U+200E, U+200F, U+061C).
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The first refused character of `text` and its position (counted in Unicode scalars from 1),
    /// or nil when the text may be shown as it is.
    public static func firstRefused(in text: String) -> (scalar: Unicode.Scalar, position: Int)? {
        // Every refused character's UTF-8 starts with a byte below 0x20, 0x7F, 0xC2 (C1), 0xD8
        // (U+061C) or 0xE2 (the U+20xx marks): text without those bytes needs no closer look.
        guard mayHoldRefused(text.utf8) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where isRefused(scalar) {
            return (scalar, offset + 1)
        }
        return nil
    }

    /// False when no byte of `bytes` can start a refused character; true also when it cannot tell
    /// (text not stored contiguously), so the caller looks closer.
    private static func mayHoldRefused(_ bytes: String.UTF8View) -> Bool {
        let found = bytes.withContiguousStorageIfAvailable { buffer in
            buffer.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
        }
        return found ?? true
    }

    /// `U+001B`: the code point as the Unicode standard writes it (at least four hex digits).
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// What is wrong with `text` in words for a validation problem, or nil when nothing is:
    /// `contains U+001B (a control character) at character 7`.
    public static func refusal(_ text: String) -> String? {
        guard let (scalar, position) = firstRefused(in: text) else { return nil }
        let kind = scalar.value <= 0x9F ? "a control character" : "a bidirectional formatting character"
        return "contains \(codePoint(scalar)) (\(kind)) at character \(position); displayed text must be one line "
            + "without control or bidirectional formatting characters"
    }

    /// `text` with every refused character made visible: `\n`, `\t`, `\r` for those three, `\x1b`
    /// for the other C0 and C1 controls and DEL, `\u{202E}` for the bidi characters. Everything else
    /// (letters of any script, °C, emoji) is left as it is, and text without refused characters
    /// comes back unchanged. A backslash is not doubled, so the escape is for reading, not reversing.
    public static func escaped(_ text: String) -> String {
        guard firstRefused(in: text) != nil else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isRefused(scalar) else {
                result.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\t": escape = "\\t"
            case "\r": escape = "\\r"
            case _ where scalar.value <= 0xFF:
                let digits = String(scalar.value, radix: 16)
                escape = "\\x" + (digits.count < 2 ? "0" : "") + digits
            default:
                escape = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            result.append(contentsOf: escape.unicodeScalars)
        }
        return String(result)
    }

    /// A validation problem for every string (and object key) in `value` that holds a refused
    /// character, located like `FieldReader`'s problems: `stage 2 "Sear", add[1], field "name"`.
    /// `location` names `value` itself ("" for the whole document).
    public static func problems(in value: JSONValue, at location: String) -> [ConfigProblem] {
        var walk = DocumentWalk(base: location)
        walk.visit(value)
        return walk.problems
    }

    /// The problems of one member of an object: `key` holding `value`, inside `location`.
    public static func problems(inField key: String, _ value: JSONValue, of location: String) -> [ConfigProblem] {
        var walk = DocumentWalk(base: location)
        walk.visitMember(key, value)
        return walk.problems
    }
}

/// Visits every string and key of a document; the path is kept as steps and spelt out only for a
/// problem, so a large clean document costs one pass over its bytes.
private struct DocumentWalk {
    enum Step {
        /// `field "key"`
        case field(String)
        /// `key[n]`: entry n (from 1) of the list held by `key`.
        case entry(String, Int)
        /// `[n]`: entry n of a list inside a list.
        case index(Int)
    }

    let base: String
    var path: [Step] = []
    var problems: [ConfigProblem] = []

    init(base: String) {
        self.base = base
    }

    var location: String {
        var text = base
        for step in path {
            switch step {
            case .field(let key): text += (text.isEmpty ? "" : ", ") + "field \"\(DisplayText.escaped(key))\""
            case .entry(let key, let number): text += (text.isEmpty ? "" : ", ") + "\(DisplayText.escaped(key))[\(number)]"
            case .index(let number): text += "[\(number)]"
            }
        }
        return text.isEmpty ? "the document" : text
    }

    mutating func visit(_ value: JSONValue) {
        switch value {
        case .string(let text):
            if let refusal = DisplayText.refusal(text) { problems.append(ConfigProblem(location: location, message: refusal)) }
        case .array(let items):
            for (offset, item) in items.enumerated() {
                path.append(.index(offset + 1))
                visit(item)
                path.removeLast()
            }
        case .object(let object):
            for (key, member) in object.members { visitMember(key, member) }
        case .null, .bool, .number:
            break
        }
    }

    mutating func visitMember(_ key: String, _ value: JSONValue) {
        path.append(.field(key))
        if let refusal = DisplayText.refusal(key) {
            problems.append(ConfigProblem(location: location, message: "the key " + refusal))
        }
        path.removeLast()
        guard case .array(let items) = value else {
            path.append(.field(key))
            visit(value)
            path.removeLast()
            return
        }
        // Entries of a list are named as the loaders name them: `add[1]`, counted from 1.
        for (offset, item) in items.enumerated() {
            path.append(.entry(key, offset + 1))
            visit(item)
            path.removeLast()
        }
    }
}

extension String {
    /// This text with control and bidi formatting characters made visible (see `DisplayText.escaped`).
    public var escapingControls: String { DisplayText.escaped(self) }
}
