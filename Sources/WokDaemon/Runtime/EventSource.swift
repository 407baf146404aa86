public import WokSystem

/// A connection as its event source names it (a descriptor, for the POSIX source).
public typealias ConnectionID = Int32

/// What one `accept` found.
public enum AcceptOutcome: Sendable, Equatable {
    case connection(ConnectionID, PeerCredentials?)
    case noneWaiting
    /// Out of descriptors (or memory) for now: the connection stays queued in the kernel.
    case outOfDescriptors(String)
    case failed(String)
}

/// What a read from a connection gave.
public enum ConnectionRead: Sendable, Equatable {
    case bytes([UInt8])
    case wouldBlock
    case endOfInput
    case failed
}

/// What a write to a connection took.
public enum ConnectionWrite: Sendable, Equatable {
    case wrote(Int)
    case wouldBlock
    case failed
}

/// What became ready while the runner waited.
public struct Readiness: Sendable, Equatable {
    public var signal = false
    public var listener = false
    public var connections: [(id: ConnectionID, events: PollEvents)] = []

    public init() {}

    public static func == (lhs: Readiness, rhs: Readiness) -> Bool {
        lhs.signal == rhs.signal && lhs.listener == rhs.listener && lhs.connections.map(\.id) == rhs.connections.map(\.id)
            && lhs.connections.map(\.events) == rhs.connections.map(\.events)
    }
}

/// Everything the runner needs from the world: a clock, one wait for sockets, signals and the
/// deadline, and the socket calls. The POSIX source is ppoll on real descriptors; the embedded
/// one advances virtual time and carries scripted clients' bytes, so every behaviour of the
/// runner is tested without a wall clock.
public protocol DaemonEventSource: AnyObject {
    /// Seconds on the loop's clock.
    func nowSeconds() -> Double
    /// Waits until the signal source, the listener (when `listening`) or one of `connections`
    /// is ready for what is asked, or until `deadline` passes.
    func wait(listening: Bool, connections: [(id: ConnectionID, events: PollEvents)], until deadline: Double) -> Readiness
    func accept() -> AcceptOutcome
    func read(_ connection: ConnectionID, maxBytes: Int) -> ConnectionRead
    func write(_ connection: ConnectionID, _ bytes: UnsafeRawBufferPointer) -> ConnectionWrite
    func close(_ connection: ConnectionID)
    /// The next pending signal's number, if any.
    func nextSignal() -> Int32?
    /// Where clients connect, for the log.
    var address: String { get }
}
