internal import Glibc
internal import WokClient
public import WokCore
public import WokPairing
internal import WokSystem
internal import WokWire

/// A request as the server read it: only what the rules and the policy look at.
public struct IncomingRequest: Sendable {
    public var method: String
    public var path: String
    public var host: String?
    public var origin: String?
    public var fetchSite: String?
    public var cookie: String?
    public var contentType: String?
    public var userAgent: String?
    public var peerAddress: String
    public var body: [UInt8]
    /// The body went past the bound while it was read (what was read is then dropped).
    public var bodyTooLarge: Bool

    public init(
        method: String, path: String, host: String?, origin: String? = nil, fetchSite: String? = nil, cookie: String? = nil,
        contentType: String? = nil, userAgent: String? = nil, peerAddress: String = "127.0.0.1", body: [UInt8] = [], bodyTooLarge: Bool = false
    ) {
        self.method = method
        self.path = path
        self.host = host
        self.origin = origin
        self.fetchSite = fetchSite
        self.cookie = cookie
        self.contentType = contentType
        self.userAgent = userAgent
        self.peerAddress = peerAddress
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }
}

/// What to send back.
public enum OutgoingResponse: Sendable {
    case full(status: Int, contentType: String, body: [UInt8], headers: [(String, String)])
    /// An event stream; the server reads the hub's queue for this stream id.
    case stream(id: Int)

    public static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> OutgoingResponse {
        .full(status: status, contentType: "application/json", body: Array(value.serialized().utf8), headers: headers)
    }

    public static func problem(_ rejection: WebRejection) -> OutgoingResponse {
        json(rejection.status, ["error": .string(rejection.message)])
    }

    public var status: Int {
        switch self {
        case .full(let status, _, _, _): status
        case .stream: 200
        }
    }
}

/// wokweb's behaviour, apart from HTTP's plumbing: validate, check access, then answer from the
/// hub, ask wokd, or ask `wokctl`. Called from libmicrohttpd's connection threads.
public final class WebApp: @unchecked Sendable {
    public struct Settings: Sendable {
        public var socketPath: String
        public var policy: AccessPolicy
        public var secureCookies: Bool
        /// Added to `wokctl recipes ...` (the recipe directory, the station file).
        public var recipeArguments: [String]
        /// Added to `wokctl history|plot ...` (the database).
        public var historyArguments: [String]
        public var commandTimeoutSeconds: Double
        public var version: String

        public init(
            socketPath: String, policy: AccessPolicy, secureCookies: Bool = false, recipeArguments: [String] = [], historyArguments: [String] = [],
            commandTimeoutSeconds: Double = 3, version: String = WebBuild.version
        ) {
            self.socketPath = socketPath
            self.policy = policy
            self.secureCookies = secureCookies
            self.recipeArguments = recipeArguments
            self.historyArguments = historyArguments
            self.commandTimeoutSeconds = commandTimeoutSeconds
            self.version = version
        }
    }

    public let settings: Settings
    public let hub: StationHub
    public let pairing: PairingStore
    public let assets: PageAssets
    public let tools: ToolRunner
    private let lock = ConditionLock()
    private var readLimiter = RateLimiter(burst: 120, perSecond: 40)
    private var changeLimiter = RateLimiter(burst: 10, perSecond: 2)
    private var recipeListCache: (bytes: [UInt8], at: Double)?
    private var currentPolicy: AccessPolicy
    static let recipeListLifetimeSeconds = 60.0

    public init(settings: Settings, hub: StationHub, pairing: PairingStore, assets: PageAssets, tools: ToolRunner) {
        self.settings = settings
        self.currentPolicy = settings.policy
        self.hub = hub
        self.pairing = pairing
        self.assets = assets
        self.tools = tools
    }

    /// The policy in force; the Host names of a loopback bind are only known once bound (port 0).
    public var policy: AccessPolicy {
        get { lock.withLock { currentPolicy } }
        set { lock.withLock { currentPolicy = newValue } }
    }

