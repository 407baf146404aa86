import WokClient
import WokCore
import WokSystem
import WokWatch
import WokWire

#if canImport(Glibc)
    import Glibc
#endif

/// `watch` on a terminal: one loop waits on the daemon's pushes, the keyboard and signals, and
/// redraws `WatchScreen` in place. The keyboard is in raw mode while it runs and is restored on
/// every way out: `q`, a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT), or an error; and while
/// suspended with Ctrl-Z.
struct LiveWatch {
    /// How `run` ended.
    enum Ending {
        case quit
        case signal(Int32)
    }

    let path: String
    let windowSeconds: Double
    let bell: Bool
    let reconnect: Bool
    let color: Bool

    /// The screen is redrawn at most this often; a key or a resize redraws at once.
    static let redrawIntervalSeconds = 0.2
    /// How long the answer to a key stays on screen.
    static let noticeSeconds = 8.0
    /// How long a key's request may take before the screen says wokd did not answer.
    static let requestTimeoutSeconds = 3.0

    private var client: ControlClient?
    private var model: WatchModel?
    private var status = WatchStatus()
    private var keys = WatchKeys()
    private var bells = BellSchedule()
    private var backoff = ReconnectBackoff()
    private var nextTrySeconds = 0.0
    private var noticeUntilSeconds = Double.infinity
    private var lastDrawSeconds = -Double.infinity
    private var dirty = true

    init(path: String, windowSeconds: Double, bell: Bool, reconnect: Bool, color: Bool) {
        self.path = path
        self.windowSeconds = windowSeconds
        self.bell = bell
        self.reconnect = reconnect
        self.color = color
    }

