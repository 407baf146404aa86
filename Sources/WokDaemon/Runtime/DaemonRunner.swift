internal import Glibc
internal import WokCore
internal import WokSystem
internal import WokWire

/// What the runner needs beyond the core.
public struct DaemonRunnerOptions: Sendable {
    /// The group that may steer the station through the socket; nil keeps the daemon's own.
    public var socketGroupID: UInt32?
    /// The user that owns the station (root may always steer too).
    public var ownerUserID: UInt32
    /// Station seconds per real second.
    public var speed: Double
    /// Whether station time advances one control period per tick (a simulation) rather than with
    /// the clock (real devices). A simulated station at 60x must not read an 18 ms hiccup of the
    /// host as a one-second stall of its loop; under load it runs a little slower instead.
    public var stationTimeFollowsTicks = false
    public var limits = ClientLimits()

    /// `ownerUserID` nil: the daemon's own user.
    public init(socketGroupID: UInt32?, speed: Double, ownerUserID: UInt32? = nil) {
        self.socketGroupID = socketGroupID
        self.speed = speed
        self.ownerUserID = ownerUserID ?? geteuid()
    }
}

/// The daemon's one thread: control ticks on absolute deadlines, and between them the socket, the
/// clients and the signals, all through one wait of its event source. One owner of all state, so
/// no locks; nothing here blocks except that wait. Clients get a bounded share of each turn and
/// bounded memory; the tick always comes first.
public final class DaemonRunner<Source: DaemonEventSource> {
    private let core: DaemonCore
    private let options: DaemonRunnerOptions
    private let log: any LogSink
    private let source: Source
    private let notifier: SystemdNotifier
    private var clients: [ConnectionID: ClientConnection] = [:]
    public private(set) var statistics = LoopStatistics()
    private var lastStatusLine = ""
    private var rotation = 0
    private var lastWatchdogSeconds = -Double.infinity
    private var lastSnapshotSeconds = -Double.infinity
    private var lastIdleSweepSeconds = -Double.infinity
    private var acceptPausedUntilSeconds = -Double.infinity
    private var limitedLog: RateLimitedLog
    private let periodSeconds: Double
    private var origin: Double?
    private var deadline = 0.0
    private var tickedStationSeconds = 0.0
    /// Bytes queued for all clients together.
    private var queuedBytes = 0
    /// Watchers get a snapshot at most this often (real time), and at once with any event.
    private static var snapshotIntervalSeconds: Double { 0.1 }

    public init(core: DaemonCore, options: DaemonRunnerOptions, log: any LogSink, source: Source, notifier: SystemdNotifier = SystemdNotifier()) {
        self.core = core
        self.options = options
        self.log = log
        self.source = source
        self.notifier = notifier
        limitedLog = RateLimitedLog(log: log, clock: { [unowned source] in source.nowSeconds() })
        periodSeconds = core.station.control.periodSeconds / options.speed
    }

    /// Serves until a signal asks it to stop; returns the exit status.
    public func run() -> Int32 {
        while true {
            if let status = turn(until: .infinity) { return status }
        }
    }

    /// Serves until the source's clock reaches `seconds`; the exit status if it stopped first.
    public func run(untilSeconds seconds: Double) -> Int32? {
        while source.nowSeconds() < seconds {
            if let status = turn(until: seconds) { return status }
        }
        return nil
    }

    /// Connections open now.
    public var connectionCount: Int { clients.count }
    /// Bytes queued for all clients now.
    public var queuedOutputBytes: Int { queuedBytes }

    // MARK: One turn

    private func turn(until limitSeconds: Double) -> Int32? {
        var now = source.nowSeconds()
        if origin == nil { start(now: now) }
        if now >= deadline {
            tick(now: now)
            now = source.nowSeconds()
        }
        if now - lastIdleSweepSeconds >= 1 {
            closeIdleClients(now: now)
            lastIdleSweepSeconds = now
        }
        let listening = now >= acceptPausedUntilSeconds
        var wakeAt = min(deadline, limitSeconds)
        if !listening { wakeAt = min(wakeAt, acceptPausedUntilSeconds) }
        let interests = clients.values.map { client in (id: client.id, events: interest(of: client)) }
        let readiness = source.wait(listening: listening, connections: interests, until: wakeAt)
        if readiness.signal, let status = takeSignals() { return status }
        if readiness.listener { acceptClients() }
        serve(readiness.connections)
        return nil
    }

    private func interest(of client: ClientConnection) -> PollEvents {
        var events: PollEvents = []
        if wantsInput(client) { events.insert(.readable) }
        if client.hasPendingOutput { events.insert(.writable) }
        return events
    }

