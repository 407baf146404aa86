internal import Glibc
internal import WokClient
internal import WokCore
internal import WokNotify
public import WokSystem
internal import WokWire

/// The bridge's one loop, on the main thread: it reads wokd's subscription, publishes the station
/// to the broker, passes checked commands to wokd, and runs notifications. Everything it waits on
/// is polled with a short timeout; the broker's connect happens on the link's own thread, and a
/// notification command is a child that is never waited for. Nothing here can hold up wokd: the
/// subscription is read as fast as it comes, and a command is one short request.
public final class Bridge {
    public let config: BridgeConfig
    public let topics: Topics
    private let socketOverride: String?
    private let link: MosquittoLink?
    private let notifier: Notifier?
    private let signals: SignalReceiver
    private let log: @Sendable (String) -> Void

    private var subscription: ControlClient?
    private var snapshot: StationSnapshot?
    private var throttle: StateThrottle
    private var wokRetryAt = 0.0
    private var wokBackoff = 1.0
    private var lastWokProblem = ""
    private var publishedAvailability: String?
    private var claims: ClaimWatch
    private var stopping = false
    /// Commands passed to wokd, a budget so a flood from the broker costs wokd little; abort is
    /// never counted (it only takes heat away and must always get through).
    private var commandBudget = RateBudget(perMinute: Bridge.commandsPerMinute)
    private var commandsThisTurn = 0

    /// How long a command may wait for wokd's answer.
    static let commandTimeoutSeconds = 5.0
    /// Pushes read per turn before the loop looks at its other inputs.
    static let maxPushesPerTurn = 256
    /// Commands passed to wokd per turn (each may wait up to the timeout), and per minute.
    static let maxCommandsPerTurn = 4
    static let commandsPerMinute = 60

