/// Every topic of one station, in one place: `<prefix>/<station>/state`, `.../availability`,
/// `.../result`, `.../command/<verb>`, and the Home Assistant discovery topic.
public struct Topics: Sendable, Equatable {
    public let base: String
    public let discovery: String
    /// Home Assistant's birth and will messages.
    public let homeAssistantStatus: String

    public init(stationID: String, topicPrefix: String = "wok", discoveryPrefix: String = "homeassistant") {
        base = "\(topicPrefix)/\(stationID)"
        discovery = "\(discoveryPrefix)/device/\(stationID)/config"
        homeAssistantStatus = "\(discoveryPrefix)/status"
    }

    public var state: String { "\(base)/state" }
    public var availability: String { "\(base)/availability" }
    public var result: String { "\(base)/result" }
    /// The bridge that speaks for the station (retained; see `BridgeClaim`).
    public var bridgeClaim: String { "\(base)/bridge" }
    public var commandFilter: String { "\(base)/command/+" }

    public func command(_ verb: RemoteVerb) -> String { "\(base)/command/\(verb.rawValue)" }

    /// The verb a command topic names; nil for a topic not under this station's commands.
    public func verbName(ofCommandTopic topic: String) -> String? {
        let prefix = "\(base)/command/"
        guard topic.hasPrefix(prefix) else { return nil }
        return String(topic.dropFirst(prefix.count))
    }

    public static func isValidStationID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count) && id.utf8.allSatisfy { isLowercaseWordByte($0) }
    }

    /// Topic levels of plain characters: no wildcard, no empty level, nothing a broker treats specially.
    public static func isValidPrefix(_ prefix: String) -> Bool {
        guard (1...64).contains(prefix.utf8.count) else { return false }
        return prefix.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { level in
            !level.isEmpty && level.utf8.allSatisfy { isLowercaseWordByte($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        }
    }

    static func isLowercaseWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
