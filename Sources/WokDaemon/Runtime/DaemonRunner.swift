internal import CWokSystem
internal import Glibc
internal import WokCore

/// What the runner needs beyond the core.
public struct DaemonRunnerOptions: Sendable {
    public var socketPath: String
    /// The group that may steer the station through the socket; nil keeps the daemon's group.
    public var socketGroupID: UInt32?
    /// Station seconds per real second.
    public var speed: Double
    /// Whether station time advances one control period per tick (a simulation) rather than with
    /// the clock (real devices). A simulated station at 60x must not read an 18 ms hiccup of the
    /// host as a one-second stall of its loop; under load it runs a little slower instead.
    public var stationTimeFollowsTicks = false
    /// Most clients at once; more are told so and disconnected.
    public var maxClients: Int = 128

    public init(socketPath: String, socketGroupID: UInt32?, speed: Double) {
        self.socketPath = socketPath
        self.socketGroupID = socketGroupID
        self.speed = speed
    }
}

/// Why the daemon could not start serving.
public enum DaemonStartError: Error, Sendable, CustomStringConvertible {
    case socket(SocketSetupError)
    case signals(SystemError)

    public var description: String {
        switch self {
        case .socket(let error): "control socket: \(error)"
        case .signals(let error): "signal handling: \(error)"
        }
    }
}

/// The daemon's one thread: control ticks on absolute deadlines of the monotonic clock, and
/// between them the socket, the clients and the signals, all through one `ppoll`. One owner of
/// all state, so no locks; nothing here blocks except `ppoll` itself.
public final class DaemonRunner {
    private let core: DaemonCore
    private let options: DaemonRunnerOptions
    private let log: any LogSink
    private let clock: any LoopClock
    private let notifier: SystemdNotifier
    private let listener: UnixListener
    private let signals: Int32
    private var clients: [Int32: ClientConnection] = [:]
    public private(set) var statistics = LoopStatistics()
    private var lastStatusLine = ""
    private var turn = 0
    private var lastWatchdogSeconds = -Double.infinity
    private var lastSnapshotSeconds = -Double.infinity
    /// Watchers get a snapshot at most this often (real time), and at once with any event.
    private static let snapshotIntervalSeconds = 0.1

    public init(
        core: DaemonCore, options: DaemonRunnerOptions, log: any LogSink, clock: any LoopClock = SystemLoopClock(),
        notifier: SystemdNotifier = SystemdNotifier()
    ) throws(DaemonStartError) {
        self.core = core
        self.options = options
        self.log = log
        self.clock = clock
        self.notifier = notifier
        let descriptor = wok_signal_descriptor()
        guard descriptor >= 0 else { throw .signals(.last("signalfd")) }
        signals = descriptor
        do {
            listener = try UnixListener(path: options.socketPath, groupID: options.socketGroupID)
        } catch {
            Glibc.close(descriptor)
            throw .socket(error)
        }
    }

    deinit {
        for client in clients.values { client.close() }
        Glibc.close(signals)
    }

    /// Serves until a signal asks it to stop; returns the exit status.
    public func run() -> Int32 {
        let periodSeconds = core.station.control.periodSeconds / options.speed
        let origin = clock.nowSeconds()
        var deadline = origin
        var tickedStationSeconds = 0.0
        notifier.ready(status: core.statusLine)
        log.write(.notice, "ready: \(core.devicesSummary), socket \(options.socketPath), tick every \(formatNumber(core.station.control.periodSeconds)) s of station time at \(formatNumber(options.speed))x")
        while true {
            var now = clock.nowSeconds()
            if now >= deadline {
                // On real devices station time comes from the clock, not the deadline, so a late
                // tick shows its gap to the safety monitor.
                let stationSeconds = options.stationTimeFollowsTicks ? tickedStationSeconds : (now - origin) * options.speed
                core.tick(nowSeconds: stationSeconds)
                tickedStationSeconds += core.station.control.periodSeconds
                cachedSnapshot = nil
                let late = now - deadline
                let missed = Int(late / periodSeconds)
                statistics.record(latenessSeconds: late, missed: missed)
                deadline += periodSeconds * Double(missed + 1)
                afterTick(realSeconds: now)
                core.flushJournal(realSeconds: now)  // History: samples committed at least every second.
                now = clock.nowSeconds()
            }
            var fds = pollDescriptors()
            let ready = wok_poll(&fds, nfds_t(fds.count), Int64((max(0, deadline - now) * 1e9).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                log.write(.error, "ppoll: \(SystemError.last("ppoll"))")
                continue
            }
            if fds[0].revents != 0, let reason = takeSignal() {
                return stop(reason: reason)
            }
            if fds[1].revents & Int16(POLLIN) != 0 { acceptClients() }
            // The tick comes first: clients not served yet are still ready at the next ppoll, and
            // the turn rotates so the same ones are not always last.
            let waiting = Array(fds.dropFirst(2).filter { $0.revents != 0 })
            turn &+= 1
            for offset in waiting.indices {
                if clock.nowSeconds() >= deadline { break }
                let pollfd = waiting[(offset + turn) % waiting.count]
                serve(pollfd.fd, events: pollfd.revents)
            }
        }
    }

    private func pollDescriptors() -> [pollfd] {
        var fds = [
            pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
            pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0),
        ]
        for client in clients.values {
            var events = Int16(POLLIN)
            if client.hasPendingOutput { events |= Int16(POLLOUT) }
            fds.append(pollfd(fd: client.descriptor, events: events, revents: 0))
        }
        return fds
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
        let subscribers = clients.values.filter(\.isSubscribed).map(\.descriptor)
        guard !subscribers.isEmpty else { return }
        var lines = events.map { ControlReply.push("event", $0) }
        if !events.isEmpty || now - lastSnapshotSeconds >= Self.snapshotIntervalSeconds {
            lines.append(ControlReply.push("snapshot", raw: serializedSnapshot))
            lastSnapshotSeconds = now
        }
        for descriptor in subscribers { deliver(lines, to: descriptor) }
    }

