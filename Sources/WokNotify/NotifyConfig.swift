/// What the station asks to be told, and how: the `notify` section of the bridge's config file.
public struct NotifyConfig: Sendable, Equatable {
    /// The program and its arguments, run with no shell (argv[0] is looked up in PATH when it has
    /// no slash). With `shell`, a single string given to `/bin/sh -c`.
    public var command: [String]
    public var shell: Bool
    /// A child still running after this long is killed (its whole process group).
    public var timeoutSeconds: Double
    /// Children running at once; a notification past this is dropped and logged.
    public var maxRunning: Int
    /// Notifications per minute for each class (urgent: faults and alarms; other: the rest), so a
    /// chatty cook never uses up what a fault needs.
    public var perMinute: Int
    /// Which kinds of notification to send.
    public var kinds: Set<NotificationKind>

    public init(
        command: [String], shell: Bool = false, timeoutSeconds: Double = 15, maxRunning: Int = 2, perMinute: Int = 6,
        kinds: Set<NotificationKind> = Set(NotificationKind.allCases)
    ) {
        self.command = command
        self.shell = shell
        self.timeoutSeconds = timeoutSeconds
        self.maxRunning = maxRunning
        self.perMinute = perMinute
        self.kinds = kinds
    }

    public static let timeoutRange = 1.0...300.0
    public static let maxRunningRange = 1...8
    public static let perMinuteRange = 1...60
    /// Bounds a command line: arguments and bytes.
    public static let maxArguments = 32
    public static let maxCommandBytes = 4096
}

/// Why a cook event is worth a person's attention away from the wok.
public enum NotificationKind: String, Sendable, CaseIterable, Hashable {
    /// The cook must act: add food, or judge it and confirm.
    case prompt
    /// A confirm window ran out (the heat dropped to the safe hold) or a target was not reached.
    case warning
    case fault
    case alarm
    /// The cook completed or was aborted.
    case cookEnded = "cook-ended"

    /// Faults and alarms have their own rate budget.
    public var isUrgent: Bool { self == .fault || self == .alarm }
}
