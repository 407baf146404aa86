internal import WokSystem

/// Tells systemd how the daemon is doing (sd_notify(7)): ready once the devices are open and the
/// burner is off, alive from each control tick, a status line a person can read, and stopping.
/// Outside systemd (no NOTIFY_SOCKET) every call does nothing.
public final class SystemdNotifier: Sendable {
    /// The watchdog's timeout, when the unit asks for one.
    public let watchdogSeconds: Double?
    private let socket: NotifySocket?

    public init() {
        watchdogSeconds = NotifySocket.watchdogSeconds()
        socket = NotifySocket()
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func status(_ line: String) { send("STATUS=\(line)") }
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }

    private func send(_ message: String) {
        // A lost notification is not worth failing over: systemd's own timeouts catch a daemon
        // that never gets through.
        socket?.send(message)
    }
}
