import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The verbs that talk to a running `wokd`: status, start, next, hold, resume, abort, ack.
enum StationCommands {
    static let help: [String: String] = [
        "status": """
        Usage: wokctl status [--json] [--socket PATH]

        Shows what the station is doing: state, recipe, stage, target and wok temperature, burner,
        fault and what the cook must do now. --json prints the daemon's snapshot as one object.
        """,
        "start": """
        Usage: wokctl start RECIPE [--socket PATH] [--json]

        Starts cooking RECIPE: a name from the daemon's recipe directories, or a path to a recipe file
        (anything with a '/' or ending in .json). A file is read by wokctl, with your rights, and its
        text sent to wokd, which checks it as it checks its own. The burner lights at once for the
        first stage.
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
        let args = try Arguments.parse(raw, valued: ["socket"], flags: ["json", "help"])
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
        case "next": method = .next
        case "hold": method = .hold
        case "resume": method = .resume
        case "abort": method = .abort
        case "ack": method = .ack
        default: throw CommandFailure(message: "unknown command \"\(verb)\"", code: .usage)
        }
        if verb != "start", let extra = args.positional.first {
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
        }
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
