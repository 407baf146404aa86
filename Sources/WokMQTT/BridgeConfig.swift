internal import WokCore
public import WokNotify
internal import WokSystem

/// The bridge's own config file (`/etc/wok/mqtt.json`): the broker, what may be done remotely and
/// what to notify. Kept apart from the station file so wokd reads nothing that is the bridge's.
public struct BridgeConfig: Sendable, Equatable {
    /// The station's id in topics and Home Assistant ids: 1 to 32 of `a-z`, `0-9`, `-`, `_`.
    public var stationID: String
    /// The device's name in Home Assistant; nil: the station's name from wokd.
    public var deviceName: String?
    /// wokd's socket; nil: where a client looks by default.
    public var socket: String?
    /// Nil: no broker, notifications only.
    public var mqtt: MQTTSettings?
    public var remote: RemotePolicy
    /// Nil: no notifications.
    public var notify: NotifyConfig?

    public init(
        stationID: String, deviceName: String? = nil, socket: String? = nil, mqtt: MQTTSettings? = nil, remote: RemotePolicy = RemotePolicy(),
        notify: NotifyConfig? = nil
    ) {
        self.stationID = stationID
        self.deviceName = deviceName
        self.socket = socket
        self.mqtt = mqtt
        self.remote = remote
        self.notify = notify
    }

    public static let maxFileBytes = 64 * 1024
}

/// Where the broker is and how to prove who we are.
public struct MQTTSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var keepaliveSeconds: Int
    /// Topics are `<topicPrefix>/<station>/...`.
    public var topicPrefix: String
    public var discoveryPrefix: String
    /// Credentials are files: a bare name is looked up in `$CREDENTIALS_DIRECTORY` (systemd's
    /// LoadCredential), an absolute path is read as is.
    public var usernameFile: String?
    public var passwordFile: String?
    public var tls: TLSFiles?
    /// Least time between state messages while only readings change (cooking, then idle).
    public var cookingPeriodSeconds: Double
    public var idlePeriodSeconds: Double
    /// Longest wait between connection attempts.
    public var maxBackoffSeconds: Double

    public init(
        host: String = "localhost", port: Int = 1883, keepaliveSeconds: Int = 30, topicPrefix: String = "wok",
        discoveryPrefix: String = "homeassistant", usernameFile: String? = nil, passwordFile: String? = nil, tls: TLSFiles? = nil,
        cookingPeriodSeconds: Double = 1, idlePeriodSeconds: Double = 10, maxBackoffSeconds: Double = 30
    ) {
        self.host = host
        self.port = port
        self.keepaliveSeconds = keepaliveSeconds
        self.topicPrefix = topicPrefix
        self.discoveryPrefix = discoveryPrefix
        self.usernameFile = usernameFile
        self.passwordFile = passwordFile
        self.tls = tls
        self.cookingPeriodSeconds = cookingPeriodSeconds
        self.idlePeriodSeconds = idlePeriodSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
    }
}

public struct TLSFiles: Sendable, Equatable {
    /// The CA that signed the broker's certificate.
    public var caFile: String
    /// A client certificate and key, when the broker asks for one.
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

/// A config file that cannot be used: where, and why.
public struct BridgeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var problem: String

