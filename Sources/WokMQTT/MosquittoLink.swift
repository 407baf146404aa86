internal import CMosquitto
internal import Glibc
internal import Synchronization
internal import WokSystem

/// What the broker connection reports to the bridge's thread.
public enum LinkEvent: Sendable, Equatable {
    /// The broker accepted us (CONNACK 0): announce, publish, all from scratch.
    case connected
    case disconnected(String)
    /// `retained`: the broker kept it from before we subscribed (not sent live by another client).
    case message(topic: String, payload: [UInt8], retained: Bool)
}

/// The connection to the broker, on a thread of its own: libmosquitto's connect blocks (DNS, TCP,
/// TLS), and nothing that reads wokd's socket may wait for it. The thread connects, runs the
/// library's loop and reconnects with a doubling backoff; the bridge publishes from its own thread
/// (libmosquitto queues the packet and wakes its loop) and takes what arrives from a bounded inbox,
/// woken by a pipe it polls.
public final class MosquittoLink: @unchecked Sendable {
    // @unchecked: the handle is used from two threads as libmosquitto's threaded mode allows (its
    // own locks guard publish and the loop); everything of ours that both threads touch is in
    // `inbox` (a Mutex) or an Atomic.
    private let handle: OpaquePointer
    private let settings: MQTTSettings
    private let topics: Topics
    private let log: @Sendable (String) -> Void
    private let inbox = Mutex(Inbox())
    private let running = Atomic<Bool>(true)
    private let sessionUp = Atomic<Bool>(false)
    private let threadDone = Atomic<Bool>(false)
    /// The bridge polls `wakeDescriptor`; the link writes a byte to the other end when the inbox fills.
    private let wakePipe: (read: Int32, write: Int32)
    /// Written to at stop, so a backoff sleep ends at once.
    private let stopPipe: (read: Int32, write: Int32)

    struct Inbox {
        var events: [LinkEvent] = []
        var dropped = 0
    }

    /// Messages waiting for the bridge; more are dropped (a flood of commands must not grow us).
    public static let maxQueued = 32
    /// Places kept for abort beyond `maxQueued`.
    public static let abortReserve = 8
    /// A message longer than this is cut before queuing; a command that long is refused anyway.
    public static let maxKeptPayload = CommandParser.maxPayloadBytes + 1

