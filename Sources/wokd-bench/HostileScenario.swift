import WokCore

/// The hostile benchmark's scenarios: each one a way a client, or the disk, can lean on the daemon.
enum HostileScenario: String, CaseIterable {
    /// No hostile load at all: what the well-behaved client's aborts and restarts cost by themselves.
    case baseline
    case flood
    case idle
    case watchers
    case diskStall = "disk-stall"

    /// Connections the idle scenario opens and holds.
    static let idleConnections = 1000
    /// Subscribers the watchers scenario makes, each of which never reads.
    static let watcherCount = 100
    /// How long one stalled fsync sleeps in the disk-stall scenario: a slow SD card's erase, with margin.
    static let stallSeconds = 5.0

    /// One line on what it does, printed above its figures.
    func summary(stallEverySeconds: Double) -> String {
        switch self {
        case .baseline: "no hostile load, only the well-behaved client (for comparison)"
        case .flood: #"one client sends {"v":1,"method":"status"} lines as fast as it can and never reads the answers"#
        case .idle: "\(Self.idleConnections) connections opened and held idle"
        case .watchers: "\(Self.watcherCount) clients subscribe and never read"
        case .diskStall:
            "every \(formatNumber(stallEverySeconds)) s one fsync or fdatasync of the daemon sleeps \(formatNumber(Self.stallSeconds)) s"
                + " (LD_PRELOAD shim, \(SlowFsyncShim.source))"
        }
    }

    /// Whether a separate client process makes the load (the disk stall comes from inside the daemon).
    var hasClientLoad: Bool {
        switch self {
        case .flood, .idle, .watchers: true
        case .baseline, .diskStall: false
        }
    }
}
