public import WokCore

/// The control socket's language: one JSON object per line each way.
///
/// A request is `{"v": 1, "id": ANY, "method": "status", "params": {...}}` (`v`, `id` and
/// `params` optional). Every request gets exactly one response, `{"v": 1, "id": ANY, "result":
/// {...}}` or `{"v": 1, "id": ANY, "error": {"code": "...", "message": "...", "problems": [...]}}`.
/// After `subscribe`, the daemon also sends `{"v": 1, "snapshot": {...}}` and `{"v": 1,
/// "event": {...}}` lines until the client hangs up. Documented in docs/protocol.md.
public enum ControlProtocol {
    /// The version this build speaks; a request naming another is refused, not guessed at.
    public static let version = 1
    /// The largest recipe `start` takes by content (the shipped recipes are under 8 KiB).
    public static let maxRecipeDocumentBytes = 128 * 1024
    /// A request line longer than this is refused and the connection closed: a recipe sent by
    /// content, escaped, fits with room to spare; no other request comes near it.
    public static let maxRequestBytes = 2 * maxRecipeDocumentBytes + 4096
    /// Requests are small and shallow; these limits keep a hostile line cheap to reject.
    public static let requestLimits = JSONLimits(
        maxBytes: maxRequestBytes, maxDepth: 8, maxStringBytes: maxRecipeDocumentBytes, maxMembers: 64)
    /// A line from the daemon longer than this is not one it sends (a subscription's first answer,
    /// the largest, is about 40 KiB): a client stops reading it there.
    public static let maxReplyBytes = 1 << 20
}

/// What a client may ask.
public enum ControlMethod: String, Sendable, CaseIterable {
    case status
    case start
    /// Confirm the current `confirm` stage: the cook says it is done.
    case next
    case hold
    case resume
    /// Give the current timed or `confirm` stage more time: `{"seconds": N}`.
    case extend
    /// End the current timed stage now.
    case finish
    /// Hold the wok at a heat with no recipe: `{"celsius": N}` or `{"level": NAME}`, optional
    /// `{"seconds": N}`; ended by `finish`, `abort` or its own clock.
    case holdAt = "hold-at"
    case abort
    /// Acknowledge a latched fault.
    case ack
    /// Stream snapshots and events on this connection.
    case subscribe

    /// Whether the method takes `params` (the others refuse any they are given).
    public var takesParams: Bool { [.start, .extend, .holdAt].contains(self) }

    /// Whether the request changes what the burner does; only permitted peers may send these.
    public var changesState: Bool {
        switch self {
        case .status, .subscribe: false
        case .start, .next, .hold, .resume, .extend, .finish, .holdAt, .abort, .ack: true
        }
    }
}

/// A decoded request.
public struct ControlRequest: Sendable, Equatable {
    public var id: JSONValue
    public var method: ControlMethod
    public var params: JSONObject

    public init(id: JSONValue = .null, method: ControlMethod, params: JSONObject = JSONObject()) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// The request as one line of the protocol (without the newline).
    public var line: String {
        var members: [(String, JSONValue)] = [("v", .number(Double(ControlProtocol.version)))]
        if id != .null { members.append(("id", id)) }
        members.append(("method", .string(method.rawValue)))
        if !params.isEmpty { members.append(("params", .object(params))) }
        return JSONValue.object(JSONObject(members)).serialized()
    }
}

/// The kinds of error response; scripts may rely on these codes.
public enum ControlErrorCode: String, Sendable, CaseIterable {
    /// The line is not JSON.
    case parseError = "parse-error"
    /// JSON, but not a request: wrong shape, missing or mistyped field.
    case invalidRequest = "invalid-request"
    case unknownMethod = "unknown-method"
    case unsupportedVersion = "unsupported-version"
    case requestTooLarge = "request-too-large"
    /// The peer may watch but not change anything.
    case notPermitted = "not-permitted"
    /// A valid request the cook's state does not allow now (busy, too early, nothing held, ...).
    case refused
    case recipeNotFound = "recipe-not-found"
    case recipeInvalid = "recipe-invalid"
    /// The daemon could not do it for a reason of its own (a device, the disk).
    case failed
}

