/// Bounds on what the parser accepts, so a hostile or broken file cannot exhaust memory or time.
public struct JSONLimits: Sendable, Equatable {
    /// Largest document, in bytes of UTF-8.
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects. It also bounds the recursion of `==`,
    /// `serialized(pretty:)` and deallocation of the result, so keep it modest.
    public var maxDepth: Int
    /// Longest string (keys included), in bytes of UTF-8 after escapes are decoded.
    public var maxStringBytes: Int
    /// Most elements in one array or members in one object.
    public var maxMembers: Int

    /// Creates limits; every argument defaults to the value in `JSONLimits.default`.
    public init(
        maxBytes: Int = 1_048_576, maxDepth: Int = 64, maxStringBytes: Int = 65_536,
        maxMembers: Int = 10_000
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxMembers = maxMembers
    }

    /// 1 MiB documents, 64 levels, 64 KiB strings, 10,000 members per container.
    public static let `default` = JSONLimits()
}

/// Why a document is not acceptable JSON, and where.
///
/// `line` and `column` are 1-based. Lines end at LF, CRLF or a lone CR. The column counts Unicode
/// scalars from the start of the line (a tab counts as one), so it matches what most editors show.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line of the offending character, from 1.
    public var line: Int
    /// The column of the offending character, in Unicode scalars from 1.
    public var column: Int
    /// What is wrong, in words for a person editing the file.
    public var message: String

    /// Creates an error at a position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// "line L, column C: message".
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 8259 JSON parser with bounded work and specific error messages.
///
/// Rejects comments, trailing commas, NaN and Infinity, leading zeros and '+', lone surrogates,
/// duplicate object keys, a byte order mark, and anything after the single top-level value.
/// It never recurses: nesting is kept on an explicit stack limited by `JSONLimits.maxDepth`.
public enum JSONParser {
    /// Parses a complete JSON document.
    public static func parse(
        _ text: String, limits: JSONLimits = .default
    ) throws(JSONSyntaxError) -> JSONValue {
        // Check the size before copying: `utf8.count` is cheap for native strings.
        let size = text.utf8.count
        guard size <= limits.maxBytes else { throw tooLarge(size, limits) }
        var reader = JSONReader(bytes: Array(text.utf8), limits: limits)
        return try reader.parseDocument()
    }

    /// Parses a complete JSON document from raw bytes, which must be UTF-8 (as read from a file).
    public static func parse(
        utf8 bytes: [UInt8], limits: JSONLimits = .default
    ) throws(JSONSyntaxError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else { throw tooLarge(bytes.count, limits) }
        var reader = JSONReader(bytes: bytes, limits: limits)
        return try reader.parseDocument()
    }

    private static func tooLarge(_ size: Int, _ limits: JSONLimits) -> JSONSyntaxError {
        JSONSyntaxError(
            line: 1, column: 1,
            message: "document is \(size) bytes, over the limit of \(limits.maxBytes) bytes")
    }
}

// MARK: - The reader

/// ASCII codes the reader compares against, named so the grammar reads like the RFC.
private enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22  // "
    static let hash: UInt8 = 0x23  // #
    static let apostrophe: UInt8 = 0x27  // '
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let upperE: UInt8 = 0x45
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let lowerE: UInt8 = 0x65
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Letters, digits and '_': what a bare word (a literal or a typo for one) is made of.
    static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == underscore
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}

/// One open array or object on the explicit nesting stack.
private struct Frame {
    var isObject: Bool
    /// Byte offset of the opening bracket, for "not closed" messages.
    var start: Int
    var elements: [JSONValue] = []
    var members: [(key: String, value: JSONValue)] = []
    /// The key whose value is being parsed, and where it started.
    var key = ""
    var keyStart = 0
    /// Built once an object grows past a few members, so duplicate checks stay linear overall.
    var keySet: Set<String>?
}