    mutating func run() throws(CommandFailure) -> Ending {
        let signals: SignalReceiver
        do {
            signals = try SignalReceiver(only: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP])
        } catch {
            throw CommandFailure(message: "watch: \(error)", code: .failure)
        }
        // Keys only when the keyboard is a terminal too (not with input from a pipe or a file).
        let keyboard = RawTerminal(STDIN_FILENO)
        var readKeys = keyboard != nil
        // Hide the cursor and start from a clear screen; both undone on the way out.
        Terminal.out("\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        defer {
            keyboard?.restore()
            Terminal.out("\u{1B}[?25h\n")
        }
        while true {
            let now = WallClock.nowSeconds()
            if client == nil && now >= nextTrySeconds { try connect(now: now) }
            if now >= noticeUntilSeconds {
                status.notice = nil
                noticeUntilSeconds = .infinity
                dirty = true
            }
            draw(now: now, keysShown: readKeys)

            var interests = [PollInterest(signals.descriptor, .readable)]
            if readKeys { interests.append(PollInterest(STDIN_FILENO, .readable)) }
            if let client { interests.append(PollInterest(client.pollDescriptor, .readable)) }
            var wait = 1.0  // the bell and the notice's expiry are checked at least this often
            if dirty { wait = max(0, lastDrawSeconds + Self.redrawIntervalSeconds - now) }
            if client == nil { wait = min(wait, max(0, nextTrySeconds - now)) }
            if client?.hasBufferedLines == true { wait = 0 }
            let ready: [PollEvents]
            do {
                ready = try waitForDescriptors(interests, timeoutSeconds: wait)
            } catch {
                throw CommandFailure(message: "watch: \(error)", code: .failure)
            }

            while let number = signals.next() {
                if number == SIGWINCH {
                    // A new size: redraw at once, from a clear screen.
                    Terminal.out("\u{1B}[2J")
                    dirty = true
                    lastDrawSeconds = -.infinity
                } else if number == SIGTSTP {
                    // Ctrl-Z: the shell gets its terminal back as it was, then the process stops
                    // (SIGSTOP cannot be caught); on `fg` it carries on where it was.
                    keyboard?.restore()
                    Terminal.out("\u{1B}[?25h\n")
                    raise(SIGSTOP)
                    if readKeys { keyboard?.enter() }
                    Terminal.out("\u{1B}[?25l\u{1B}[H\u{1B}[2J")
                    dirty = true
                    lastDrawSeconds = -.infinity
                } else {
                    return .signal(number)
                }
            }
            if readKeys, ready.count > 1, !ready[1].isDisjoint(with: [.readable, .hangUp, .error]) {
                var bytes = [UInt8](repeating: 0, count: 64)
                let count = bytes.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if count <= 0 && !(count < 0 && errno == EINTR) {
                    readKeys = false  // the keyboard went away; keep watching
                } else {
                    for byte in bytes.prefix(max(0, count)) where try press(byte) == .quit {
                        return .quit
                    }
                }
            }
            if client != nil { try readPushes() }
        }
    }

    // MARK: The daemon

    /// Connects and subscribes; while wokd is away, says so and sets the next try.
    private mutating func connect(now: Double) throws(CommandFailure) {
        do {
            let fresh = try ControlClient(path: path)
            let subscription = try StationCommands.check(try fresh.subscribe(), .subscribe)
            client = fresh
            model = WatchModel(subscription)
            status.retrying = nil
            backoff.reset()
            dirty = true
        } catch let error as ControlClientError {
            try lost(error, now: now)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "watch: \(error)", code: .failure)
        }
    }

    /// Wokd stopped, cannot be reached or sent something unreadable: retry if that may pass,
    /// else leave as `watch` always has. Bad input from the socket never ends it with a crash.
    private mutating func lost(_ error: ControlClientError, now: Double) throws(CommandFailure) {
        client = nil
        switch error {
        case .notRunning, .connectionLost, .timedOut, .garbled:
            guard reconnect else { throw StationCommands.failure(error) }
            let delay = backoff.delay()
            nextTrySeconds = now + delay
            if case .garbled = error {
                // The daemon's words, escaped and cut: they are not to be trusted as text.
                show("wokd sent something unreadable; reconnecting (\(safeText(String(error.description.prefix(80)))))", lasting: Self.noticeSeconds)
            } else {
                status.retrying = "nothing answers on \(safeText(path)); next try in \(formatNumber(delay)) s"
            }
            dirty = true
        case .permissionDenied, .system:
            throw StationCommands.failure(error)
        }
    }

    /// Takes every push that has arrived, without waiting for more.
    private mutating func readPushes() throws(CommandFailure) {
        guard let client else { return }
        do {
            while let push = try client.nextPush(timeoutSeconds: 0) {
                switch push {
                case .snapshot(let snapshot): model?.apply(snapshot)
                case .event(let event): model?.apply(event)
                }
                dirty = true
            }
        } catch {
            try lost(error, now: WallClock.nowSeconds())
        }
    }

    // MARK: Keys

    private mutating func press(_ byte: UInt8) throws(CommandFailure) -> KeyAction {
        let action = keys.press(byte, state: model?.snapshot.state ?? .idle)
        switch action {
        case .ignored, .quit:
            return action
        case .ask(let question):
            show(question, lasting: .infinity)
        case .cancelled(let text):
            show(text, lasting: Self.noticeSeconds)
        case .send(let method, let params):
            show("\(method.rawValue): \(answer(method, params))", lasting: Self.noticeSeconds)
        }
        return action
    }

    private mutating func show(_ notice: String, lasting seconds: Double) {
        status.notice = notice
        noticeUntilSeconds = WallClock.nowSeconds() + seconds
        dirty = true
        lastDrawSeconds = -.infinity
    }

    /// Sends one request on a connection of its own, as `wokctl next` would; the answer in words.
    private func answer(_ method: ControlMethod, _ params: JSONObject) -> String {
        do {
            let once = try ControlClient(path: path)
            switch try once.command(method, params: params, timeoutSeconds: Self.requestTimeoutSeconds) {
            case .success(let snapshot):
                // The screen shows the rest; the answer says what the station is doing now.
                let stage = snapshot.stage.map { ", stage \($0.index + 1)/\(snapshot.stages.count)" } ?? ""
                return "done; \(snapshot.state.rawValue)\(stage)"
            case .failure(let error): return "refused: " + safeText(error.message)
            }
        } catch {
            return safeText(error.description)
        }
    }

    // MARK: Drawing

    private mutating func draw(now: Double, keysShown: Bool) {
        let ring =
            bell && bells.shouldRing(prompt: client == nil ? nil : model?.snapshot.prompt, state: model?.snapshot.state ?? .idle, nowSeconds: now)
        guard ring || (dirty && now - lastDrawSeconds >= Self.redrawIntervalSeconds) else { return }
        let size = terminalSize() ?? (80, 24)
        let options = WatchOptions(color: color, windowSeconds: windowSeconds, legend: keysShown ? WatchKeys.legend : "Ctrl-C to leave")
        let lines = WatchScreen.render(model, status: status, size: ScreenSize(columns: size.columns, rows: size.rows), options: options)
        Terminal.out("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J" + (ring ? "\u{7}" : ""))
        lastDrawSeconds = now
        dirty = false
    }
}
