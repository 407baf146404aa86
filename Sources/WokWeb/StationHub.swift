internal import WokCore
internal import WokSystem
public import WokWire

/// What wokweb knows of the station, shared by the thread that follows wokd and the threads that
/// serve browsers, and the queue of each browser's event stream. Every queue is bounded: a browser
/// that stops reading is dropped (it reconnects and starts afresh), so no browser can hold up
/// the others or grow wokweb.
public final class StationHub: @unchecked Sendable {
    public let maxStreams: Int
    public let maxQueuedBytesPerStream: Int
    /// A quiet stream gets a comment this often, so a dead browser is noticed and proxies keep it.
    public let keepAliveSeconds: Double
    /// Samples kept for the chart of the cook so far: an hour at one a second.
    public static let maxSamples = 3600

    private struct Stream {
        var queued: [UInt8] = []
        var dropped = false
        var lastSentAt: Double
    }

    private let lock = ConditionLock()
    private var streams: [Int: Stream] = [:]
    private var nextStreamID = 1
    private var stopping = false
    private var eventNumber = 0
    private var state = StationView()

    public init(maxStreams: Int = 32, maxQueuedBytesPerStream: Int = 512 * 1024, keepAliveSeconds: Double = 15) {
        self.maxStreams = maxStreams
        self.maxQueuedBytesPerStream = maxQueuedBytesPerStream
        self.keepAliveSeconds = keepAliveSeconds
    }

    /// A copy of the station as last seen, for `/api/state` and `/metrics`.
    public var view: StationView { lock.withLock { state } }

    public var streamCount: Int { lock.withLock { streams.count } }

    // MARK: From wokd

    /// A fresh subscription: the snapshot and the recent samples; every stream gets the whole state.
    public func linkUp(_ subscription: Subscription) {
        lock.withLock {
            state.connected = true
            state.problem = nil
            state.snapshot = subscription.snapshot
            state.samples = Array(subscription.history.suffix(Self.maxSamples))
            state.noteBurner(subscription.snapshot.burnerOn)
            broadcastLocked("state", state.stateJSON)
        }
    }

    public func snapshot(_ snapshot: StationSnapshot) {
        lock.withLock {
            state.snapshot = snapshot
            state.noteBurner(snapshot.burnerOn)
            state.addSample(from: snapshot)
            broadcastLocked("snapshot", snapshot.json.serialized())
        }
    }

    public func event(_ event: WireEvent) {
        lock.withLock {
            state.count(event)
            if event.name == "cook-started" { state.samples = [] }
            broadcastLocked("event", event.json.serialized())
        }
    }

    /// wokd cannot be reached: the page shows why and keeps the last snapshot greyed out.
    public func linkDown(_ problem: String) {
        lock.withLock {
            let wasConnected = state.connected
            state.connected = false
            state.problem = problem
            if wasConnected { state.linkLosses += 1 }
            broadcastLocked("state", state.stateJSON)
        }
    }

    /// Ends every stream (wokweb is stopping).
    public func stop() {
        lock.withLock { stopping = true }
        lock.broadcast()
    }

    public var isStopping: Bool { lock.withLock { stopping } }

    // MARK: Browsers

    /// Opens a stream for a browser; nil when the bound is reached. Its first bytes are the retry
    /// delay and the whole state.
    public func openStream(now: Double) -> Int? {
        lock.withLock {
            guard !stopping, streams.count < maxStreams else { return nil }
            let id = nextStreamID
            nextStreamID += 1
            var stream = Stream(lastSentAt: now)
            stream.queued = Array((SSEFrame.retry(milliseconds: 2000) + SSEFrame.event("state", id: eventNumber, data: state.stateJSON)).utf8)
            streams[id] = stream
            return id
        }
    }

    public func closeStream(_ id: Int) {
        lock.withLock { _ = streams.removeValue(forKey: id) }
    }

    /// What a stream's reader gets.
    public enum StreamRead: Equatable {
        case bytes([UInt8])
        /// Nothing yet; ask again (the wait was bounded).
        case nothing
        /// The stream is over: wokweb stops, or the browser fell too far behind.
        case end
    }

    /// Takes up to `maxBytes` queued for stream `id`, waiting up to `waitSeconds` for some.
    public func read(_ id: Int, maxBytes: Int, waitSeconds: Double, now: () -> Double) -> StreamRead {
        lock.withLock {
            var waited = false
            while true {
                guard !stopping, let stream = streams[id], !stream.dropped else { return .end }
                if !stream.queued.isEmpty {
                    let count = min(maxBytes, stream.queued.count)
                    let bytes = Array(stream.queued[..<count])
                    streams[id]?.queued.removeFirst(count)
                    streams[id]?.lastSentAt = now()
                    return .bytes(bytes)
                }
                if now() - stream.lastSentAt >= keepAliveSeconds {
                    streams[id]?.lastSentAt = now()
                    return .bytes(Array(SSEFrame.keepAlive.utf8))
                }
                if waited { return .nothing }
                lock.wait(seconds: waitSeconds)
                waited = true
            }
        }
    }

    private func broadcastLocked(_ name: String, _ data: String) {
        eventNumber += 1
        let frame = Array(SSEFrame.event(name, id: eventNumber, data: data).utf8)
        for (id, stream) in streams where !stream.dropped {
            if stream.queued.count + frame.count > maxQueuedBytesPerStream {
                streams[id]?.dropped = true
                streams[id]?.queued = []
                state.droppedStreams += 1
            } else {
                streams[id]?.queued += frame
            }
        }
        lock.broadcast()
    }
}

/// The station as wokweb last saw it, and what it has counted since it started.
public struct StationView: Sendable {
    public var connected = false
    /// Why wokd cannot be reached, while it cannot.
    public var problem: String? = "not connected to wokd yet"
    public var snapshot: StationSnapshot?
    /// The cook so far, one sample a second of station time.
    public var samples: [TemperaturePoint] = []
    public var faultsByKind: [String: Int] = [:]
    public var eventsByName: [String: Int] = [:]
    /// Burner on/off changes seen in snapshots (wokd reports no relay count of its own).
    public var burnerSwitches = 0
    public var lastBurnerOn: Bool?
    public var linkLosses = 0
    public var droppedStreams = 0

    public init() {}

    mutating func noteBurner(_ on: Bool) {
        if let last = lastBurnerOn, last != on { burnerSwitches += 1 }
        lastBurnerOn = on
    }

    mutating func addSample(from snapshot: StationSnapshot) {
        guard snapshot.state != .idle else { return }
        if let last = samples.last, snapshot.timeSeconds < last.timeSeconds + 1 { return }
        samples.append(
            TemperaturePoint(
                timeSeconds: snapshot.timeSeconds, temperatureC: snapshot.shownReading?.celsius, targetC: snapshot.targetC,
                burnerOn: snapshot.burnerOn, trusted: snapshot.shownReading?.trusted ?? true))
        if samples.count > StationHub.maxSamples { samples.removeFirst(samples.count - StationHub.maxSamples) }
    }

    mutating func count(_ event: WireEvent) {
        eventsByName[event.name, default: 0] += 1
        if event.name == "fault" { faultsByKind[event.faultKind ?? "unknown", default: 0] += 1 }
    }

    /// The whole state for a browser that just connected: link, snapshot and the chart's samples.
    public var stateJSON: String {
        let members: [(String, JSONValue)] = [
            ("connected", .bool(connected)),
            ("problem", problem.map { .string($0) } ?? .null),
            ("snapshot", snapshot?.json ?? .null),
            ("samples", .array(samples.map(\.json))),
        ]
        return JSONValue.object(JSONObject(members)).serialized()
    }
}