/// Objects up to this size check duplicate keys by scanning, which beats hashing for small ones.
private let linearKeyScanLimit = 12

private struct JSONReader {
    let bytes: [UInt8]
    let limits: JSONLimits
    var pos = 0
    /// Reused for strings with escapes, to avoid an allocation per string.
    var scratch: [UInt8] = []

    init(bytes: [UInt8], limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Document and containers

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error("byte order mark is not allowed; save the file as UTF-8 without BOM", at: 0)
        }
        skipWhitespace()
        guard pos < bytes.count else { throw error("empty document", at: pos) }

        var stack: [Frame] = []
        var value: JSONValue
        parsing: while true {
            // Here a value is expected at `pos` (whitespace already skipped).
            guard pos < bytes.count else {
                throw error("unexpected end of input; expected a value", at: pos)
            }
            // Where the value being handed up began, for the "too many elements" message.
            var valueStart = pos
            switch bytes[pos] {
            case ASCII.openBrace:
                try checkDepth(stack.count)
                stack.append(Frame(isObject: true, start: pos))
                pos += 1
                skipWhitespace()
                if peek() == ASCII.closeBrace {
                    pos += 1
                    stack.removeLast()
                    value = .object(JSONObject())
                } else {
                    try readKey(into: &stack[stack.count - 1])
                    continue parsing
                }
            case ASCII.openBracket:
                try checkDepth(stack.count)
                stack.append(Frame(isObject: false, start: pos))
                pos += 1
                skipWhitespace()
                if peek() == ASCII.closeBracket {
                    pos += 1
                    stack.removeLast()
                    value = .array([])
                } else {
                    continue parsing
                }
            default:
                value = try readScalar()
            }

            // Hand the finished value to the enclosing containers, closing as many as end here.
            while let top = stack.indices.last {
                if stack[top].isObject {
                    guard stack[top].members.count < limits.maxMembers else {
                        throw error(
                            "object has more than \(limits.maxMembers) members",
                            at: stack[top].keyStart)
                    }
                    stack[top].members.append((key: stack[top].key, value: value))
                    skipWhitespace()
                    guard pos < bytes.count else { throw unclosed(stack[top]) }
                    switch bytes[pos] {
                    case ASCII.comma:
                        let comma = pos
                        pos += 1
                        skipWhitespace()
                        if peek() == ASCII.closeBrace {
                            throw error("trailing comma is not allowed", at: comma)
                        }
                        try readKey(into: &stack[top])
                        continue parsing
                    case ASCII.closeBrace:
                        pos += 1
                        let frame = stack.removeLast()
                        valueStart = frame.start
                        value = .object(JSONObject(members: frame.members))
                    default:
                        throw error("expected ',' or '}' after object member", at: pos)
                    }
                } else {
                    guard stack[top].elements.count < limits.maxMembers else {
                        throw error(
                            "array has more than \(limits.maxMembers) elements", at: valueStart)
                    }
                    stack[top].elements.append(value)
                    skipWhitespace()
                    guard pos < bytes.count else { throw unclosed(stack[top]) }
                    switch bytes[pos] {
                    case ASCII.comma:
                        let comma = pos
                        pos += 1
                        skipWhitespace()
                        if peek() == ASCII.closeBracket {
                            throw error("trailing comma is not allowed", at: comma)
                        }
                        continue parsing
                    case ASCII.closeBracket:
                        pos += 1
                        let frame = stack.removeLast()
                        valueStart = frame.start
                        value = .array(frame.elements)
                    default:
                        throw error("expected ',' or ']' after array element", at: pos)
                    }
                }
            }
            break parsing
        }

