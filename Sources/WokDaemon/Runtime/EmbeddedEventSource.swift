public import WokSystem

/// A deterministic world for the runner, in virtual time: scripted clients whose bytes the test
/// writes and reads, signals the test raises, and a clock that moves only when the runner waits
/// with nothing to do (to its deadline). The runner cannot tell it from the POSIX source.
public final class EmbeddedEventSource: DaemonEventSource {
    /// One scripted client: what it has sent and not yet been read, what the daemon wrote to it,
    /// and whether it reads at all.
    public final class Client {
        public let id: ConnectionID
        public let credentials: PeerCredentials?
        /// Bytes sent to the daemon and not yet read by it.
        fileprivate var toDaemon: [UInt8] = []
        fileprivate var hungUp = false
        /// Bytes the daemon wrote and the client has not taken.
        public fileprivate(set) var fromDaemon: [UInt8] = []
        /// Set when the daemon closed the connection.
        public fileprivate(set) var isClosedByDaemon = false
        /// Whether the client reads what it is sent; one that does not fills its socket buffer.
        public var isReading = true
        /// What the kernel would buffer for a client that does not read.
        public var socketBufferBytes = 208 * 1024
        private var framer = LineFramer(maxLineBytes: 1 << 22)

        fileprivate init(id: ConnectionID, credentials: PeerCredentials?) {
            self.id = id
            self.credentials = credentials
        }

        /// Sends bytes to the daemon.
        public func send(_ bytes: [UInt8]) { toDaemon += bytes }
        public func send(line: String) { send(Array((line + "\n").utf8)) }
        /// Shuts down the client's writing side: the daemon reads the end of input after the bytes.
        public func hangUp() { hungUp = true }

        /// Takes the complete lines the daemon sent so far.
        public func receivedLines() -> [String] {
            let bytes = fromDaemon
            fromDaemon = []
            return framer.append(bytes).compactMap { frame in
                if case .line(let text) = frame { return text }
                return nil
            }
        }

        fileprivate var canTakeBytes: Int { isReading ? Int.max : max(0, socketBufferBytes - fromDaemon.count) }
    }

    private var now: Double
    private var nextID: ConnectionID = 100
    private var waiting: [Client] = []
    private var open: [ConnectionID: Client] = [:]
    private var signals: [Int32] = []
    /// The most connections the "process" may hold open; more are refused as EMFILE.
    public var descriptorLimit = Int.max
    /// How many times the runner waited, and how many of those found nothing to do at once.
    public private(set) var waits = 0

    public init(startSeconds: Double = 1000) {
        now = startSeconds
    }

    public var address: String { "embedded" }

    /// Connects a new client (queued until the runner accepts it).
    @discardableResult
    public func connect(userID: UInt32 = 1000, groupID: UInt32 = 1000, processID: Int32 = 4242) -> Client {
        let client = Client(id: nextID, credentials: PeerCredentials(processID: processID, userID: userID, groupID: groupID))
        nextID += 1
        waiting.append(client)
        return client
    }

    public func raise(_ signal: Int32) { signals.append(signal) }

    /// Moves the clock forward by itself (time the runner spent computing, a stalled host).
    public func advance(bySeconds seconds: Double) { now += seconds }

    public var openConnections: Int { open.count }

    public func nowSeconds() -> Double { now }

    public func wait(listening: Bool, connections: [(id: ConnectionID, events: PollEvents)], until deadline: Double) -> Readiness {
        waits += 1
        var readiness = Readiness()
        readiness.signal = !signals.isEmpty
        readiness.listener = listening && !waiting.isEmpty
        for (id, events) in connections {
            guard let client = open[id] else {
                readiness.connections.append((id, .invalid))
                continue
            }
            var ready: PollEvents = []
            if events.contains(.readable), !client.toDaemon.isEmpty || client.hungUp {
                ready.insert(client.toDaemon.isEmpty ? .hangUp : .readable)
            }
            if events.contains(.writable), client.canTakeBytes > 0 { ready.insert(.writable) }
            if !ready.isEmpty { readiness.connections.append((id, ready)) }
        }
        if !readiness.signal && !readiness.listener && readiness.connections.isEmpty {
            now = max(now, deadline)
        }
        return readiness
    }

    public func accept() -> AcceptOutcome {
        guard !waiting.isEmpty else { return .noneWaiting }
        guard open.count < descriptorLimit else { return .outOfDescriptors("accept: Too many open files") }
        let client = waiting.removeFirst()
        open[client.id] = client
        return .connection(client.id, client.credentials)
    }

    public func read(_ connection: ConnectionID, maxBytes: Int) -> ConnectionRead {
        guard let client = open[connection] else { return .failed }
        if client.toDaemon.isEmpty { return client.hungUp ? .endOfInput : .wouldBlock }
        let count = min(maxBytes, client.toDaemon.count)
        let bytes = Array(client.toDaemon[..<count])
        client.toDaemon.removeFirst(count)
        return .bytes(bytes)
    }

    public func write(_ connection: ConnectionID, _ bytes: UnsafeRawBufferPointer) -> ConnectionWrite {
        guard let client = open[connection] else { return .failed }
        let count = min(bytes.count, client.canTakeBytes)
        if count == 0 { return .wouldBlock }
        client.fromDaemon += bytes[..<count]
        return .wrote(count)
    }

    public func close(_ connection: ConnectionID) {
        open[connection]?.isClosedByDaemon = true
        open[connection] = nil
    }

    public func nextSignal() -> Int32? { signals.isEmpty ? nil : signals.removeFirst() }
}
