/// One thing wrong with a configuration or recipe file, located precisely enough to fix it.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// Where in the document: e.g. `stage 3 "Brown the pork", field "heat"`.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}

/// Why a document could not be loaded: bad JSON, or good JSON that says something wrong.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not JSON; says where.
    case syntax(source: String, JSONSyntaxError)
    /// The JSON was read, and each listed problem must be fixed.
    case invalid(source: String, [ConfigProblem])

    public var description: String {
        switch self {
        case .syntax(let source, let error):
            "\(source): line \(error.line), column \(error.column): \(error.message)"
        case .invalid(let source, let problems):
            problems.map { "\(source): \($0)" }.joined(separator: "\n")
        }
    }

    /// The individual problems, one per line of output.
    public var problems: [String] {
        switch self {
        case .syntax: [description]
        case .invalid(let source, let problems): problems.map { "\(source): \($0)" }
        }
    }
}

/// Parses a JSON document, then hands it to a decoder; syntax errors come back located.
public func decodeDocument<Decoded>(
    _ text: String, source: String, _ decode: (JSONValue, String) -> Result<Decoded, DocumentError>
) -> Result<Decoded, DocumentError> {
    do {
        return decode(try JSONParser.parse(text), source)
    } catch {
        return .failure(.syntax(source: source, error))
    }
}

/// Reads typed fields out of one JSON object, collecting a problem for each field that is wrong
/// (instead of stopping at the first) and flagging keys it does not know, which are usually typos.
public struct FieldReader {
    public let object: JSONObject
    public let location: String
    public private(set) var problems: [ConfigProblem] = []
    private var seen: Set<String> = []

    public init(_ object: JSONObject, location: String) {
        self.object = object
        self.location = location
    }

    /// Opens `value` as an object, or records why it is not one.
    public static func open(_ value: JSONValue, location: String, problems: inout [ConfigProblem]) -> FieldReader? {
        guard case .object(let object) = value else {
            problems.append(
                ConfigProblem(
                    location: location.isEmpty ? "the document" : location, message: "expected an object, found \(value.typeName)"))
            return nil
        }
        return FieldReader(object, location: location)
    }

    private func here(_ key: String) -> String {
        location.isEmpty ? "field \"\(key)\"" : "\(location), field \"\(key)\""
    }

    public mutating func fail(_ key: String, _ message: String) {
        problems.append(ConfigProblem(location: here(key), message: message))
    }

    public mutating func raw(_ key: String) -> JSONValue? {
        seen.insert(key)
        guard let value = object[key] else { return nil }
        if case .null = value { return nil }
        return value
    }

    public mutating func string(_ key: String, required: Bool = false, maxLength: Int = 1000) -> String? {
        guard let value = raw(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .string(let text) = value else {
            fail(key, "expected a string, found \(value.typeName)")
            return nil
        }
        if required && text.trimmingWhitespace.isEmpty {
            fail(key, "must not be empty")
            return nil
        }
        if text.count > maxLength {
            fail(key, "is longer than \(maxLength) characters")
            return nil
        }
        return text
    }

    public mutating func number(
        _ key: String, required: Bool = false, in range: ClosedRange<Double>, unit: String = ""
    ) -> Double? {
        guard let value = raw(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .number(let number) = value else {
            fail(key, "expected a number\(unit.isEmpty ? "" : " of \(unit)"), found \(value.typeName)")
            return nil
        }
        guard range.contains(number) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            fail(
                key,
                "\(formatNumber(number))\(suffix) is out of range (\(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound))\(suffix))")
            return nil
        }
        return number
    }

    public mutating func integer(_ key: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let number = number(key, required: required, in: Double(range.lowerBound)...Double(range.upperBound)) else {
            return nil
        }
        guard number == number.rounded() else {
            fail(key, "expected a whole number, found \(formatNumber(number))")
            return nil
        }
        return Int(number)
    }

    public mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, required: Bool = false, default defaultValue: Choice? = nil
    ) -> Choice? where Choice.RawValue == String {
        guard let value = raw(key) else {
            if required { fail(key, "is required (one of \(Self.list(Choice.self)))") }
            return defaultValue
        }
        guard case .string(let text) = value, let choice = Choice(rawValue: text) else {
            let found = value.stringValue.map { "\"\($0)\"" } ?? value.typeName
            fail(key, "\(found) is not one of \(Self.list(Choice.self))")
            return nil
        }
        return choice
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard case .bool(let flag) = value else {
            fail(key, "expected true or false, found \(value.typeName)")
            return nil
        }
        return flag
    }

    /// Opens a nested object; records a problem if the key holds something else.
    public mutating func object(_ key: String, required: Bool = false) -> FieldReader? {
        guard let value = raw(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .object(let nested) = value else {
            fail(key, "expected an object, found \(value.typeName)")
            return nil
        }
        return FieldReader(nested, location: here(key))
    }

    public mutating func array(_ key: String, required: Bool = false, maxCount: Int) -> [JSONValue]? {
        guard let value = raw(key) else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .array(let items) = value else {
            fail(key, "expected an array, found \(value.typeName)")
            return nil
        }
        if items.count > maxCount {
            fail(key, "has \(items.count) entries, more than the \(maxCount) allowed")
            return nil
        }
        return items
    }

    /// Adds the problems of a nested reader, then reports keys this reader never asked about.
    public mutating func absorb(_ nested: FieldReader) {
        problems.append(contentsOf: nested.finished())
    }

    /// The problems found, plus one for each key nobody read.
    public func finished() -> [ConfigProblem] {
        var all = problems
        for key in object.keys where !seen.contains(key) {
            all.append(ConfigProblem(location: here(key), message: "unknown field (misspelt?)"))
        }
        return all
    }

    public static func list<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) -> String
    where Choice.RawValue == String {
        Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }
}

/// Formats a number for messages: whole numbers without a fraction.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

extension String {
    var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}
