public import WokCore
internal import WokPairing
public import WokWire

/// A change the page asks of the station; each maps to exactly one control-socket request.
public enum WebAction: Sendable, Equatable {
    case next, hold, resume, abort, ack
    case extend(seconds: Int)
    case start(recipe: String, serves: Int?)

    public var method: ControlMethod {
        switch self {
        case .next: .next
        case .hold: .hold
        case .resume: .resume
        case .abort: .abort
        case .ack: .ack
        case .extend: .extend
        case .start: .start
        }
    }

    public var params: JSONObject {
        switch self {
        case .extend(let seconds): ["seconds": .number(Double(seconds))]
        case .start(let recipe, let serves):
            serves.map { ["recipe": .string(recipe), "serves": .number(Double($0))] } ?? ["recipe": .string(recipe)]
        default: JSONObject()
        }
    }
}

/// The three files of the page.
public enum PageAsset: String, Sendable, CaseIterable {
    case html = "index.html"
    case script = "app.js"
    case style = "app.css"

    public var contentType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .script: "text/javascript; charset=utf-8"
        case .style: "text/css; charset=utf-8"
        }
    }
}

/// What a valid request asks for.
public enum WebRoute: Sendable, Equatable {
    case asset(PageAsset)
    case events
    case state
    case recipes
    case recipe(String)
    case history
    case plot(cook: Int)
    case metrics
    case pair(code: String)
    case action(WebAction)

    /// Whether it changes the station (needs the pairing token and a same-origin request).
    public var changesStation: Bool { if case .action = self { true } else { false } }

    /// Whether it shows the station (needs pairing unless unpaired browsers may watch).
    public var showsStation: Bool {
        switch self {
        case .events, .state, .recipes, .recipe, .history, .plot: true
        case .asset, .metrics, .pair, .action: false
        }
    }
}

/// A request refused before it reaches anything: the status and why, in words for the page.
public struct WebRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }
}

/// Validation of every request: method, path, body size, content type and body shape. Nothing
/// that fails here is sent to wokd.
public enum RequestRules {
    /// A POST body larger than this is refused (the largest the page sends is a start, ~100 bytes).
    public static let maxBodyBytes = 4096
    static let bodyLimits = JSONLimits(maxBytes: maxBodyBytes, maxDepth: 2, maxStringBytes: 256, maxMembers: 4)

    public static func route(method: String, path: String, contentType: String?, body: [UInt8]) -> Result<WebRoute, WebRejection> {
        guard path.utf8.count <= 256, path.hasPrefix("/") else { return .failure(WebRejection(414, "the path is too long or malformed")) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch method {
        case "GET", "HEAD": return getRoute(parts)
        case "POST": return postRoute(parts, contentType: contentType, body: body)
        default: return .failure(WebRejection(405, "method \(String(method.prefix(16))) is not allowed here (GET or POST)"))
        }
    }

    static func getRoute(_ parts: [String]) -> Result<WebRoute, WebRejection> {
        if parts == [""] || parts == ["index.html"] { return .success(.asset(.html)) }
        if parts == ["app.js"] { return .success(.asset(.script)) }
        if parts == ["app.css"] { return .success(.asset(.style)) }
        if parts == ["events"] { return .success(.events) }
        if parts == ["metrics"] { return .success(.metrics) }
        guard parts.first == "api", parts.count >= 2 else { return .failure(WebRejection(404, "nothing here")) }
        switch (parts[1], parts.count) {
        case ("state", 2): return .success(.state)
        case ("recipes", 2): return .success(.recipes)
        case ("recipes", 3):
            guard isRecipeName(parts[2]) else { return .failure(WebRejection(400, "a recipe name is lower-case letters, digits and dashes")) }
            return .success(.recipe(parts[2]))
        case ("history", 2): return .success(.history)
        case ("history", 4) where parts[3] == "plot.svg":
            guard parts[2].utf8.count <= 9, parts[2].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(parts[2]), number > 0 else {
                return .failure(WebRejection(400, "a cook is named by its number"))
            }
            return .success(.plot(cook: number))
        case (let verb, 2) where actionVerbs.contains(verb):
            return .failure(WebRejection(405, "\(verb) changes the station: use POST"))
        default: return .failure(WebRejection(404, "nothing here"))
        }
    }

    static let actionVerbs: Set<String> = ["next", "hold", "resume", "abort", "ack", "extend", "start", "pair"]

    static func postRoute(_ parts: [String], contentType: String?, body: [UInt8]) -> Result<WebRoute, WebRejection> {
        guard parts.count == 2, parts[0] == "api", actionVerbs.contains(parts[1]) else {
            return .failure(WebRejection(404, "nothing to POST to here"))
        }
        guard body.count <= maxBodyBytes else { return .failure(WebRejection(413, "the body may be at most \(maxBodyBytes) bytes")) }
        // JSON only: a cross-site form cannot send it without the browser asking first.
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmedSpaces().lowercased() }
        guard mediaType == "application/json" else {
            return .failure(WebRejection(415, "send the body as application/json"))
        }
        let object: JSONObject
        if body.isEmpty {
            object = JSONObject()
        } else {
            guard let text = String(validating: body, as: UTF8.self) else { return .failure(WebRejection(400, "the body is not UTF-8")) }
            do {
                guard let parsed = try JSONParser.parse(text, limits: bodyLimits).objectValue else {
                    return .failure(WebRejection(400, "the body must be a JSON object"))
                }
                object = parsed
            } catch {
                return .failure(WebRejection(400, "the body is not JSON: \(error)"))
            }
        }
        func only(_ allowed: Set<String>) -> WebRejection? {
            for key in object.keys where !allowed.contains(key) {
                return WebRejection(400, "unknown field \"\(String(key.prefix(32)))\"")
            }
            return nil
        }
        let verb = parts[1]
        switch verb {
        case "next", "hold", "resume", "abort", "ack":
            if let problem = only([]) { return .failure(problem) }
            let action: WebAction =
                switch verb {
                case "next": .next
                case "hold": .hold
                case "resume": .resume
                case "abort": .abort
                default: .ack
                }
            return .success(.action(action))
        case "extend":
            if let problem = only(["seconds"]) { return .failure(problem) }
            guard let seconds = object["seconds"]?.intValue, (1...1800).contains(seconds) else {
                return .failure(WebRejection(400, "seconds must be a whole number from 1 to 1800"))
            }
            return .success(.action(.extend(seconds: seconds)))
        case "start":
            if let problem = only(["recipe", "serves"]) { return .failure(problem) }
            guard let recipe = object["recipe"]?.stringValue, isRecipeName(recipe) else {
                return .failure(WebRejection(400, "recipe must be a recipe's name: lower-case letters, digits and dashes"))
            }
            var serves: Int?
            if let value = object["serves"], value != .null {
                guard let people = value.intValue, (1...100).contains(people) else {
                    return .failure(WebRejection(400, "serves must be a number of people from 1 to 100"))
                }
                serves = people
            }
            return .success(.action(.start(recipe: recipe, serves: serves)))
        default:
            if let problem = only(["code"]) { return .failure(problem) }
            guard let code = object["code"]?.stringValue, Pairing.isWellFormedCode(code) else {
                return .failure(WebRejection(400, "the pairing code is \(Pairing.codeLength) digits"))
            }
            return .success(.pair(code: code))
        }
    }

    /// A name in the daemon's recipe directory: never a path, so nothing here names a file.
    public static func isRecipeName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), let first = name.utf8.first, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }
    }
}

extension StringProtocol {
    func trimmedSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
