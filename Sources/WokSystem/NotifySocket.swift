internal import Glibc

/// systemd's notification socket (sd_notify(7)): one datagram per message to the address in
/// `$NOTIFY_SOCKET`. The protocol is a documented, stable interface that systemd invites services
/// to speak without libsystemd; speaking it here keeps libsystemd and the compression and crypto
/// libraries it loads out of the daemon's memory (docs/daemon.md, "Memory").
public final class NotifySocket: Sendable {
    public let address: String
    private let descriptor: Int32

    /// Opens a datagram socket for the address in `$NOTIFY_SOCKET`; nil when there is none (not
    /// run by systemd) or it is not a path or an abstract name.
    public init?(environment: (String) -> String? = environmentValue) {
        guard let address = environment("NOTIFY_SOCKET"), address.first == "/" || address.first == "@",
            address.utf8.count <= maxSocketPathBytes
        else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        self.address = address
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends one message without waiting (the control loop calls this every tick); false when the
    /// kernel refused it (systemd gone, its queue full).
    @discardableResult
    public func send(_ message: String) -> Bool {
        var bytes = Array(address.utf8)
        // An abstract address starts with a NUL in place of the '@' and has no terminator.
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
            if !isAbstract { raw[bytes.count] = 0 }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = socklen_t(pathOffset + bytes.count + (isAbstract ? 0 : 1))
        let payload = Array(message.utf8)
        let sent = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                payload.withUnsafeBytes { buffer in
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), address, length)
                }
            }
        }
        return sent == payload.count
    }

    /// The watchdog timeout systemd asks this process to honour (`$WATCHDOG_USEC`), nil when there
    /// is none, it is not a positive number, or `$WATCHDOG_PID` names another process (the variable
    /// was inherited from a parent that systemd watches).
    public static func watchdogSeconds(environment: (String) -> String? = environmentValue, processID: Int32? = nil) -> Double? {
        guard let text = environment("WATCHDOG_USEC"), let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let owner = environment("WATCHDOG_PID"), Int32(owner) != (processID ?? getpid()) { return nil }
        return Double(microseconds) / 1e6
    }
}

/// A variable of this process's environment.
public func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