    /// Back-pressure: a client whose answers pile up, or whose lines wait for the next turn, is
    /// not read from until it catches up.
    private func wantsInput(_ client: ClientConnection) -> Bool {
        !client.inputEnded && !client.closeAfterFlush && client.unanswered.isEmpty
            && client.output.byteCount < options.limits.readPauseQueuedBytes
    }

    private func start(now: Double) {
        origin = now
        deadline = now
        notifier.ready(status: core.statusLine)
        log.write(
            .notice,
            "ready: \(core.devicesSummary), socket \(source.address), tick every \(formatNumber(core.station.control.periodSeconds)) s of station time at \(formatNumber(options.speed))x"
        )
    }

    private func tick(now: Double) {
        let origin = origin ?? now
        // On real devices station time comes from the clock, not the deadline, so a late tick
        // shows its gap to the safety monitor.
        let stationSeconds = options.stationTimeFollowsTicks ? tickedStationSeconds : (now - origin) * options.speed
        // The wall clock first: a record's age must not be judged across a step it has not seen.
        core.watchWallClock(monotonicSeconds: now)
        core.tick(nowSeconds: stationSeconds)
        tickedStationSeconds += core.station.control.periodSeconds
        cachedSnapshot = nil
        let late = now - deadline
        let missed = Int(late / periodSeconds)
        statistics.record(latenessSeconds: late, missed: missed)
        deadline += periodSeconds * Double(missed + 1)
        afterTick(realSeconds: now)
        core.flushJournal(realSeconds: now)  // History: hands buffered samples to its writer.
    }

    // MARK: After each tick

    private func afterTick(realSeconds now: Double) {
        if let watchdog = notifier.watchdogSeconds, now - lastWatchdogSeconds >= watchdog / 4 {
            // From the loop itself: a loop that stops ticking stops feeding the watchdog.
            notifier.watchdog()
            lastWatchdogSeconds = now
        }
        let status = core.statusLine
        if status != lastStatusLine {
            notifier.status(status)
            lastStatusLine = status
        }
        let events = core.drainEvents()
        guard clients.values.contains(where: \.isSubscribed) else { return }
        var lines = events.map { ControlReply.push("event", $0.json) }
        if !events.isEmpty || now - lastSnapshotSeconds >= Self.snapshotIntervalSeconds {
            lines.append(ControlReply.push("snapshot", raw: serializedSnapshot))
            lastSnapshotSeconds = now
        }
        pushToSubscribers(lines)
    }

    private func snapshotWithLoop() -> StationSnapshot {
        var snapshot = core.snapshot()
        snapshot.loop = loopFigures
        return snapshot
    }

    /// The loop's figures, worked out again at most once a second: sorting the recent ticks'
    /// lateness for every snapshot would cost more than the tick itself.
    private var loopFigures: StationSnapshot.LoopFigures {
        let now = source.nowSeconds()
        if let cached = cachedLoopFigures, now - cached.seconds < 1 { return cached.figures }
        let figures = statistics.figures
        cachedLoopFigures = (now, figures)
        return figures
    }

    private var cachedLoopFigures: (seconds: Double, figures: StationSnapshot.LoopFigures)?

    /// The snapshot as serialized JSON, made once per tick or change however many clients ask:
    /// fifty clients polling must cost the loop one snapshot, not fifty.
    private var cachedSnapshot: String?

    private var serializedSnapshot: String {
        if let cachedSnapshot { return cachedSnapshot }
        let fresh = snapshotWithLoop().json.serialized()
        cachedSnapshot = fresh
        return fresh
    }

    // MARK: Accepting

    private func acceptClients() {
        for _ in 0..<options.limits.acceptsPerTurn {
            switch source.accept() {
            case .noneWaiting:
                return
            case .failed(let reason):
                limitedLog.write(.error, key: "accept", reason)
                return
            case .outOfDescriptors(let reason):
                // Rest the listener rather than spin on it, and free a descriptor for the next try.
                acceptPausedUntilSeconds = source.nowSeconds() + options.limits.acceptPauseSeconds
                limitedLog.write(.warning, key: "emfile", "\(reason): not accepting for \(formatNumber(options.limits.acceptPauseSeconds)) s")
                evictIdlest(reason: "out of descriptors")
                return
            case .connection(let id, let credentials):
                if clients.count >= options.limits.maxConnections { evictIdlest(reason: "connection limit \(options.limits.maxConnections) reached") }
                clients[id] = ClientConnection(id: id, peer: peer(credentials), nowSeconds: source.nowSeconds())
            }
        }
    }

    /// Closes the connection idle longest, to make room: plain connections before subscribers.
    private func evictIdlest(reason: String) {
        let candidates = clients.values.filter { !$0.isSubscribed }
        let pool = candidates.isEmpty ? Array(clients.values) : candidates
        guard let victim = pool.min(by: { $0.lastProgressSeconds < $1.lastProgressSeconds }) else { return }
        limitedLog.write(.warning, key: "evict", "closed the connection of \(victim.peer) (idle longest): \(reason)")
        drop(victim.id)
    }