    public func handle(_ request: IncomingRequest, now: Double) -> OutgoingResponse {
        if request.bodyTooLarge { return .problem(WebRejection(413, "the body may be at most \(RequestRules.maxBodyBytes) bytes")) }
        let route: WebRoute
        switch RequestRules.route(method: request.method, path: request.path, contentType: request.contentType, body: request.body) {
        case .failure(let rejection): return .problem(rejection)
        case .success(let found): route = found
        }
        let token = Pairing.token(fromCookieHeader: request.cookie)
        let credentials = AccessPolicy.Credentials(
            host: request.host, origin: request.origin, fetchSite: request.fetchSite, paired: pairing.isPaired(token: token))
        if let refusal = policy.check(route, credentials) { return .problem(refusal) }
        let changes = route.changesStation || { if case .pair = route { true } else { false } }()
        let allowed = lock.withLock {
            changes ? changeLimiter.allow(request.peerAddress, now: now) : readLimiter.allow(request.peerAddress, now: now)
        }
        guard allowed else { return .problem(WebRejection(429, "too many requests from this address; slow down")) }

        switch route {
        case .asset(let asset):
            return .full(status: 200, contentType: asset.contentType, body: assets.bytes(asset), headers: [("Cache-Control", "no-cache")])
        case .events:
            guard let id = hub.openStream(now: now) else { return .problem(WebRejection(503, "too many browsers are watching")) }
            return .stream(id: id)
        case .state:
            return .full(status: 200, contentType: "application/json", body: Array(hub.view.stateJSON.utf8), headers: [])
        case .metrics:
            return .full(
                status: 200, contentType: MetricsText.contentType,
                body: Array(MetricsText.render(hub.view, streams: hub.streamCount, version: settings.version).utf8), headers: [])
        case .recipes: return recipeList(now: now)
        case .recipe(let name): return toolAnswer(["recipes", "show", name, "--json"] + settings.recipeArguments, contentType: "application/json")
        case .history: return toolAnswer(["history", "--json", "--limit", "50"] + settings.historyArguments, contentType: "application/json")
        case .plot(let cook): return toolAnswer(["plot", String(cook), "-o", "-"] + settings.historyArguments, contentType: "image/svg+xml")
        case .pair(let code): return pair(code, label: request.userAgent ?? "")
        case .action(let action): return perform(action)
        }
    }

    /// Sends one change to wokd on a connection of its own, with a bounded wait.
    func perform(_ action: WebAction) -> OutgoingResponse {
        do {
            let client = try ControlClient(path: settings.socketPath)
            switch try client.command(action.method, params: action.params, timeoutSeconds: settings.commandTimeoutSeconds) {
            case .success(let snapshot): return .json(200, ["ok": true, "snapshot": snapshot.json])
            case .failure(let error):
                var body: JSONObject = ["error": .string(error.message), "code": .string(error.code.rawValue)]
                if !error.problems.isEmpty { body["problems"] = .array(error.problems.prefix(20).map { .string($0) }) }
                return .json(Self.status(for: error.code), .object(body))
            }
        } catch {
            return .json(503, ["error": .string("wokd could not be reached: \(error.description)")])
        }
    }

    static func status(for code: ControlErrorCode) -> Int {
        switch code {
        case .refused: 409
        case .recipeNotFound: 404
        case .recipeInvalid, .invalidRequest, .parseError, .unknownMethod, .unsupportedVersion: 422
        case .requestTooLarge: 413
        case .notPermitted: 403
        case .failed: 502
        }
    }

    func pair(_ code: String, label: String) -> OutgoingResponse {
        switch pairing.redeem(code, label: label, nowUnixSeconds: wallClockSeconds()) {
        case .success(let browser):
            return .json(
                200, ["ok": true, "id": .number(Double(browser.id))],
                headers: [("Set-Cookie", Pairing.setCookie(browser.token, secure: settings.secureCookies))])
        case .failure(let refusal):
            let status =
                switch refusal {
                case .storage: 500
                case .tooManyBrowsers: 409
                default: 403
                }
            return .json(status, ["error": .string(refusal.description)])
        }
    }

    func recipeList(now: Double) -> OutgoingResponse {
        if let cached = lock.withLock({ recipeListCache }), now - cached.at < Self.recipeListLifetimeSeconds {
            return .full(status: 200, contentType: "application/json", body: cached.bytes, headers: [])
        }
        let answer = toolAnswer(["recipes", "list", "--json"] + settings.recipeArguments, contentType: "application/json")
        if case .full(200, _, let body, _) = answer { lock.withLock { recipeListCache = (body, now) } }
        return answer
    }

    func toolAnswer(_ arguments: [String], contentType: String) -> OutgoingResponse {
        do {
            let bytes = try tools.run(arguments)
            return .full(status: 200, contentType: contentType, body: bytes, headers: [])
        } catch {
            switch error {
            case .busy: return .json(503, ["error": .string(error.description)])
            case .failed(let status, _) where status == 3: return .json(404, ["error": .string(error.description)])
            default: return .json(502, ["error": .string(error.description)])
            }
        }
    }
}

/// The version reported in `/metrics`.
public enum WebBuild {
    public static let version = "0.1.0"
}

/// Seconds since the Unix epoch (pairing codes expire by the wall clock, as `wokctl web pair` sets them).
public func wallClockSeconds() -> Int {
    Int(time(nil))
}
