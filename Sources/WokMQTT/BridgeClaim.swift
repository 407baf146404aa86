internal import WokCore

/// Which bridge speaks for a station right now: the retained message on `<prefix>/<station>/bridge`.
/// Each bridge has its own instance id (and so its own MQTT client id), so two bridges with the same
/// station id no longer throw each other off the broker; they find each other through this topic.
public struct BridgeClaim: Sendable, Equatable {
    public var instance: String
    public var pid: Int
    public var startedUnixSeconds: Int

    public init(instance: String, pid: Int, startedUnixSeconds: Int) {
        self.instance = instance
        self.pid = pid
        self.startedUnixSeconds = startedUnixSeconds
    }

    /// `<station>-<8 hex digits>`: the topics keep the station id, the client id gets this.
    public static func instanceID(stationID: String, random: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var digits: [UInt8] = []
        for byte in random.prefix(4) { digits += [hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        return stationID + "-" + String(decoding: digits, as: UTF8.self)
    }

    public var payload: String {
        let value: JSONValue = ["instance": .string(instance), "pid": .number(Double(pid)), "started": .number(Double(startedUnixSeconds))]
        return value.serialized()
    }

    /// A claim as another bridge wrote it; nil for anything else (an empty message clears the topic).
    public init?(payload: [UInt8]) {
        guard !payload.isEmpty,
            let value = try? JSONParser.parse(utf8: payload, limits: JSONLimits(maxBytes: 512, maxDepth: 2, maxStringBytes: 128, maxMembers: 8))
                .objectValue,
            let instance = value["instance"]?.stringValue, !instance.isEmpty,
            let pid = value["pid"]?.numberValue, let started = value["started"]?.numberValue,
            pid.isFinite, started.isFinite, abs(pid) < 1e9, abs(started) < 1e12
        else { return nil }
        self.init(instance: String(instance.prefix(64)), pid: Int(pid), startedUnixSeconds: Int(started))
    }
}

/// What a bridge makes of the messages on its claim topic. A claim the broker kept from before we
/// subscribed (retained) may be a bridge that died, so it proves nothing; a claim that arrives live
/// is another bridge connected now. Then both warn, and each answers once (not retained) so the
/// other hears of it too, whichever came first.
public struct ClaimWatch: Sendable {
    public let own: BridgeClaim
    private var answered: Set<String> = []
    /// Whether the last claim seen on the topic was ours: then ours is the stored one, and a bridge
    /// stopping politely clears it.
    public private(set) var storedIsOwn = false

    public enum Reaction: Sendable, Equatable {
        case nothing
        /// Log `warning`; publish our claim again, not retained, when `answer`.
        case warn(BridgeClaim, answer: Bool)
    }

    public init(own: BridgeClaim) {
        self.own = own
    }

    public mutating func observe(payload: [UInt8], retained: Bool) -> Reaction {
        guard let claim = BridgeClaim(payload: payload) else {
            if payload.isEmpty { storedIsOwn = false }
            return .nothing
        }
        if claim.instance == own.instance {
            storedIsOwn = true
            return .nothing
        }
        if retained { return .nothing }
        storedIsOwn = false
        guard !answered.contains(claim.instance) else { return .nothing }
        if answered.count >= 16 { answered.removeAll() }
        answered.insert(claim.instance)
        return .warn(claim, answer: true)
    }

    /// The log line for a second bridge.
    public func warning(about other: BridgeClaim, stationID: String) -> String {
        let order = other.startedUnixSeconds > own.startedUnixSeconds ? "started after this one" : "started before this one"
        return "mqtt: WARNING: another wokmqtt for station \"\(stationID)\" is connected to the broker (instance \(other.instance), "
            + "pid \(other.pid), \(order)); this one is \(own.instance), pid \(own.pid). Both publish the same topics and "
            + "would pass every command to wokd twice: stop one, or give each station its own \"station\" id in mqtt.json"
    }
}