    private func peer(_ credentials: PeerCredentials?) -> Peer {
        guard let credentials else { return Peer(description: "an unidentified peer", mayChange: false) }
        var mayChange = credentials.userID == 0 || credentials.userID == options.ownerUserID
        if !mayChange, let group = options.socketGroupID {
            mayChange = credentials.groupID == group || credentials.supplementaryGroupIDs.contains(group)
        }
        return Peer(description: credentials.description, mayChange: mayChange)
    }

    // MARK: Serving

    private func serve(_ ready: [(id: ConnectionID, events: PollEvents)]) {
        guard !ready.isEmpty else { return }
        var budget = options.limits.requestsPerTurn
        rotation &+= 1
        // Clients not served this turn are still ready at the next wait; the rotation keeps the
        // same ones from always being last.
        for offset in ready.indices {
            if source.nowSeconds() >= deadline { break }  // The tick comes first.
            let (id, events) = ready[(offset + rotation) % ready.count]
            guard var client = clients[id] else { continue }
            if events.contains(.error) || events.contains(.invalid) { client.isBroken = true }
            if !client.isBroken, (events.contains(.readable) || events.contains(.hangUp)) && wantsInput(client) {
                read(&client)
            }
            clients[id] = client
            budget -= answer(id, budget: budget)
            flush(id)
        }
        // Lines left unanswered by an earlier turn's budget, whether or not their client is ready.
        for id in clients.keys where !(clients[id]?.unanswered.isEmpty ?? true) && budget > 0 {
            if source.nowSeconds() >= deadline { break }
            budget -= answer(id, budget: budget)
            flush(id)
        }
    }

    private func read(_ client: inout ClientConnection) {
        switch source.read(client.id, maxBytes: options.limits.readChunkBytes) {
        case .bytes(let bytes):
            client.lastProgressSeconds = source.nowSeconds()
            client.unanswered += client.framer.append(bytes)
        case .endOfInput:
            // A last line without a newline is still a request.
            if let last = client.framer.finish() { client.unanswered.append(last) }
            client.inputEnded = true
            if !client.isSubscribed { client.closeAfterFlush = true }
        case .wouldBlock:
            break
        case .failed:
            client.isBroken = true
        }
    }

    /// Answers up to the client's and the turn's share of its waiting lines; returns how many.
    private func answer(_ id: ConnectionID, budget: Int) -> Int {
        var answered = 0
        while answered < min(budget, options.limits.requestsPerClientPerTurn) {
            guard var client = clients[id], !client.isBroken, !client.unanswered.isEmpty else { break }
            let frame = client.unanswered.removeFirst()
            clients[id] = client
            answered += 1
            switch frame {
            case .line(let text):
                if text.isEmpty { continue }
                respond(to: text, from: id)
            case .invalidText:
                log.write(.info, "\(client.peer) sent a line that is not UTF-8")
                send(ControlReply.error(id: .null, .invalidText), to: id)
            case .tooLong:
                log.write(.info, "\(client.peer) sent a line over \(ControlProtocol.maxRequestBytes) bytes; closing")
                send(ControlReply.error(id: .null, .tooLarge), to: id)
                clients[id]?.unanswered = []
                clients[id]?.closeAfterFlush = true
            }
        }
        return answered
    }

    private func respond(to line: String, from id: ConnectionID) {
        guard let peer = clients[id]?.peer else { return }
        let request: ControlRequest
        switch ControlRequest.decode(line) {
        case .failure(let failure):
            log.write(.info, "\(peer) sent a bad request: \(failure.error.message)")
            send(ControlReply.error(id: failure.id, failure.error), to: id)
            return
        case .success(let decoded):
            request = decoded
        }
        switch core.handle(request, from: peer) {
        case .failure(let error):
            send(ControlReply.error(id: request.id, error), to: id)
        case .success(let result):
            switch request.method {
            case .status:
                send(ControlReply.result(id: request.id, raw: serializedSnapshot), to: id)
            case .subscribe:
                let subscription = Subscription(snapshot: snapshotWithLoop(), history: core.history.points)
                send(ControlReply.result(id: request.id, subscription.json), to: id)
                clients[id]?.isSubscribed = true
            default:
                cachedSnapshot = nil
                var snapshot = result
                snapshot.loop = loopFigures
                send(ControlReply.result(id: request.id, snapshot.json), to: id)
                // Watchers hear of a change (an abort, a start) at once, not at the next tick.
                afterChange()
            }
        }
    }

