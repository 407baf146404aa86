import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The verbs that talk to a running `wokd`: status, start, next, hold, resume, extend, finish,
/// hold-at, abort, ack.
enum StationCommands {
    static let help: [String: String] = [
        "status": """
        Usage: wokctl status [--json] [--socket PATH]

        Shows what the station is doing: state, recipe, stage, target and wok temperature, burner,
        fault and what the cook must do now. --json prints the daemon's snapshot as one object.
        """,
        "start": """
        Usage: wokctl start RECIPE [--serves N] [--socket PATH] [--json]

        Starts cooking RECIPE: a name from the daemon's recipe directories, or a path to a recipe file
        (anything with a '/' or ending in .json). A file is read by wokctl, with your rights, and its
        text sent to wokd, which checks it as it checks its own. The burner lights at once for the
        first stage, and the food to have ready is listed.
        --serves N scales every ingredient from the recipe's own portions (a quarter to twice
        them: more than that is a second batch); the prompts and the controller use the new grams.
        """,
        "next": """
        Usage: wokctl next [--socket PATH] [--json]

        Confirms the current stage (the caramel is the right colour, ...) and moves to the next one.
        Refused before the stage's minimum time.
        """,
        "hold": """
        Usage: wokctl hold [--socket PATH] [--json]

        Freezes the stage clock and keeps the current heat, for when the cook needs a moment.
        """,
        "resume": """
        Usage: wokctl resume [--socket PATH] [--json]

        Lets a held stage clock run again; or, after wokd was restarted mid-cook, continues the
        interrupted cook from the start of the stage it was in (within the station's bound).
        """,
        "extend": """
        Usage: wokctl extend SECONDS [--socket PATH] [--json]

        Gives the current stage more time: a timed stage runs SECONDS longer; a stage waiting for
        your confirmation waits SECONDS longer before the heat drops to the safe hold (and one
        already at the safe hold goes back to its own heat). 1 to 1800 s at a time, at most an
        hour in all per stage; the cook's overrun bound grows by as much.
        """,
        "finish": """
        Usage: wokctl finish [--socket PATH] [--json]

        Ends the current timed stage now (the food is done early), or stops waiting for the wok to
        reach a stage's target, and moves on. A stage that waits for your judgement ends with
        `wokctl next` instead.
        """,
        "hold-at": """
        Usage: wokctl hold-at TEMP|LEVEL [--minutes M] [--socket PATH] [--json]

        Holds the wok at a temperature (in °C, e.g. 180) or at one of the station's heat levels
        (low, medium-low, medium, medium-high, high, max) with no recipe, for M minutes (default 30,
        1 to 60). It runs as a one-stage cook with every safety bound of a cook; `wokctl extend`
        gives it more time, `wokctl finish` or `wokctl abort` ends it.
        """,
        "abort": """
        Usage: wokctl abort [--socket PATH] [--json]

        Ends the cook and turns the burner off now. Also discards an interrupted cook.
        """,
        "ack": """
        Usage: wokctl ack [--socket PATH] [--json]

        Acknowledges a latched fault once its cause is gone, so a new cook may start.
        Refused while the cause persists.
        """,
    ]

    static func run(_ verb: String, _ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(raw, valued: ["socket", "serves", "minutes"], flags: ["json", "help"])
        if args.has("help") {
            Terminal.line(help[verb] ?? "")
            return
        }
        let method: ControlMethod
        var params = JSONObject()
        switch verb {
        case "status": method = .status
        case "start":
            method = .start
            guard args.positional.count == 1, let recipe = args.positional.first else {
                throw CommandFailure(message: "start: name one recipe (see wokctl recipes list)", code: .usage)
            }
            params = try startParams(recipe)
            if let serves = args.value("serves") {
                guard let people = Int(serves), (1...100).contains(people) else {
                    throw CommandFailure(message: "start: --serves takes a number of people, 1 to 100", code: .usage)
                }
                params["serves"] = .number(Double(people))
            }
        case "next": method = .next
        case "extend":
            method = .extend
            guard args.positional.count == 1, let text = args.positional.first, let seconds = Double(text),
                CookSession.extendRange.contains(seconds)
            else {
                throw CommandFailure(
                    message: "extend: give the extra time in seconds, 1 to \(formatNumber(CookSession.extendRange.upperBound))", code: .usage)
            }
            params["seconds"] = .number(seconds)
        case "finish": method = .finish
        case "hold-at":
            method = .holdAt
            guard args.positional.count == 1, let heat = args.positional.first else {
                throw CommandFailure(message: "hold-at: give a temperature in °C or a heat level (see wokctl hold-at --help)", code: .usage)
            }
            params = try holdParams(heat, minutes: args.value("minutes"))
        case "hold": method = .hold
        case "resume": method = .resume
        case "abort": method = .abort
        case "ack": method = .ack
        default: throw CommandFailure(message: "unknown command \"\(verb)\"", code: .usage)
        }
        for (option, owner) in [("serves", "start"), ("minutes", "hold-at")] where args.value(option) != nil && verb != owner {
            throw CommandFailure(message: "\(verb): --\(option) belongs to \(owner)", code: .usage)
        }
        if !["start", "extend", "hold-at"].contains(verb), let extra = args.positional.first {
            throw CommandFailure(message: "\(verb): unexpected argument \"\(extra)\"", code: .usage)
        }
        let client = try connect(args.value("socket"))
        let snapshot = try ask(client, method, params)
        if args.has("json") {
            Terminal.line(snapshot.json.serialized())
        } else if method == .status {
            Terminal.out(StatusText.render(snapshot))
        } else {
            Terminal.line(StatusText.summary(snapshot))
            if method == .start, let ready = snapshot.haveReady { Terminal.line("Have ready: \(safeText(ready)).") }
        }
    }

