internal import CWokSystem
internal import Glibc

/// What a descriptor is waited for, and what it turned out to be ready for.
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let readable = PollEvents(rawValue: Int16(POLLIN))
    public static let writable = PollEvents(rawValue: Int16(POLLOUT))
    /// The peer hung up (readable until its last bytes are read).
    public static let hangUp = PollEvents(rawValue: Int16(POLLHUP))
    public static let error = PollEvents(rawValue: Int16(POLLERR))
    public static let invalid = PollEvents(rawValue: Int16(POLLNVAL))
}

/// One descriptor to wait on.
public struct PollInterest: Sendable, Equatable {
    public var descriptor: Int32
    public var events: PollEvents

    public init(_ descriptor: Int32, _ events: PollEvents) {
        self.descriptor = descriptor
        self.events = events
    }
}

/// Waits for any of `interests` or until `timeoutSeconds` pass (ppoll: nanoseconds, not poll's
/// milliseconds, which matters for a loop with a 2 ms jitter budget). Returns what each became
/// ready for, in the same order; empty on a timeout or a signal.
public func waitForDescriptors(_ interests: [PollInterest], timeoutSeconds: Double) throws(SystemError) -> [PollEvents] {
    var fds = interests.map { pollfd(fd: $0.descriptor, events: $0.events.rawValue, revents: 0) }
    let nanoseconds = Int64((min(max(0, timeoutSeconds), 3600) * 1e9).rounded(.up))
    let ready = wok_poll(&fds, nfds_t(fds.count), nanoseconds)
    if ready < 0 {
        if errno == EINTR { return [] }
        throw .last("ppoll")
    }
    if ready == 0 { return [] }
    return fds.map { PollEvents(rawValue: $0.revents) }
}
