internal import WokSystem
internal import WokWire

/// The bounds on what clients may cost the daemon. Each says why it has its value.
public struct ClientLimits: Sendable {
    /// Most connections at once. A full house never locks out `abort`: a newcomer evicts the
    /// connection idle longest instead of being refused.
    public var maxConnections = 128
    /// A client whose queued output passes this is dropped: a watcher on a slow link needs a
    /// second or two of pushes (a few KiB each), not more.
    public var maxQueuedBytesPerClient = 512 * 1024
    /// All clients' queued output together: the daemon's memory must not grow with their number.
    /// Over it, the client with the most queued is dropped.
    public var maxQueuedBytesTotal = 4 * 1024 * 1024
    /// Requests are not read from a client while this much of its output waits: a client that
    /// asks without reading is slowed to the pace it reads at, and costs at most this much.
    public var readPauseQueuedBytes = 64 * 1024
    /// A connection that sends nothing and takes nothing for this long (real seconds) is closed;
    /// a subscriber that takes what it is sent is never idle.
    public var idleTimeoutSeconds = 30.0
    /// Work per loop turn, so a busy socket cannot hold the loop past its deadline: requests
    /// answered per client and in all, and connections accepted.
    public var requestsPerClientPerTurn = 8
    public var requestsPerTurn = 64
    public var acceptsPerTurn = 16
    /// One read per client per turn, at most this many bytes.
    public var readChunkBytes = 16 * 1024
    /// After EMFILE, the listener rests this long (real seconds) instead of being polled in a spin.
    public var acceptPauseSeconds = 0.1

    public init() {}
}

/// Output queued for one client: whole lines as chunks, written in order, released as they go.
/// Appending never copies what is already queued (no compaction of one big buffer per send).
struct OutputQueue {
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var headOffset = 0
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        byteCount += bytes.count
        chunks.append(bytes)
    }

    /// Writes what `write` takes; returns false when the connection failed.
    mutating func drain(_ write: (UnsafeRawBufferPointer) -> ConnectionWrite) -> Bool {
        while head < chunks.count {
            let result = chunks[head].withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[headOffset...])) }
            switch result {
            case .wrote(let count):
                byteCount -= count
                headOffset += count
                if headOffset == chunks[head].count {
                    chunks[head] = []
                    head += 1
                    headOffset = 0
                }
                if count == 0 { return true }
            case .wouldBlock:
                compact()
                return true
            case .failed:
                return false
            }
        }
        chunks = []
        head = 0
        return true
    }

    private mutating func compact() {
        if head > 32 {
            chunks.removeFirst(head)
            head = 0
        }
    }
}

/// One client of the control socket: its framer, the lines it sent and not yet answered, and
/// its queued output.
struct ClientConnection {
    let id: ConnectionID
    let peer: Peer
    var framer = LineFramer(maxLineBytes: ControlProtocol.maxRequestBytes)
    /// Lines read but not answered yet (the per-turn budget ran out).
    var unanswered: [LineFramer.Frame] = []
    var output = OutputQueue()
    var isSubscribed = false
    /// The client finished sending; close once its answers are out.
    var inputEnded = false
    /// Set when the connection must end once what is queued has been sent.
    var closeAfterFlush = false
    /// Set when the connection must end now.
    var isBroken = false
    /// Real seconds of the last byte in or out.
    var lastProgressSeconds: Double
    let connectedSeconds: Double

    init(id: ConnectionID, peer: Peer, nowSeconds: Double) {
        self.id = id
        self.peer = peer
        lastProgressSeconds = nowSeconds
        connectedSeconds = nowSeconds
    }

    var hasPendingOutput: Bool { !output.isEmpty }
}
