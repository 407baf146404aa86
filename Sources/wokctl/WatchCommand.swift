import WokClient
import WokCore
import WokSystem
import WokWire

#if canImport(Glibc)
    import Glibc
#endif

/// `wokctl watch`: the station live. On a terminal, a screen to steer from (`LiveWatch`);
/// otherwise one line per event and per change of state, so it can be logged or read by a script.
enum WatchCommand {
    static let help = """
        Usage: wokctl watch [--json] [--socket PATH] [--minutes M] [--no-bell] [--no-reconnect]

        Follows the station live. On a terminal, a screen that fits any size down to 60x20: the
        wok's temperature (in big digits where there is room), target, stage and its time left
        (in a confirm window, the time until the heat drops to the safe hold), a chart of the
        cook's last minutes, recent events on cook time, and the prompt, loudly, when you must act.
        Keys: n next (confirm), h hold/resume, a abort (asks again: y to abort), q quit (the cook
        goes on; so does Ctrl-C). Each key sends its request to wokd and shows the answer. A prompt
        rings the terminal's bell, and again every 10 s while it waits; --no-bell keeps it silent.
        When wokd stops, the screen says so and tries again every 1 to 5 s; --no-reconnect leaves
        instead (exit 5). NO_COLOR (set and not empty) turns colour off.
        Not on a terminal: one line per event and per change, until wokd stops (exit 5).
        --json: the daemon's lines as they come (one JSON object per line: {"v":1,"snapshot":{...}}
        or {"v":1,"event":{...}}).
        --minutes M sets the chart's width in minutes of cook time (default 5).
        """

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(raw, valued: ["socket", "minutes"], flags: ["json", "help", "no-bell", "no-reconnect"])
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
        let path = args.value("socket") ?? DefaultPaths.clientSocket
        if Terminal.isInteractive && !args.has("json") {
            var live = LiveWatch(
                path: path, windowSeconds: windowSeconds, bell: !args.has("no-bell"), reconnect: !args.has("no-reconnect"),
                color: Terminal.colorEnabled)
            let ending = try live.run()
            // After the terminal is restored: a signal ends the process as the shell expects.
            if case .signal(let number) = ending { exit(128 + number) }
            return
        }
        try follow(path, json: args.has("json"))
    }

    /// Lines for a log or a script, until wokd goes away.
    static func follow(_ path: String, json: Bool) throws(CommandFailure) {
        let client = try StationCommands.connect(path)
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
        var view = PlainWatch(json: json)
        view.start(subscription)
        while true {
            let push: ControlPush?
            do {
                push = try client.nextPush(timeoutSeconds: 5)
            } catch {
                throw CommandFailure(message: "watch: \(safeText(error.description))", code: .daemonUnavailable)
            }
            guard let push else { continue }
            view.show(push)
        }
    }
}

/// `watch` when its output is not a terminal: lines, or the daemon's JSON as it comes.
struct PlainWatch {
    let json: Bool
    private var lastChangeKey = ""

    init(json: Bool) {
        self.json = json
    }

    mutating func start(_ first: Subscription) {
        if json { Terminal.line(ControlReply.push("snapshot", first.snapshot.json)) }
        update(first.snapshot)
    }

    mutating func show(_ push: ControlPush) {
        switch push {
        case .snapshot(let next):
            if json { Terminal.line(ControlReply.push("snapshot", next.json)) }
            update(next)
        case .event(let event):
            if json {
                Terminal.line(ControlReply.push("event", event.json))
                return
            }
            // Stamped with cook time: an event's station time less the cook's start.
            if event.name == "cook-started" { cookStartedSeconds = event.timeSeconds }
            let line = "[\(clockText(event.timeSeconds - (cookStartedSeconds ?? 0)))] \(safeText(event.message))"
            Terminal.line(event.name == "fault" ? "!!! " + line : event.name == "prompt" ? ">>> " + line : line)
        }
    }

    private var cookStartedSeconds: Double?

    private mutating func update(_ next: StationSnapshot) {
        if let elapsed = next.cookElapsedSeconds { cookStartedSeconds = next.timeSeconds - elapsed }
        guard !json else { return }
        let key = StatusText.changeKey(next)
        if key != lastChangeKey {
            Terminal.line(StatusText.summary(next))
            lastChangeKey = key
        }
    }
}
