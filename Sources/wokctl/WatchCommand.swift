import WokClient
import WokCore
import WokSystem
import WokWire

/// `wokctl watch`: the station live. On a terminal it redraws in place; otherwise it prints one
/// line per event and per change of state, so it can be logged or read by a script.
enum WatchCommand {
    static let help = """
        Usage: wokctl watch [--json] [--socket PATH] [--minutes M]

        Follows the station live until wokd stops (Ctrl-C to leave; the cook goes on). On a terminal:
        the stages with the current one marked, target and wok temperature, the burner, a chart of
        the last minutes against the target, recent events, and the prompt, loudly, when you must act.
        Not on a terminal: one line per event and per change. --json: the daemon's lines as they come
        (one JSON object per line: {"v":1,"snapshot":{...}} or {"v":1,"event":{...}}).
        --minutes M sets the chart's width in minutes of cook time (default 5).
        """

    /// The screen is redrawn at most this often; events redraw at once.
    static let redrawIntervalSeconds = 0.2

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(raw, valued: ["socket", "minutes"], flags: ["json", "help"])
        if args.has("help") {
            Terminal.line(help)
            return
        }
        if let extra = args.positional.first { throw CommandFailure(message: "watch: unexpected argument \"\(extra)\"", code: .usage) }
        var windowSeconds = 300.0
        if let text = args.value("minutes") {
            guard let minutes = Double(text), minutes >= 0.5, minutes <= 60 else {
                throw CommandFailure(message: "--minutes \(text): expected a number from 0.5 to 60", code: .usage)
            }
            windowSeconds = minutes * 60
        }
        let client = try StationCommands.connect(args.value("socket"))
        let subscription: Subscription
        do {
            subscription = try StationCommands.check(try client.subscribe(), .subscribe)
        } catch let error as ControlClientError {
            throw StationCommands.failure(error)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "watch: \(error)", code: .failure)
        }
        var view = WatchView(json: args.has("json"), live: Terminal.isInteractive && !args.has("json"), windowSeconds: windowSeconds)
        view.start(subscription)
        while true {
            let push: ControlPush?
            do {
                push = try client.nextPush(timeoutSeconds: 5)
            } catch {
                view.finish()
                throw CommandFailure(message: "watch: \(safeText(error.description))", code: .daemonUnavailable)
            }
            guard let push else { continue }
            view.show(push)
        }
    }
}

/// What `watch` has seen and how it shows it.
struct WatchView {
    let json: Bool
    let live: Bool
    let windowSeconds: Double
    private var snapshot = StationSnapshot(state: .idle)
    private var samples: [TemperaturePoint] = []
    private var recentEvents: [String] = []
    private var lastChangeKey = ""
    private var lastPrompt: String?
    private var lastDrawSeconds = -Double.infinity

    init(json: Bool, live: Bool, windowSeconds: Double) {
        self.json = json
        self.live = live
        self.windowSeconds = windowSeconds
    }

    mutating func start(_ first: Subscription) {
        samples = first.history
        if json { Terminal.line(ControlReply.push("snapshot", first.snapshot.json)) }
        update(first.snapshot, force: true)
    }

    mutating func show(_ push: ControlPush) {
        switch push {
        case .snapshot(let next):
            if json { Terminal.line(ControlReply.push("snapshot", next.json)) }
            update(next, force: false)
        case .event(let event):
            if json {
                Terminal.line(ControlReply.push("event", event.json))
                return
            }
            let line = "[\(clockText(event.timeSeconds))] \(safeText(event.message))"
            if live {
                recentEvents.append(line)
                if recentEvents.count > 5 { recentEvents.removeFirst() }
                lastDrawSeconds = -Double.infinity
            } else {
                Terminal.line(event.name == "fault" ? "!!! " + line : event.name == "prompt" ? ">>> " + line : line)
            }
        }
    }

    private mutating func update(_ next: StationSnapshot, force: Bool) {
        snapshot = next
        if next.timeSeconds - (samples.last?.timeSeconds ?? -Double.infinity) >= 1 {
            samples.append(
                TemperaturePoint(
                    timeSeconds: next.timeSeconds, temperatureC: next.shownReading?.celsius, targetC: next.targetC, burnerOn: next.burnerOn,
                    trusted: next.shownReading?.trusted ?? true))
            if samples.count > 4000 { samples.removeFirst(samples.count - 3600) }
        }
        guard !json else { return }
        if live {
            let now = WallClock.nowSeconds()
            if force || now - lastDrawSeconds >= WatchCommand.redrawIntervalSeconds {
                draw()
                lastDrawSeconds = now
            }
        } else {
            let key = StatusText.changeKey(next)
            if key != lastChangeKey {
                Terminal.line(StatusText.summary(next))
                lastChangeKey = key
            }
        }
    }

    private mutating func draw() {
        let width = terminalColumns()
        var lines = StatusText.render(snapshot).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // The prompt goes last and loudest; take it out of the status block.
        let prompt = snapshot.prompt.map(safeText)
        if prompt != nil { lines.removeLast() }
        lines.append("")
        let current = snapshot.stage?.index
        for (index, stage) in snapshot.stages.enumerated() {
            let marker = index == current ? "▶" : (current.map { index < $0 } ?? false) ? "✓" : " "
            let target = stage.targetC.map { "\(formatCelsius($0)) °C" } ?? "off"
            let line = " \(marker) \(index + 1). \(safeText(stage.name))  (\(target))"
            lines.append(index == current ? Terminal.bold(line) : line)
        }
        lines.append("")
        lines += TemperatureChart.render(samples, width: width, height: 10, windowSeconds: windowSeconds)
        if !recentEvents.isEmpty {
            lines.append("")
            lines += recentEvents
        }
        if let prompt {
            lines.append("")
            lines.append(Terminal.alert("▶▶▶ YOUR TURN: \(prompt)"))
        }
        // A new prompt rings the terminal's bell once.
        let bell = prompt != nil && prompt != lastPrompt ? "\u{7}" : ""
        lastPrompt = prompt
        Terminal.out("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J" + bell)
    }

    func finish() {
        if live { Terminal.line() }
    }
}