/// An error response's content.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ControlErrorCode
    public var message: String
    /// One entry per problem, for recipe errors.
    public var problems: [String]

    public init(_ code: ControlErrorCode, _ message: String, problems: [String] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String {
        problems.isEmpty ? message : ([message] + problems.map { "  " + $0 }).joined(separator: "\n")
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if !problems.isEmpty { members.append(("problems", .array(problems.map { .string($0) }))) }
        return .object(JSONObject(members))
    }

    public init?(json: JSONValue) {
        guard let object = json.objectValue, let codeText = object["code"]?.stringValue,
            let message = object["message"]?.stringValue
        else { return nil }
        self.code = ControlErrorCode(rawValue: codeText) ?? .failed
        self.message = message
        self.problems = object["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

extension ControlRequest {
    /// Decodes one request line. On failure, the id (when one could be read) comes back with the
    /// error, so the response can still be matched to its request.
    public static func decode(_ line: String) -> Result<ControlRequest, RequestDecodingError> {
        let document: JSONValue
        do {
            document = try JSONParser.parse(line, limits: ControlProtocol.requestLimits)
        } catch {
            return .failure(RequestDecodingError(id: .null, error: ControlError(.parseError, "not JSON: \(error)")))
        }
        guard let object = document.objectValue else {
            return .failure(
                RequestDecodingError(
                    id: .null, error: ControlError(.invalidRequest, "a request is a JSON object, not \(document.typeName)")))
        }
        let id = object["id"] ?? .null
        func failure(_ code: ControlErrorCode, _ message: String) -> Result<ControlRequest, RequestDecodingError> {
            .failure(RequestDecodingError(id: id, error: ControlError(code, message)))
        }
        switch id {
        case .null, .number, .string: break
        default:
            // An id that is not a number or string is not echoed: the answer carries null.
            return .failure(
                RequestDecodingError(
                    id: .null, error: ControlError(.invalidRequest, "field \"id\" must be a number or a string, not \(id.typeName)")))
        }
        if let version = object["v"] {
            guard let number = version.numberValue else {
                return failure(.invalidRequest, "field \"v\" must be a number, not \(version.typeName)")
            }
            guard number == Double(ControlProtocol.version) else {
                return failure(
                    .unsupportedVersion,
                    "protocol version \(formatNumber(number)) is not spoken here (this wokd speaks version \(ControlProtocol.version))")
            }
        }
        guard let methodValue = object["method"] else { return failure(.invalidRequest, "field \"method\" is missing") }
        guard let methodName = methodValue.stringValue else {
            return failure(.invalidRequest, "field \"method\" must be a string, not \(methodValue.typeName)")
        }
        guard let method = ControlMethod(rawValue: methodName) else {
            let known = ControlMethod.allCases.map(\.rawValue).joined(separator: ", ")
            return failure(.unknownMethod, "unknown method \"\(String(methodName.prefix(64)))\" (known: \(known))")
        }
        var params = JSONObject()
        if let value = object["params"], value != .null {
            guard let given = value.objectValue else {
                return failure(.invalidRequest, "field \"params\" must be an object, not \(value.typeName)")
            }
            params = given
        }
        if !method.takesParams, !params.isEmpty {
            return failure(.invalidRequest, "\(method.rawValue) takes no params")
        }
        for key in object.keys where !["v", "id", "method", "params"].contains(key) {
            return failure(.invalidRequest, "unknown field \"\(String(key.prefix(64)))\" (a request has v, id, method, params)")
        }
        return .success(ControlRequest(id: id, method: method, params: params))
    }
}

/// A request line that could not be decoded, and the id to answer it with.
public struct RequestDecodingError: Error, Sendable, Equatable {
    public var id: JSONValue
    public var error: ControlError
}

/// Encodes the daemon's lines.
public enum ControlReply {
    public static func result(id: JSONValue, _ result: JSONValue) -> String {
        JSONValue.object(JSONObject([("v", .number(Double(ControlProtocol.version))), ("id", id), ("result", result)]))
            .serialized()
    }

    public static func error(id: JSONValue, _ error: ControlError) -> String {
        JSONValue.object(JSONObject([("v", .number(Double(ControlProtocol.version))), ("id", id), ("error", error.json)]))
            .serialized()
    }

    /// A result whose body is already serialized JSON (the cached snapshot).
    public static func result(id: JSONValue, raw body: String) -> String {
        "{\"v\":\(ControlProtocol.version),\"id\":\(id.serialized()),\"result\":\(body)}"
    }

    /// A pushed line whose body is already serialized JSON.
    public static func push(_ kind: String, raw body: String) -> String {
        "{\"v\":\(ControlProtocol.version),\"\(kind)\":\(body)}"
    }

    /// A pushed line for subscribers: `kind` is "snapshot" or "event".
    public static func push(_ kind: String, _ body: JSONValue) -> String {
        JSONValue.object(JSONObject([("v", .number(Double(ControlProtocol.version))), (kind, body)])).serialized()
    }
}

extension ControlError {
    /// The answer to a line that is not UTF-8 text.
    public static let invalidText = ControlError(.parseError, "not JSON: the line is not valid UTF-8")
    /// The answer to a line over the bound.
    public static let tooLarge = ControlError(.requestTooLarge, "a request line may be at most \(ControlProtocol.maxRequestBytes) bytes")
}

/// One line received by a client, decoded.
public enum ControlMessage: Sendable, Equatable {
    case result(id: JSONValue, JSONValue)
    case error(id: JSONValue, ControlError)
    case snapshot(JSONObject)
    case event(JSONObject)

    public static func decode(_ line: String) -> ControlMessage? {
        guard let object = (try? JSONParser.parse(line))?.objectValue else { return nil }
        let id = object["id"] ?? .null
        if let result = object["result"] { return .result(id: id, result) }
        if let error = object["error"].flatMap(ControlError.init(json:)) { return .error(id: id, error) }
        if let snapshot = object["snapshot"]?.objectValue { return .snapshot(snapshot) }
        if let event = object["event"]?.objectValue { return .event(event) }
        return nil
    }
}