    /// `hold-at 180` or `hold-at medium-high`, for `--minutes M`.
    static func holdParams(_ heat: String, minutes: String?) throws(CommandFailure) -> JSONObject {
        var params = JSONObject()
        if let celsius = Double(heat) {
            params["celsius"] = .number(celsius)
        } else if HeatLevel(rawValue: heat) != nil {
            params["level"] = .string(heat)
        } else {
            let levels = HeatLevel.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure(message: "hold-at: \"\(safeText(heat))\" is neither a temperature in °C nor a level (\(levels))", code: .usage)
        }
        if let minutes {
            guard let value = Double(minutes), value > 0 else {
                throw CommandFailure(message: "hold-at: --minutes takes a number of minutes", code: .usage)
            }
            params["seconds"] = .number(value * 60)
        }
        return params
    }

    /// A name goes to the daemon as is; a file is read here, with the caller's own rights, and
    /// its text sent: the daemon never opens a path a client names.
    static func startParams(_ recipe: String) throws(CommandFailure) -> JSONObject {
        guard recipe.contains("/") || recipe.hasSuffix(".json") else { return ["recipe": .string(recipe)] }
        let text: String
        do {
            text = try readSmallFile(recipe, maxBytes: ControlProtocol.maxRecipeDocumentBytes)
        } catch {
            switch error {
            case .system(let system) where system.errno == ENOENT:
                throw CommandFailure(message: "start: \(recipe): no such file", code: .invalidInput)
            case .tooLarge:
                throw CommandFailure(
                    message: "start: \(recipe) is over \(ControlProtocol.maxRecipeDocumentBytes) bytes; a recipe is far smaller", code: .invalidInput)
            default:
                throw CommandFailure(message: "start: cannot read \(error)", code: .invalidInput)
            }
        }
        // The daemon shows this label in its log and the history; a plain file name says enough.
        let label = String(recipe.split(separator: "/").last ?? Substring(recipe)).unicodeScalars
            .filter { !DisplayText.isRefused($0) }
        return ["document": .string(text), "source": .string(String(String.UnicodeScalarView(label.prefix(200))))]
    }

    static func connect(_ explicit: String?) throws(CommandFailure) -> ControlClient {
        let path = explicit ?? DefaultPaths.clientSocket
        do {
            return try ControlClient(path: path)
        } catch {
            throw failure(error)
        }
    }

    /// Sends one request; a refusal or a lost daemon becomes the matching exit code.
    static func ask(_ client: ControlClient, _ method: ControlMethod, _ params: JSONObject = JSONObject()) throws(CommandFailure) -> StationSnapshot {
        let answer: Result<StationSnapshot, ControlError>
        do {
            answer = try client.command(method, params: params)
        } catch {
            throw failure(error)
        }
        return try check(answer, method)
    }

    /// A refusal becomes the matching exit code.
    static func check<Value>(_ answer: Result<Value, ControlError>, _ method: ControlMethod) throws(CommandFailure) -> Value {
        switch answer {
        case .success(let value):
            return value
        case .failure(let error):
            let code: ExitCode =
                switch error.code {
                case .notPermitted: .permissionDenied
                case .refused: .refused
                case .recipeNotFound, .recipeInvalid: .invalidInput
                case .parseError, .invalidRequest, .unknownMethod, .unsupportedVersion, .requestTooLarge: .usage
                case .failed: .failure
                }
            throw CommandFailure(message: "\(method.rawValue): \(safeText(error.description))", code: code)
        }
    }

    static func failure(_ error: ControlClientError) -> CommandFailure {
        switch error {
        case .permissionDenied: CommandFailure(message: error.description, code: .permissionDenied)
        case .notRunning, .connectionLost, .timedOut: CommandFailure(message: error.description, code: .daemonUnavailable)
        case .garbled, .system: CommandFailure(message: error.description, code: .failure)
        }
    }
}