    private func afterChange() {
        let events = core.drainEvents()
        var lines = events.map { ControlReply.push("event", $0.json) }
        lines.append(ControlReply.push("snapshot", raw: serializedSnapshot))
        pushToSubscribers(lines)
    }

    private func pushToSubscribers(_ lines: [String]) {
        for id in clients.keys where clients[id]?.isSubscribed == true {
            for line in lines where clients[id] != nil { send(line, to: id) }
            flush(id)
        }
    }

    /// Queues a line for a client, within the bounds: over its own bound the client is dropped;
    /// over the bound for all clients, whoever has the most queued is.
    private func send(_ line: String, to id: ConnectionID) {
        guard var client = clients[id], !client.isBroken else { return }
        let before = client.output.byteCount
        client.output.append(line: line)
        queuedBytes += client.output.byteCount - before
        clients[id] = client
        if client.output.byteCount > options.limits.maxQueuedBytesPerClient {
            limitedLog.write(
                .warning, key: "slow",
                "dropping \(client.peer): it stopped reading (over \(options.limits.maxQueuedBytesPerClient) bytes queued)")
            drop(id)
            return
        }
        while queuedBytes > options.limits.maxQueuedBytesTotal {
            guard let largest = clients.values.max(by: { $0.output.byteCount < $1.output.byteCount }) else { break }
            limitedLog.write(
                .warning, key: "total",
                "dropping \(largest.peer): clients together have over \(options.limits.maxQueuedBytesTotal) bytes queued and it has the most")
            drop(largest.id)
        }
    }

    /// Writes what the client takes now, and lets it go when it is done or broken.
    private func flush(_ id: ConnectionID) {
        guard var client = clients[id] else { return }
        if !client.isBroken, client.hasPendingOutput {
            let before = client.output.byteCount
            if !client.output.drain({ source.write(id, $0) }) { client.isBroken = true }
            if client.output.byteCount < before { client.lastProgressSeconds = source.nowSeconds() }
            queuedBytes -= before - client.output.byteCount
        }
        clients[id] = client
        if client.isBroken || (client.closeAfterFlush && !client.hasPendingOutput && client.unanswered.isEmpty) {
            drop(id)
        }
    }

    private func drop(_ id: ConnectionID) {
        guard let client = clients.removeValue(forKey: id) else { return }
        queuedBytes -= client.output.byteCount
        source.close(id)
        if clients.isEmpty || client.output.byteCount > 64 * 1024 {
            // Give freed buffers back to the system, so memory falls when a crowd leaves.
            releaseFreeMemory()
        }
    }

    private func closeIdleClients(now: Double) {
        for client in clients.values where now - client.lastProgressSeconds > options.limits.idleTimeoutSeconds {
            // A subscriber with nothing to send is waiting for news, not idle.
            if client.isSubscribed && !client.hasPendingOutput { continue }
            limitedLog.write(
                .info, key: "idle", "closed the connection of \(client.peer): idle for \(formatNumber(options.limits.idleTimeoutSeconds)) s")
            drop(client.id)
        }
    }

    // MARK: Signals and stopping

    private func takeSignals() -> Int32? {
        while let number = source.nextSignal() {
            let name = SignalReceiver.name(of: number)
            switch SignalReceiver.action(for: number) {
            case .stop:
                return stop(reason: name)
            case .logOnly:
                log.write(.notice, "\(name): wokd does not reload its station file; restart it to apply changes")
            case .ignore:
                limitedLog.write(.notice, key: "signal", "\(name) received and ignored (it asks nothing of wokd; SIGTERM stops it)")
            }
        }
        return nil
    }

    private func stop(reason: String) -> Int32 {
        notifier.stopping(status: "Stopping (\(reason)); burner off")
        let off = core.shutdown(reason: reason)
        for id in Array(clients.keys) { drop(id) }
        return off ? 0 : 1
    }
}

/// At most one line per key every few seconds, with a count of those held back: a crowd of
/// hostile clients must not fill the journal (or spend the loop writing to it).
struct RateLimitedLog {
    let log: any LogSink
    let clock: () -> Double
    let intervalSeconds = 5.0
    private var last: [String: (seconds: Double, suppressed: Int)] = [:]

    init(log: any LogSink, clock: @escaping () -> Double) {
        self.log = log
        self.clock = clock
    }

    mutating func write(_ priority: LogPriority, key: String, _ message: String) {
        let now = clock()
        if let previous = last[key], now - previous.seconds < intervalSeconds {
            last[key] = (previous.seconds, previous.suppressed + 1)
            return
        }
        let held = last[key]?.suppressed ?? 0
        log.write(priority, held > 0 ? "\(message) (and \(held) more like it)" : message)
        last[key] = (now, 0)
    }
}
