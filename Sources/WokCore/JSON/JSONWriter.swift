extension JSONValue {
    /// The JSON text of this value, which `JSONParser.parse` reads back as an equal value.
    ///
    /// Compact output has no whitespace. Pretty output indents by two spaces, writes
    /// `"key": value`, puts arrays that hold only scalars on one line, and has no trailing newline.
    /// Object members keep their order. Non-ASCII text is written as UTF-8, not escaped.
    /// Numbers that are whole and below 2^53 in magnitude print without a fraction; other finite
    /// numbers use Swift's shortest round-trip form; NaN and infinities become `null`.
    public func serialized(pretty: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        JSONWriter(pretty: pretty).write(self, indent: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}

/// Writes JSON text as UTF-8 bytes (cheaper to build than a `String`).
private struct JSONWriter {
    let pretty: Bool

    func write(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: formatNumber(number).utf8)
        case .string(let string): writeString(string, into: &output)
        case .array(let elements): writeArray(elements, indent: indent, into: &output)
        case .object(let object): writeObject(object, indent: indent, into: &output)
        }
    }

    private func writeArray(_ elements: [JSONValue], indent: Int, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        defer { output.append(UInt8(ascii: "]")) }
        guard !elements.isEmpty else { return }
        if !pretty || elements.allSatisfy(\.isScalar) {
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(contentsOf: pretty ? ", ".utf8 : ",".utf8) }
                write(element, indent: indent, into: &output)
            }
            return
        }
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent + 1, into: &output)
            write(element, indent: indent + 1, into: &output)
        }
        newline(indent, into: &output)
    }

    private func writeObject(_ object: JSONObject, indent: Int, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        defer { output.append(UInt8(ascii: "}")) }
        guard !object.isEmpty else { return }
        for (index, member) in object.members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty { newline(indent + 1, into: &output) }
            writeString(member.key, into: &output)
            output.append(contentsOf: pretty ? ": ".utf8 : ":".utf8)
            write(member.value, indent: indent + 1, into: &output)
        }
        if pretty { newline(indent, into: &output) }
    }

    private func newline(_ indent: Int, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x00..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private func formatNumber(_ number: Double) -> String {
        // JSON has no NaN or infinity; null is the conventional stand-in.
        guard number.isFinite else { return "null" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        // Below 2^53 every whole Double is an exact integer, so "42" rather than "42.0".
        // (Truncating through Int64 rather than `rounded()`, which needs libm at link time.)
        if number.magnitude < 9_007_199_254_740_992, Double(Int64(number)) == number {
            return String(Int64(number))
        }
        // Swift's description is the shortest text that reads back to the same Double, and for
        // finite values it always has digits on both sides of '.', so it is valid JSON.
        return number.description
    }
}

extension JSONValue {
    /// True for null, booleans, numbers and strings.
    fileprivate var isScalar: Bool {
        switch self {
        case .array, .object: false
        case .null, .bool, .number, .string: true
        }
    }
}