    private func snapshotWithLoop() -> JSONObject {
        var snapshot = core.snapshot()
        snapshot.members.append(("loop", statistics.json))
        return snapshot
    }

    /// The snapshot as serialized JSON, made once per tick or change however many clients ask:
    /// fifty clients polling must cost the loop one snapshot, not fifty.
    private var cachedSnapshot: String?

    private var serializedSnapshot: String {
        if let cachedSnapshot { return cachedSnapshot }
        let fresh = JSONValue.object(snapshotWithLoop()).serialized()
        cachedSnapshot = fresh
        return fresh
    }

    // MARK: Clients

    private func acceptClients() {
        while true {
            let descriptor: Int32?
            do {
                descriptor = try listener.accept()
            } catch {
                log.write(.error, "\(error)")
                return
            }
            guard let descriptor else { return }
            var client = ClientConnection(descriptor: descriptor, peer: peer(of: descriptor))
            if clients.count >= options.maxClients {
                client.send(ControlReply.error(id: .null, ControlError(.failed, "too many clients (limit \(options.maxClients))")))
                client.flush()
                client.close()
                log.write(.warning, "refused a connection from \(client.peer): too many clients")
                continue
            }
            clients[descriptor] = client
        }
    }

    private func peer(of descriptor: Int32) -> Peer {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
        guard wok_peer_credentials(descriptor, &pid, &uid, &gid) == 0 else {
            return Peer(description: "an unidentified peer", mayChange: false)
        }
        let credentials = PeerCredentials(processID: pid, userID: uid, groupID: gid)
        var mayChange = uid == 0 || uid == geteuid()
        if !mayChange, let group = options.socketGroupID {
            mayChange = gid == group || credentials.supplementaryGroupIDs.contains(group)
        }
        return Peer(description: credentials.description, mayChange: mayChange)
    }

    private func serve(_ descriptor: Int32, events: Int16) {
        guard var client = clients[descriptor] else { return }
        var received: [ReceivedLine] = []
        if events & Int16(POLLIN) != 0 || events & Int16(POLLHUP) != 0 { received = client.receive() }
        if events & Int16(POLLERR) != 0 { client.isBroken = true }
        clients[descriptor] = client
        // Lines that arrived before a hang-up are still answered: a client may send and shut down.
        for item in received {
            guard clients[descriptor]?.isBroken == false else { break }
            if case .line(let line) = item {
                respond(to: line, from: descriptor)
                continue
            }
            clients[descriptor]?.send(ControlReply.error(
                id: .null, ControlError(.requestTooLarge, "a request line may be at most \(ControlProtocol.maxRequestBytes) bytes")))
            clients[descriptor]?.closeAfterFlush = true
            break
        }
        guard var current = clients[descriptor] else { return }
        current.flush()
        finish(current)
    }

    private func respond(to line: String, from descriptor: Int32) {
        guard let peer = clients[descriptor]?.peer else { return }
        switch ControlRequest.decode(line) {
        case .failure(let failure):
            log.write(.info, "\(peer) sent a bad request: \(failure.error.message)")
            clients[descriptor]?.send(ControlReply.error(id: failure.id, failure.error))
        case .success(let request):
            switch core.handle(request, from: peer) {
            case .failure(let error):
                clients[descriptor]?.send(ControlReply.error(id: request.id, error))
            case .success(let result):
                switch request.method {
                case .status:
                    clients[descriptor]?.send(ControlReply.result(id: request.id, raw: serializedSnapshot))
                case .subscribe:
                    var object = snapshotWithLoop()
                    object.members.append(("history", core.history.json))
                    clients[descriptor]?.send(ControlReply.result(id: request.id, .object(object)))
                    clients[descriptor]?.isSubscribed = true
                default:
                    cachedSnapshot = nil
                    clients[descriptor]?.send(ControlReply.result(id: request.id, result))
                    // Watchers hear of a change (an abort, a start) at once, not at the next tick.
                    afterChange()
                }
            }
        }
    }

    private func afterChange() {
        let events = core.drainEvents()
        var lines = events.map { ControlReply.push("event", $0) }
        lines.append(ControlReply.push("snapshot", raw: serializedSnapshot))
        for client in clients.values where client.isSubscribed { deliver(lines, to: client.descriptor) }
    }

    private func deliver(_ lines: [String], to descriptor: Int32) {
        guard var client = clients[descriptor] else { return }
        for line in lines where !client.send(line) {
            log.write(.warning, "dropping watcher \(client.peer): it stopped reading (over \(ClientConnection.maxPendingOutputBytes) bytes queued)")
            client.isBroken = true
            break
        }
        client.flush()
        finish(client)
    }

    /// Keeps a client or lets it go.
    private func finish(_ client: ClientConnection) {
        if client.isBroken || (client.closeAfterFlush && !client.hasPendingOutput) {
            client.close()
            clients[client.descriptor] = nil
        } else {
            clients[client.descriptor] = client
        }
    }

    // MARK: Stopping

    private func takeSignal() -> String? {
        let number = wok_read_signal(signals)
        switch number {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGHUP:
            log.write(.notice, "SIGHUP: wokd does not reload its station file; restart it to apply changes")
            return nil
        default: return nil
        }
    }

    private func stop(reason: String) -> Int32 {
        notifier.stopping(status: "Stopping (\(reason)); burner off")
        let off = core.shutdown(reason: reason)
        for client in clients.values { client.close() }
        clients = [:]
        return off ? 0 : 1
    }
}
