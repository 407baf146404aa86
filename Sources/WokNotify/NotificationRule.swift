public import WokWire

/// One notification to send: what happened, in words, and where the station stood.
public struct Notification: Sendable, Equatable {
    public var kind: NotificationKind
    /// The daemon's event name (`prompt`, `confirmation-overdue`, ...).
    public var event: String
    public var message: String
    public var station: String
    public var recipe: String?
    public var stage: String?
    public var temperatureC: Double?

    public init(
        kind: NotificationKind, event: String, message: String, station: String, recipe: String?, stage: String?, temperatureC: Double?
    ) {
        self.kind = kind
        self.event = event
        self.message = message
        self.station = station
        self.recipe = recipe
        self.stage = stage
        self.temperatureC = temperatureC
    }

    /// The child's environment additions; a value too long is cut (an environment has limits,
    /// and a message is meant for a phone's screen).
    public var environment: [(String, String)] {
        [
            ("WOK_EVENT", kind.rawValue),
            ("WOK_EVENT_NAME", event),
            ("WOK_MESSAGE", Self.bounded(message)),
            ("WOK_STATION", Self.bounded(station)),
            ("WOK_RECIPE", Self.bounded(recipe ?? "")),
            ("WOK_STAGE", Self.bounded(stage ?? "")),
            ("WOK_TEMPERATURE_C", temperatureC.map { String((($0 * 10).rounded()) / 10) } ?? ""),
        ]
    }

    static let maxValueBytes = 1024

    static func bounded(_ text: String) -> String {
        guard text.utf8.count > maxValueBytes else { return text }
        var cut = ""
        for character in text {
            if cut.utf8.count + character.utf8.count > maxValueBytes - 3 { break }
            cut.append(character)
        }
        return cut + "..."
    }
}

/// Which daemon events become notifications, and of what kind.
public enum NotificationRule {
    public static func kind(ofEvent name: String) -> NotificationKind? {
        switch name {
        case "prompt", "awaiting-confirmation": .prompt
        case "confirmation-overdue", "target-not-reached": .warning
        case "fault", "valve-closed": .fault
        case "alarm": .alarm
        case "cook-completed", "cook-aborted": .cookEnded
        default: nil
        }
    }

    /// The notification for `event` with the station as `snapshot` last showed it; nil when the
    /// event is not one people are told about away from the wok.
    public static func notification(for event: WireEvent, station snapshot: StationSnapshot?) -> Notification? {
        guard let kind = kind(ofEvent: event.name) else { return nil }
        let trusted = snapshot?.shownReading.flatMap { $0.trusted ? $0.celsius : nil }
        return Notification(
            kind: kind, event: event.name, message: event.prompt ?? event.message, station: snapshot?.station ?? "",
            recipe: snapshot?.recipe, stage: snapshot?.stage?.name, temperatureC: trusted)
    }
}