    public init(_ source: String, _ problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

extension BridgeConfig {
    /// Reads and checks the file.
    public static func load(path: String) throws(BridgeConfigError) -> BridgeConfig {
        let text: String
        do {
            text = try readSmallFile(path, maxBytes: maxFileBytes)
        } catch {
            throw BridgeConfigError(path, "\(error)")
        }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws(BridgeConfigError) -> BridgeConfig {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text, limits: JSONLimits(maxBytes: maxFileBytes, maxDepth: 6, maxStringBytes: 4096, maxMembers: 64))
        } catch {
            throw BridgeConfigError(source, "not JSON: \(error)")
        }
        let root = try ConfigReader(document, path: "", source: source)
        try root.only(["schema", "station", "name", "socket", "mqtt", "remote", "notify"])
        if let schema = try root.number("schema"), schema != 1 { throw root.problem("schema", "must be 1") }
        guard let station = try root.string("station") else { throw root.problem("station", "is required (the id used in topics)") }
        guard Topics.isValidStationID(station) else {
            throw root.problem("station", "must be 1 to 32 of a-z, 0-9, - and _ (it becomes part of topics and ids)")
        }
        var config = BridgeConfig(stationID: station, deviceName: try root.string("name"), socket: try root.string("socket"))
        if let section = try root.object("mqtt") { config.mqtt = try parseMQTT(section) }
        if let section = try root.object("remote") { config.remote = try parseRemote(section) }
        if let section = try root.object("notify") { config.notify = try parseNotify(section) }
        return config
    }

    static func parseMQTT(_ section: ConfigReader) throws(BridgeConfigError) -> MQTTSettings {
        try section.only([
            "host", "port", "keepaliveSeconds", "topicPrefix", "discoveryPrefix", "usernameFile", "passwordFile", "tls",
            "cookingPeriodSeconds", "idlePeriodSeconds", "maxBackoffSeconds",
        ])
        var settings = MQTTSettings()
        if let host = try section.string("host") {
            guard !host.isEmpty, host.utf8.count <= 253 else { throw section.problem("host", "must be a host name or address") }
            settings.host = host
        }
        settings.port = try section.integer("port", in: 1...65535) ?? settings.port
        settings.keepaliveSeconds = try section.integer("keepaliveSeconds", in: 5...600) ?? settings.keepaliveSeconds
        for key in ["topicPrefix", "discoveryPrefix"] {
            if let prefix = try section.string(key) {
                guard Topics.isValidPrefix(prefix) else {
                    throw section.problem(key, "must be topic levels of a-z, A-Z, 0-9, - and _ separated by /, with no wildcard")
                }
                if key == "topicPrefix" { settings.topicPrefix = prefix } else { settings.discoveryPrefix = prefix }
            }
        }
        settings.usernameFile = try section.string("usernameFile")
        settings.passwordFile = try section.string("passwordFile")
        if let tls = try section.object("tls") {
            try tls.only(["caFile", "certFile", "keyFile"])
            guard let ca = try tls.string("caFile") else { throw tls.problem("caFile", "is required with tls") }
            let files = TLSFiles(caFile: ca, certFile: try tls.string("certFile"), keyFile: try tls.string("keyFile"))
            guard (files.certFile == nil) == (files.keyFile == nil) else {
                throw tls.problem("certFile", "and keyFile go together")
            }
            settings.tls = files
        }
        settings.cookingPeriodSeconds = try section.seconds("cookingPeriodSeconds", in: 0.2...60) ?? settings.cookingPeriodSeconds
        settings.idlePeriodSeconds = try section.seconds("idlePeriodSeconds", in: 1...600) ?? settings.idlePeriodSeconds
        settings.maxBackoffSeconds = try section.seconds("maxBackoffSeconds", in: 1...600) ?? settings.maxBackoffSeconds
        return settings
    }

    static func parseRemote(_ section: ConfigReader) throws(BridgeConfigError) -> RemotePolicy {
        try section.only(["start", "next", "resume", "extend", "hold", "abort", "extendSeconds", "recipes"])
        var policy = RemotePolicy()
        // Stopping or pausing a cook from afar only makes it safer: it cannot be switched off.
        for key in ["hold", "abort"] {
            if let value = try section.bool(key), !value {
                throw section.problem(key, "is always allowed remotely (it only takes heat away); leave it out")
            }
        }
        policy.start = try section.bool("start") ?? policy.start
        policy.next = try section.bool("next") ?? policy.next
        policy.resume = try section.bool("resume") ?? policy.resume
        policy.extend = try section.bool("extend") ?? policy.extend
        policy.extendSeconds = try section.integer("extendSeconds", in: 1...1800) ?? policy.extendSeconds
        if let names = try section.stringArray("recipes", maxCount: RemotePolicy.maxRecipes) {
            for name in names where !RemotePolicy.isValidRecipeName(name) {
                throw section.problem("recipes", "\"\(String(name.prefix(64)))\" is not a recipe file name (a-z, 0-9 and -, up to 64)")
            }
            policy.recipes = names
        }
        return policy
    }

    static func parseNotify(_ section: ConfigReader) throws(BridgeConfigError) -> NotifyConfig {
        try section.only(["command", "shell", "timeoutSeconds", "maxRunning", "perMinute", "events"])
        let shell = try section.bool("shell") ?? false
        var command: [String]
        if shell {
            guard let line = try section.string("command"), !line.isEmpty else {
                throw section.problem("command", "with shell, is one non-empty string for /bin/sh -c")
            }
            command = [line]
        } else {
            guard let words = try section.stringArray("command", maxCount: NotifyConfig.maxArguments), let first = words.first, !first.isEmpty else {
                throw section.problem("command", "is required: the program and its arguments, as a list (no shell)")
            }
            command = words
        }
        guard command.reduce(0, { $0 + $1.utf8.count }) <= NotifyConfig.maxCommandBytes else {
            throw section.problem("command", "is longer than \(NotifyConfig.maxCommandBytes) bytes")
        }
        var config = NotifyConfig(command: command, shell: shell)
        config.timeoutSeconds = try section.seconds("timeoutSeconds", in: NotifyConfig.timeoutRange) ?? config.timeoutSeconds
        config.maxRunning = try section.integer("maxRunning", in: NotifyConfig.maxRunningRange) ?? config.maxRunning
        config.perMinute = try section.integer("perMinute", in: NotifyConfig.perMinuteRange) ?? config.perMinute
        if let names = try section.stringArray("events", maxCount: NotificationKind.allCases.count) {
            var kinds = Set<NotificationKind>()
            for name in names {
                guard let kind = NotificationKind(rawValue: name) else {
                    let known = NotificationKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw section.problem("events", "\"\(String(name.prefix(40)))\" is not one of \(known)")
                }
                kinds.insert(kind)
            }
            config.kinds = kinds
        }
        return config
    }
}

/// Typed reads of one section, each failure naming the key; unknown keys are refused so a typo
/// is caught instead of silently keeping a default.
struct ConfigReader {
    let object: JSONObject
    let path: String
    let source: String