    public init(settings: MQTTSettings, topics: Topics, clientID: String, log: @escaping @Sendable (String) -> Void) throws(LinkError) {
        mosquitto_lib_init()
        guard let handle = mosquitto_new(clientID, true, nil) else { throw LinkError("mosquitto_new", "out of memory") }
        self.handle = handle
        self.settings = settings
        self.topics = topics
        self.log = log
        wakePipe = try Self.makePipe()
        stopPipe = try Self.makePipe()
        mosquitto_threaded_set(handle, true)
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        let offline = Array("offline".utf8)
        var rc = mosquitto_will_set(handle, topics.availability, Int32(offline.count), offline, 1, true)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw LinkError("mosquitto_will_set", Self.describe(rc)) }
        rc = try configureCredentials()
        if let tls = settings.tls {
            rc = mosquitto_tls_set(
                handle, try Self.credentialPath(tls.caFile), nil, try tls.certFile.map(Self.credentialPath),
                try tls.keyFile.map(Self.credentialPath), nil)
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw LinkError("mosquitto_tls_set", Self.describe(rc)) }
        }
        mosquitto_connect_callback_set(handle) { _, context, code in
            guard let context else { return }
            Unmanaged<MosquittoLink>.fromOpaque(context).takeUnretainedValue().connected(code)
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            guard let context else { return }
            Unmanaged<MosquittoLink>.fromOpaque(context).takeUnretainedValue().lost(code)
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let context, let message else { return }
            Unmanaged<MosquittoLink>.fromOpaque(context).takeUnretainedValue().received(message.pointee)
        }
    }

    deinit {
        mosquitto_destroy(handle)
        for fd in [wakePipe.read, wakePipe.write, stopPipe.read, stopPipe.write] { close(fd) }
    }

    /// What the bridge polls: readable when the inbox has something.
    public var wakeDescriptor: Int32 { wakePipe.read }

    /// Whether the broker has accepted this session and not dropped it since.
    public var isConnected: Bool { sessionUp.load(ordering: .acquiring) }

    /// Starts the connection thread.
    public func start() throws(LinkError) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let link = Unmanaged<MosquittoLink>.fromOpaque(context).takeRetainedValue()
                link.run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<MosquittoLink>.fromOpaque(context).release()
            throw LinkError("pthread_create", String(cString: strerror(rc)))
        }
        pthread_detach(thread)
    }

    /// Takes what arrived since the last call (and empties the wake pipe).
    public func take() -> (events: [LinkEvent], dropped: Int) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(wakePipe.read, $0.baseAddress, $0.count) }) > 0 {}
        return inbox.withLock { box in
            defer {
                box.events = []
                box.dropped = 0
            }
            return (box.events, box.dropped)
        }
    }

    /// Queues a message for the broker; false when there is no session (it is then dropped: all
    /// state is published again on the next connect).
    @discardableResult
    public func publish(_ topic: String, _ payload: String, retain: Bool, qos: Int32 = 1) -> Bool {
        let bytes = Array(payload.utf8)
        let rc = mosquitto_publish(handle, nil, topic, Int32(bytes.count), bytes, qos, retain)
        return rc == MOSQ_ERR_SUCCESS.rawValue
    }

    /// Says goodbye properly (the availability goes `offline` by our hand, not the will), and
    /// lets the thread end; waits for it at most `seconds`.
    public func stop(waitingSeconds seconds: Double = 2) {
        if isConnected { publish(topics.availability, "offline", retain: true) }
        running.store(false, ordering: .releasing)
        _ = writeFully(stopPipe.write, [1])
        mosquitto_disconnect(handle)
        let deadline = monotonicSeconds() + seconds
        while !threadDone.load(ordering: .acquiring), monotonicSeconds() < deadline { usleep(10_000) }
    }

    // MARK: The connection thread

    private func run() {
        defer { threadDone.store(true, ordering: .releasing) }
        var backoff = 1.0
        var connectedOnce = false
        var lastProblem = ""
        while running.load(ordering: .acquiring) {
            let rc: Int32
            if !connectedOnce {
                rc = mosquitto_connect(handle, settings.host, Int32(settings.port), Int32(settings.keepaliveSeconds))
                if rc == MOSQ_ERR_SUCCESS.rawValue { connectedOnce = true }
            } else {
                rc = mosquitto_reconnect(handle)
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                var loopRC = MOSQ_ERR_SUCCESS.rawValue
                while running.load(ordering: .acquiring), loopRC == MOSQ_ERR_SUCCESS.rawValue {
                    loopRC = mosquitto_loop(handle, 1000, 1)
                    if sessionUp.load(ordering: .acquiring) { backoff = 1 }
                }
                sessionUp.store(false, ordering: .releasing)
                if !running.load(ordering: .acquiring) { break }
                let problem = "connection to \(settings.host):\(settings.port) lost: \(Self.describe(loopRC))"
                if problem != lastProblem { log("mqtt: \(problem); reconnecting") }
                lastProblem = problem
            } else {
                let problem = "cannot connect to \(settings.host):\(settings.port): \(Self.describe(rc))"
                // One line per kind of failure, not one per attempt.
                if problem != lastProblem { log("mqtt: \(problem); retrying with backoff up to \(formatSeconds(settings.maxBackoffSeconds)) s") }
                lastProblem = problem
            }
            _ = try? waitForDescriptors([PollInterest(stopPipe.read, .readable)], timeoutSeconds: backoff)
            backoff = min(backoff * 2, settings.maxBackoffSeconds)
        }
    }

    private func connected(_ code: Int32) {
        guard code == 0 else {
            log("mqtt: the broker refused the connection: \(String(cString: mosquitto_connack_string(code)))")
            return
        }
        mosquitto_subscribe(handle, nil, topics.commandFilter, 1)
        mosquitto_subscribe(handle, nil, topics.homeAssistantStatus, 1)
        mosquitto_subscribe(handle, nil, topics.bridgeClaim, 1)
        sessionUp.store(true, ordering: .releasing)
        log("mqtt: connected to \(settings.host):\(settings.port)")
        enqueue(.connected)
    }

    private func lost(_ code: Int32) {
        sessionUp.store(false, ordering: .releasing)
        enqueue(.disconnected(code == 0 ? "disconnected" : Self.describe(code)))
    }

    private func received(_ message: mosquitto_message) {
        guard let topicPointer = message.topic else { return }
        let topic = String(cString: topicPointer)
        var payload: [UInt8] = []
        if let bytes = message.payload, message.payloadlen > 0 {
            let kept = min(Int(message.payloadlen), Self.maxKeptPayload)
            payload = Array(UnsafeRawBufferPointer(start: bytes, count: kept))
        }
        enqueue(.message(topic: String(topic.prefix(256)), payload: payload, retained: message.retain))
    }

    private func enqueue(_ event: LinkEvent) {
        let queued = inbox.withLock { box in
            // Connection news is never dropped (it is rare); messages are, past the bound, except
            // that an abort has a few places of its own so a flood of other messages cannot keep
            // it out.
            if case .message(let topic, _, _) = event {
                let bound = topic == topics.command(.abort) ? Self.maxQueued + Self.abortReserve : Self.maxQueued
                if box.events.count >= bound {
                    box.dropped += 1
                    return false
                }
            }
            box.events.append(event)
            return true
        }
        if queued { _ = writeFully(wakePipe.write, [1]) }
    }

    // MARK: Setup

    private func configureCredentials() throws(LinkError) -> Int32 {
        guard let usernameFile = settings.usernameFile else { return MOSQ_ERR_SUCCESS.rawValue }
        let username = try Self.readCredential(usernameFile)
        let password = try settings.passwordFile.map(Self.readCredential)
        let rc = mosquitto_username_pw_set(handle, username, password)
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw LinkError("mosquitto_username_pw_set", Self.describe(rc)) }
        return rc
    }

    /// A bare name is a systemd credential (`$CREDENTIALS_DIRECTORY/NAME`); a path is read as is.
    static func credentialPath(_ name: String) throws(LinkError) -> String {
        if name.contains("/") { return name }
        guard let directory = DefaultPaths.environment("CREDENTIALS_DIRECTORY") else {
            throw LinkError("credential \(name)", "$CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit, or give a path)")
        }
        return "\(directory)/\(name)"
    }

    /// A credential's text without its final newline.
    static func readCredential(_ name: String) throws(LinkError) -> String {
        let path = try credentialPath(name)
        do {
            var text = try readSmallFile(path, maxBytes: 4096)
            while text.last == "\n" || text.last == "\r" { text.removeLast() }
            return text
        } catch {
            throw LinkError("credential \(name)", "\(error)")
        }
    }

    static func makePipe() throws(LinkError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LinkError("pipe", String(cString: strerror(errno))) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return (fds[0], fds[1])
    }

    static func describe(_ rc: Int32) -> String {
        if rc == MOSQ_ERR_ERRNO.rawValue { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(rc))
    }
}

/// The broker connection could not be set up: which step, and why.
public struct LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public var step: String
    public var problem: String

    public init(_ step: String, _ problem: String) {
        self.step = step
        self.problem = problem
    }

    public var description: String { "\(step): \(problem)" }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
