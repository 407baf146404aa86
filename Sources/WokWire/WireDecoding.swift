internal import WokCore

/// A line from the other end that is JSON but not the shape this version expects: which member,
/// and what was wrong with it.
public struct WireDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// Typed reads of one JSON object's members, each failure naming the member's path.
struct WireReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String) throws(WireDecodingError) {
        guard let object = value.objectValue else { throw WireDecodingError(path, "expected an object, got \(value.typeName)") }
        self.object = object
        self.path = path
    }

    private func member(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ key: String) throws(WireDecodingError) -> String {
        guard let value = object[key]?.stringValue else { throw WireDecodingError(member(key), "expected a string") }
        return value
    }

    func optionalString(_ key: String) throws(WireDecodingError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw WireDecodingError(member(key), "expected a string or null") }
        return text
    }

    func number(_ key: String) throws(WireDecodingError) -> Double {
        guard let value = object[key]?.numberValue else { throw WireDecodingError(member(key), "expected a number") }
        return value
    }

    func optionalNumber(_ key: String) throws(WireDecodingError) -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.numberValue else { throw WireDecodingError(member(key), "expected a number or null") }
        return number
    }

    func integer(_ key: String) throws(WireDecodingError) -> Int {
        guard let value = object[key]?.intValue else { throw WireDecodingError(member(key), "expected a whole number") }
        return value
    }

    func optionalInteger(_ key: String) throws(WireDecodingError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.intValue else { throw WireDecodingError(member(key), "expected a whole number or null") }
        return number
    }

    func bool(_ key: String) throws(WireDecodingError) -> Bool {
        guard let value = object[key]?.boolValue else { throw WireDecodingError(member(key), "expected true or false") }
        return value
    }

    func optionalObject(_ key: String) throws(WireDecodingError) -> WireReader? {
        guard let value = object[key], value != .null else { return nil }
        return try WireReader(value, path: member(key))
    }

    func array(_ key: String) throws(WireDecodingError) -> [JSONValue] {
        guard let value = object[key]?.arrayValue else { throw WireDecodingError(member(key), "expected an array") }
        return value
    }

    func element(_ key: String, _ index: Int) -> String { "\(member(key))[\(index)]" }
}

func optional(_ number: Double?) -> JSONValue { number.map(JSONValue.number) ?? .null }
func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
func optional(_ integer: Int?) -> JSONValue { integer.map { .number(Double($0)) } ?? .null }