    init(_ value: JSONValue, path: String, source: String) throws(BridgeConfigError) {
        guard let object = value.objectValue else { throw BridgeConfigError(source, "\(path.isEmpty ? "the file" : path) must be an object") }
        self.object = object
        self.path = path
        self.source = source
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func problem(_ key: String, _ text: String) -> BridgeConfigError { BridgeConfigError(source, "\(name(key)) \(text)") }

    func only(_ keys: Set<String>) throws(BridgeConfigError) {
        for key in object.keys where !keys.contains(key) {
            throw BridgeConfigError(source, "unknown key \(name(String(key.prefix(64)))) (known: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(BridgeConfigError) -> String? {
        guard let value = present(key) else { return nil }
        guard let text = value.stringValue else { throw problem(key, "must be a string") }
        return text
    }

    func bool(_ key: String) throws(BridgeConfigError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let flag = value.boolValue else { throw problem(key, "must be true or false") }
        return flag
    }

    func number(_ key: String) throws(BridgeConfigError) -> Double? {
        guard let value = present(key) else { return nil }
        guard let number = value.numberValue else { throw problem(key, "must be a number") }
        return number
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(BridgeConfigError) -> Int? {
        guard let value = present(key) else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            throw problem(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func seconds(_ key: String, in range: ClosedRange<Double>) throws(BridgeConfigError) -> Double? {
        guard let number = try number(key) else { return nil }
        guard range.contains(number) else {
            throw problem(key, "must be from \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound)) seconds")
        }
        return number
    }

    func object(_ key: String) throws(BridgeConfigError) -> ConfigReader? {
        guard let value = present(key) else { return nil }
        return try ConfigReader(value, path: name(key), source: source)
    }

    func stringArray(_ key: String, maxCount: Int) throws(BridgeConfigError) -> [String]? {
        guard let value = present(key) else { return nil }
        guard let items = value.arrayValue else { throw problem(key, "must be a list of strings") }
        guard items.count <= maxCount else { throw problem(key, "may hold at most \(maxCount) entries") }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw problem(key, "must be a list of strings") }
            strings.append(text)
        }
        return strings
    }
}