    public init(config: BridgeConfig, socket: String?, signals: SignalReceiver, log: @escaping @Sendable (String) -> Void) throws(LinkError) {
        self.config = config
        self.signals = signals
        self.log = log
        socketOverride = socket ?? config.socket
        let settings = config.mqtt ?? MQTTSettings()
        let topics = Topics(stationID: config.stationID, topicPrefix: settings.topicPrefix, discoveryPrefix: settings.discoveryPrefix)
        self.topics = topics
        throttle = StateThrottle(cookingPeriodSeconds: settings.cookingPeriodSeconds, idlePeriodSeconds: settings.idlePeriodSeconds)
        // One client id per process: a broker throws out the older of two sessions with the same
        // id, so two bridges of one station would take turns evicting each other.
        let random = (try? randomBytes(4)) ?? withUnsafeBytes(of: getpid().bigEndian) { Array($0) }
        let own = BridgeClaim(
            instance: BridgeClaim.instanceID(stationID: config.stationID, random: random), pid: Int(getpid()),
            startedUnixSeconds: Int(wallClockSeconds()))
        claims = ClaimWatch(own: own)
        if let mqtt = config.mqtt {
            link = try MosquittoLink(settings: mqtt, topics: topics, clientID: "wokmqtt-\(own.instance)", log: log)
        } else {
            link = nil
        }
        notifier = config.notify.map { Notifier(config: $0, log: log) }
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() -> Int32 {
        do {
            try link?.start()
        } catch {
            log("wokmqtt: \(error)")
            return 1
        }
        while !stopping {
            turn()
        }
        // Our claim goes with us, unless another bridge has spoken since.
        if let link, link.isConnected, claims.storedIsOwn { link.publish(topics.bridgeClaim, "", retain: true) }
        link?.stop()
        return 0
    }

    private func turn() {
        var now = monotonicSeconds()
        if subscription == nil, now >= wokRetryAt { connectToWokd(now: now) }
        var interests = [PollInterest(signals.descriptor, .readable)]
        if let link { interests.append(PollInterest(link.wakeDescriptor, .readable)) }
        if let subscription { interests.append(PollInterest(subscription.pollDescriptor, .readable)) }
        let buffered = subscription?.hasBufferedLines ?? false
        // Short: children are reaped and late state published within this, without a timer.
        _ = try? waitForDescriptors(interests, timeoutSeconds: buffered ? 0 : 0.2)
        while let number = signals.next() {
            switch SignalReceiver.action(for: number) {
            case .stop:
                log("wokmqtt: \(SignalReceiver.name(of: number)): stopping")
                stopping = true
            case .logOnly, .ignore: log("wokmqtt: \(SignalReceiver.name(of: number)) ignored")
            }
        }
        now = monotonicSeconds()
        readSubscription(now: now)
        if let link {
            commandsThisTurn = 0
            let (events, dropped) = link.take()
            if dropped > 0 { log("mqtt: \(dropped) messages dropped: more than \(MosquittoLink.maxQueued) waited at once") }
            for event in events { handle(event, now: monotonicSeconds()) }
        }
        notifier?.poll(now: now)
        publishState(now: now)
    }

    // MARK: wokd

    private var socketPath: String {
        if let socketOverride { return socketOverride }
        return DefaultPaths.clientSocketCandidates.first(where: fileExists) ?? DefaultPaths.systemSocket
    }

    private func connectToWokd(now: Double) {
        let path = socketPath
        do {
            let client = try ControlClient(path: path)
            switch try client.subscribe(timeoutSeconds: Self.commandTimeoutSeconds) {
            case .success(let first):
                subscription = client
                snapshot = first.snapshot
                wokBackoff = 1
                lastWokProblem = ""
                log("wokmqtt: subscribed to wokd at \(path)")
                announce(now: now)
            case .failure(let error):
                wokdUnreachable("wokd refused the subscription: \(error)", now: now)
            }
        } catch {
            wokdUnreachable("\(error)", now: now)
        }
    }

    private func wokdUnreachable(_ problem: String, now: Double) {
        subscription = nil
        if problem != lastWokProblem { log("wokmqtt: \(problem); trying again with backoff up to 30 s") }
        lastWokProblem = problem
        wokRetryAt = now + wokBackoff
        wokBackoff = min(wokBackoff * 2, 30)
        publishAvailability()
    }

    private func readSubscription(now: Double) {
        guard let client = subscription else { return }
        for _ in 0..<Self.maxPushesPerTurn {
            let push: ControlPush?
            do {
                push = try client.nextPush(timeoutSeconds: 0)
            } catch {
                wokdUnreachable("lost wokd: \(error)", now: now)
                return
            }
            guard let push else { return }
            switch push {
            case .snapshot(let next): snapshot = next
            case .event(let event): notifier?.handle(event, station: snapshot, now: now)
            }
        }
    }

    // MARK: The broker

    private func handle(_ event: LinkEvent, now: Double) {
        switch event {
        case .connected:
            publishedAvailability = nil
            throttle.forget()
            log("mqtt: this bridge is instance \(claims.own.instance) (client id wokmqtt-\(claims.own.instance))")
            link?.publish(topics.bridgeClaim, claims.own.payload, retain: true)
            announce(now: now)
        case .disconnected:
            publishedAvailability = nil
        case .message(let topic, let payload, let retained):
            if topic == topics.bridgeClaim {
                if case .warn(let other, let answer) = claims.observe(payload: payload, retained: retained) {
                    log(claims.warning(about: other, stationID: config.stationID))
                    if answer { link?.publish(topics.bridgeClaim, claims.own.payload, retain: false) }
                }
                return
            }
            if topic == topics.homeAssistantStatus {
                // Home Assistant restarted and forgot us: tell it again.
                if payload == Array("online".utf8) { announce(now: now) }
                return
            }
            guard let verb = topics.verbName(ofCommandTopic: topic) else { return }
            switch CommandParser.parse(verbName: verb, payload: payload, policy: config.remote) {
            case .failure(let refusal): publishResult(refusal)
            case .success(let command):
                let busy =
                    command.verb != .abort && (commandsThisTurn >= Self.maxCommandsPerTurn || !commandBudget.take(atSeconds: now))
                guard !busy else {
                    publishResult(
                        CommandRefusal(
                            command: command.verb.rawValue, reason: .busy,
                            message: "too many commands at once (at most \(Self.commandsPerMinute) a minute); try again"))
                    return
                }
                commandsThisTurn += 1
                execute(command, now: now)
            }
        }
    }

    /// Discovery, availability and the state, all at once: after a connect, a subscription, or
    /// Home Assistant's birth message.
    private func announce(now: Double) {
        guard let link, link.isConnected else { return }
        let name = config.deviceName ?? snapshot?.station ?? config.stationID
        let discovery = Discovery.payload(stationID: config.stationID, deviceName: name, topics: topics, policy: config.remote)
        link.publish(topics.discovery, discovery.serialized(), retain: true)
        publishedAvailability = nil
        publishAvailability()
        publishState(now: now, force: true)
    }

    /// `online` only while both ends work: the broker and wokd.
    private func publishAvailability() {
        guard let link, link.isConnected else { return }
        let value = subscription == nil ? "offline" : "online"
        guard value != publishedAvailability else { return }
        if link.publish(topics.availability, value, retain: true) { publishedAvailability = value }
    }

    private func publishState(now: Double, force: Bool = false) {
        guard let link, link.isConnected, let snapshot else { return }
        let state = StationState(snapshot)
        guard throttle.shouldPublish(state, now: now, force: force) else { return }
        if !link.publish(topics.state, state.json.serialized(), retain: true, qos: 0) { throttle.forget() }
    }

    private func publishResult(_ refusal: CommandRefusal) {
        log("mqtt: refused \(refusal)")
        var members: [(String, JSONValue)] = [
            ("command", .string(refusal.command)), ("accepted", false), ("reason", .string(refusal.reason.rawValue)),
        ]
        if let code = refusal.code { members.append(("code", .string(code))) }
        members.append(("message", .string(refusal.message)))
        link?.publish(topics.result, JSONValue.object(JSONObject(members)).serialized(), retain: false)
    }

    /// Passes a checked command to wokd on a connection of its own (the subscription carries only
    /// pushes), then echoes the answer as the state at once.
    private func execute(_ command: RemoteCommand, now: Double) {
        let name = command.verb.rawValue
        do {
            let client = try ControlClient(path: socketPath)
            switch try client.command(command.verb.method, params: command.params, timeoutSeconds: Self.commandTimeoutSeconds) {
            case .success(let answer):
                snapshot = answer
                log("mqtt: \(name) accepted")
                publishState(now: now, force: true)
                let result: JSONValue = ["command": .string(name), "accepted": true, "state": .string(answer.state.rawValue)]
                link?.publish(topics.result, result.serialized(), retain: false)
            case .failure(let error):
                publishResult(CommandRefusal(command: name, reason: .refused, code: error.code.rawValue, message: error.message))
            }
        } catch {
            publishResult(CommandRefusal(command: name, reason: .busy, message: "wokd could not be reached: \(error)"))
        }
    }
}