        skipWhitespace()
        guard pos == bytes.count else { throw error("extra text after the JSON value", at: pos) }
        return value
    }

    private func checkDepth(_ depth: Int) throws(JSONSyntaxError) {
        guard depth < limits.maxDepth else {
            throw error("document nested deeper than \(limits.maxDepth) levels", at: pos)
        }
    }

    private func unclosed(_ frame: Frame) -> JSONSyntaxError {
        let (line, column) = lineAndColumn(of: frame.start)
        let kind = frame.isObject ? "object" : "array"
        return error(
            "unexpected end of input; the \(kind) opened at line \(line), column \(column) is not closed",
            at: pos)
    }

    /// Reads `"key"` and the ':' after it, leaving `pos` at the member's value.
    private mutating func readKey(into frame: inout Frame) throws(JSONSyntaxError) {
        guard pos < bytes.count else {
            throw error("unexpected end of input; expected an object key", at: pos)
        }
        let start = pos
        let byte = bytes[pos]
        guard byte == ASCII.quote else {
            if byte == ASCII.apostrophe {
                throw error("single-quoted strings are not allowed; use '\"'", at: pos)
            }
            if ASCII.isLetter(byte) || byte == ASCII.underscore {
                throw error("object keys must be double-quoted strings", at: pos)
            }
            throw error(
                "expected an object key (a double-quoted string) but found \(describeCharacter(at: pos))",
                at: pos)
        }
        let key = try readString()
        if isDuplicate(key, in: &frame) {
            throw error("duplicate key \"\(displayed(key))\"", at: start)
        }
        frame.key = key
        frame.keyStart = start
        skipWhitespace()
        guard pos < bytes.count else {
            throw error("unexpected end of input; expected ':' after object key", at: pos)
        }
        guard bytes[pos] == ASCII.colon else {
            throw error("expected ':' after object key", at: pos)
        }
        pos += 1
        skipWhitespace()
    }

    /// Checks `key` against the keys so far and records it.
    private func isDuplicate(_ key: String, in frame: inout Frame) -> Bool {
        if frame.keySet == nil {
            if frame.members.count < linearKeyScanLimit {
                return frame.members.contains { $0.key == key }
            }
            frame.keySet = Set(frame.members.map(\.key))
        }
        return frame.keySet?.insert(key).inserted == false
    }

    // MARK: Scalars

    private mutating func readScalar() throws(JSONSyntaxError) -> JSONValue {
        let byte = bytes[pos]
        switch byte {
        case ASCII.quote:
            return .string(try readString())
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return .number(try readNumber())
        case _ where ASCII.isLetter(byte) || byte == ASCII.underscore:
            return try readWord()
        case ASCII.apostrophe:
            throw error("single-quoted strings are not allowed; use '\"'", at: pos)
        case ASCII.slash, ASCII.hash:
            throw error("comments are not allowed", at: pos)
        case ASCII.plus:
            throw error("a number cannot start with '+'", at: pos)
        case ASCII.dot:
            throw error("a number needs a digit before '.'", at: pos)
        case ASCII.comma, ASCII.colon, ASCII.closeBracket, ASCII.closeBrace:
            throw error("expected a value but found \(describeCharacter(at: pos))", at: pos)
        default:
            if byte >= 0x80, let (scalar, _) = decodeScalar(at: pos),
                scalar == 0x201C || scalar == 0x201D
            {
                // Curly quotes arrive from word processors; say what to do about them.
                throw error(
                    "unexpected character \(describeCharacter(at: pos)); use straight quotes '\"'",
                    at: pos)
            }
            throw error("unexpected character \(describeCharacter(at: pos))", at: pos)
        }
    }

    /// Reads `true`, `false` or `null`, or explains what the bare word should have been.
    private mutating func readWord() throws(JSONSyntaxError) -> JSONValue {
        let start = pos
        while pos < bytes.count && ASCII.isWordByte(bytes[pos]) { pos += 1 }
        let word = bytes[start..<pos]
        if word.elementsEqual("true".utf8) { return .bool(true) }
        if word.elementsEqual("false".utf8) { return .bool(false) }
        if word.elementsEqual("null".utf8) { return .null }

        let text = String(decoding: word, as: UTF8.self)
        let shown = displayed(text)
        let lowercased = text.lowercased()
        if ["nan", "infinity", "inf"].contains(lowercased) {
            throw error("NaN and Infinity are not allowed", at: start)
        }
        // "True", "NULL", "fals": a literal in the wrong case or cut short.
        if word.count > 1,
            let literal = ["true", "false", "null"].first(where: { $0.hasPrefix(lowercased) })
        {
            throw error("invalid literal '\(shown)'; did you mean '\(literal)'?", at: start)
        }
        if word.count == 1 {
            throw error("unexpected character '\(shown)'", at: start)
        }
        throw error("unexpected word '\(shown)'; strings must be in double quotes", at: start)
    }

    private mutating func readNumber() throws(JSONSyntaxError) -> Double {
        let start = pos
        let negative = bytes[pos] == ASCII.minus
        if negative {
            pos += 1
            if pos < bytes.count && ASCII.isLetter(bytes[pos]) {
                let wordStart = pos
                while pos < bytes.count && ASCII.isWordByte(bytes[pos]) { pos += 1 }
                let word = String(decoding: bytes[wordStart..<pos], as: UTF8.self).lowercased()
                if ["nan", "infinity", "inf"].contains(word) {
                    throw error("NaN and Infinity are not allowed", at: start)
                }
                throw error("expected a digit after '-'", at: wordStart)
            }
            guard pos < bytes.count && ASCII.isDigit(bytes[pos]) else {
                throw error("expected a digit after '-'", at: pos)
            }
        }

        let integerStart = pos
        if bytes[pos] == ASCII.zero {
            pos += 1
            if pos < bytes.count && ASCII.isDigit(bytes[pos]) {
                throw error("leading zeros are not allowed", at: integerStart)
            }
        } else {
            skipDigits()
        }
        let integerDigits = pos - integerStart
        var isInteger = true

        if pos < bytes.count && bytes[pos] == ASCII.dot {
            isInteger = false
            pos += 1
            guard pos < bytes.count && ASCII.isDigit(bytes[pos]) else {
                throw error("expected a digit after '.'", at: pos)
            }
            skipDigits()
        }
        if pos < bytes.count && (bytes[pos] == ASCII.lowerE || bytes[pos] == ASCII.upperE) {
            isInteger = false
            pos += 1
            if pos < bytes.count && (bytes[pos] == ASCII.plus || bytes[pos] == ASCII.minus) {
                pos += 1
            }
            guard pos < bytes.count && ASCII.isDigit(bytes[pos]) else {
                throw error("expected a digit in the exponent", at: pos)
            }
            skipDigits()
        }
        // "12abc", "1.2.3", "0x1F", "1-2": name the character rather than blame the container.
        if pos < bytes.count {
            let next = bytes[pos]
            if ASCII.isWordByte(next) || next == ASCII.dot || next == ASCII.plus
                || next == ASCII.minus
            {
                throw error("invalid character \(describeCharacter(at: pos)) in number", at: pos)
            }
        }

        // Up to 15 digits fit a Double exactly, so common integers skip string conversion.
        if isInteger && integerDigits <= 15 {
            var magnitude = 0
            for byte in bytes[integerStart..<pos] {
                magnitude = magnitude * 10 + Int(byte - ASCII.zero)
            }
            let value = Double(magnitude)
            return negative ? -value : value
        }
        let lexeme = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let value = Double(lexeme), value.isFinite else {
            throw error("number out of range", at: start)
        }
        return value
    }

    private mutating func skipDigits() {
        while pos < bytes.count && ASCII.isDigit(bytes[pos]) { pos += 1 }
    }

    /// Reads a string starting at its opening quote.
    private mutating func readString() throws(JSONSyntaxError) -> String {
        let open = pos
        pos += 1
        let contentStart = pos
        // Fast path: no escapes, so the content is a slice of the input.
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == ASCII.quote {
                let string = String(decoding: bytes[contentStart..<pos], as: UTF8.self)
                pos += 1
                return string
            }
            if byte == ASCII.backslash { break }
            try advanceOverContent(byte, open: open)
            if pos - contentStart > limits.maxStringBytes { throw stringTooLong(open) }
        }
        guard pos < bytes.count else { throw error("unterminated string", at: open) }

        // Slow path: decode escapes into the scratch buffer.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[contentStart..<pos])
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == ASCII.quote {
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                try readEscape(open: open)
            } else {
                let start = pos
                try advanceOverContent(byte, open: open)
                scratch.append(contentsOf: bytes[start..<pos])
            }
            if scratch.count > limits.maxStringBytes { throw stringTooLong(open) }
        }
        throw error("unterminated string", at: open)
    }

    /// Steps over one unescaped character of string content, rejecting what JSON forbids there.
    private mutating func advanceOverContent(_ byte: UInt8, open: Int) throws(JSONSyntaxError) {
        if byte < 0x80 {
            if byte < ASCII.space {
                if byte == ASCII.lineFeed || byte == ASCII.carriageReturn {
                    // Usually a missing closing quote, so point at the string's start.
                    throw error("unterminated string: line break before the closing '\"'", at: open)
                }
                throw error(
                    "control character \(unicodeName(UInt32(byte))) in string; write it as \(escaped(byte))",
                    at: pos)
            }
            pos += 1
        } else {
            guard let (_, length) = decodeScalar(at: pos) else {
                throw error("invalid UTF-8", at: pos)
            }
            pos += length
        }
    }

    /// Decodes one escape sequence starting at its backslash and appends it to `scratch`.
    private mutating func readEscape(open: Int) throws(JSONSyntaxError) {
        let escapeStart = pos
        pos += 1
        guard pos < bytes.count else { throw error("unterminated string", at: open) }
        let letter = bytes[pos]
        pos += 1
        switch letter {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(letter)
        case 0x62: scratch.append(0x08)  // \b
        case 0x66: scratch.append(0x0C)  // \f
        case 0x6E: scratch.append(ASCII.lineFeed)  // \n
        case 0x72: scratch.append(ASCII.carriageReturn)  // \r
        case 0x74: scratch.append(ASCII.tab)  // \t
        case 0x75:  // \u
            let unit = try readHex4(escapeStart)
            var scalar = unit
            if (0xDC00...0xDFFF).contains(unit) {
                throw error("unpaired low surrogate \\u\(hex4(unit)) in string", at: escapeStart)
            }
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate is only valid when a low surrogate escape follows at once.
                guard
                    pos + 1 < bytes.count && bytes[pos] == ASCII.backslash && bytes[pos + 1] == 0x75
                else {
                    throw error(
                        "unpaired high surrogate \\u\(hex4(unit)) in string", at: escapeStart)
                }
                let lowStart = pos
                pos += 2
                let low = try readHex4(lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        "unpaired high surrogate \\u\(hex4(unit)) in string", at: escapeStart)
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar)
        default:
            let shown: String
            if letter >= 0x21 && letter < 0x7F {
                shown = "\\" + String(UnicodeScalar(letter))
            } else {
                pos -= 1  // so describeCharacter decodes the whole character
                shown = "'\\' followed by " + describeCharacter(at: pos)
            }
            throw error("invalid escape \(shown)", at: escapeStart)
        }
    }

    /// Reads the four hex digits of a `\u` escape whose backslash is at `escapeStart`.
    private mutating func readHex4(_ escapeStart: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < bytes.count, let digit = ASCII.hexValue(bytes[pos]) else {
                throw error("invalid \\u escape: expected 4 hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            pos += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private func stringTooLong(_ open: Int) -> JSONSyntaxError {
        error("string is longer than the limit of \(limits.maxStringBytes) bytes", at: open)
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        pos < bytes.count ? bytes[pos] : nil
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case ASCII.space, ASCII.lineFeed, ASCII.carriageReturn, ASCII.tab: pos += 1
            default: return
            }
        }
    }

    /// Decodes the well-formed UTF-8 scalar at `offset` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF), or returns nil.
    private func decodeScalar(at offset: Int) -> (scalar: UInt32, length: Int)? {
        guard offset < bytes.count else { return nil }
        let lead = bytes[offset]
        let length: Int
        let secondRange: ClosedRange<UInt8>
        var scalar: UInt32
        switch lead {
        case 0x00...0x7F: return (UInt32(lead), 1)
        case 0xC2...0xDF: (length, secondRange, scalar) = (2, 0x80...0xBF, UInt32(lead & 0x1F))
        case 0xE0: (length, secondRange, scalar) = (3, 0xA0...0xBF, UInt32(lead & 0x0F))
        case 0xED: (length, secondRange, scalar) = (3, 0x80...0x9F, UInt32(lead & 0x0F))
        case 0xE1...0xEF: (length, secondRange, scalar) = (3, 0x80...0xBF, UInt32(lead & 0x0F))
        case 0xF0: (length, secondRange, scalar) = (4, 0x90...0xBF, UInt32(lead & 0x07))
        case 0xF1...0xF3: (length, secondRange, scalar) = (4, 0x80...0xBF, UInt32(lead & 0x07))
        case 0xF4: (length, secondRange, scalar) = (4, 0x80...0x8F, UInt32(lead & 0x07))
        default: return nil
        }
        guard offset + length <= bytes.count, secondRange.contains(bytes[offset + 1]) else {
            return nil
        }
        for index in (offset + 1)..<(offset + length) {
            let byte = bytes[index]
            guard byte & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (scalar, length)
    }

    // MARK: Errors

    private func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        let (line, column) = lineAndColumn(of: offset)
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    /// Computed only when reporting, so parsing does not pay for tracking lines.
    private func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < end {
            let byte = bytes[index]
            if byte == ASCII.lineFeed
                || (byte == ASCII.carriageReturn
                    && (index + 1 >= bytes.count || bytes[index + 1] != ASCII.lineFeed))
            {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        // Count scalars, not bytes: every byte but a UTF-8 continuation byte starts one.
        var column = 1
        for byte in bytes[lineStart..<end] where byte & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// The character at `offset` for a message: 'x' when printable, U+XXXX otherwise.
    private func describeCharacter(at offset: Int) -> String {
        guard let (scalar, _) = decodeScalar(at: offset) else {
            if offset < bytes.count { return "byte 0x\(hex2(bytes[offset])) (invalid UTF-8)" }
            return "end of input"
        }
        if scalar < 0x20 || scalar == 0x7F || (0x80..<0xA0).contains(scalar) {
            return unicodeName(scalar)
        }
        guard let unicodeScalar = Unicode.Scalar(scalar) else { return unicodeName(scalar) }
        let character = String(Character(unicodeScalar))
        return scalar < 0x80 ? "'\(character)'" : "'\(character)' (\(unicodeName(scalar)))"
    }
}

// MARK: - Message helpers

private func hex2(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return byte < 0x10 ? "0" + digits : digits
}

private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

private func unicodeName(_ scalar: UInt32) -> String { "U+\(hex4(scalar))" }

/// How to write a control character inside a JSON string.
private func escaped(_ byte: UInt8) -> String {
    switch byte {
    case 0x08: "\\b"
    case 0x09: "\\t"
    case 0x0A: "\\n"
    case 0x0C: "\\f"
    case 0x0D: "\\r"
    default: "\\u\(hex4(UInt32(byte)))"
    }
}

/// A key or word as it may appear inside a one-line message: escaped and at most 40 characters.
private func displayed(_ text: String) -> String {
    var result = ""
    for (count, scalar) in text.unicodeScalars.enumerated() {
        if count == 40 {
            result += "…"
            break
        }
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            result += escaped(UInt8(scalar.value))
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
