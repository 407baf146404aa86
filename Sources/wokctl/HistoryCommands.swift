import Foundation
import WokCore
import WokSystem
import WokHistory
import WokPlot

/// `wokctl history`, `show`, `export` and `plot`: the cook history, read straight from the
/// daemon's database (read-only; the daemon need not be running).
enum HistoryCommands {
    static let verbs: Set<String> = ["history", "show", "export", "plot"]

    static let help = """
        Usage: wokctl history [--recipe NAME] [--limit N] [--json]
               wokctl show COOK [--json]
               wokctl export COOK --csv|--json [-o FILE]
               wokctl plot COOK -o FILE.svg|FILE.png
               wokctl plot --compare A B -o FILE.svg|FILE.png

        COOK is a cook's number from `wokctl history`, or "last". Every command takes --db PATH
        (the history file) or --state-dir DIR (the daemon's state directory); by default the
        daemon's: $WOK_HISTORY_DB, then history.sqlite3 in the state directory wokd would use,
        then /var/lib/wokd/history.sqlite3. Reading needs read access to the file and its -wal and
        -shm companions (the station's group has it; see docs/history.md).
        PNG needs rsvg-convert (Debian: librsvg2-bin).
        """

    static func run(_ verb: String, _ raw: [String]) throws(CommandFailure) {
        // `-o FILE` as well as `--output FILE`.
        let normalized = raw.map { $0 == "-o" ? "--output" : $0 }
        let args = try Arguments.parse(
            normalized, valued: ["db", "state-dir", "recipe", "limit", "output", "socket"],
            flags: ["json", "csv", "help", "compare"])
        if args.has("help") {
            Terminal.line(help)
            return
        }
        let reader = try open(args)
        switch verb {
        case "history": try history(reader, args)
        case "show": try show(reader, args)
        case "export": try export(reader, args)
        default: try plot(reader, args)
        }
    }

    static func databasePath(_ args: Arguments) -> String {
        if let path = args.value("db") { return path }
        if let directory = args.value("state-dir") { return directory + "/" + HistoryReader.fileName }
        if let path = DefaultPaths.environment("WOK_HISTORY_DB") { return path }
        let own = DefaultPaths.stateDirectory + "/" + HistoryReader.fileName
        if Files.exists(own) { return own }
        return "/var/lib/wokd/" + HistoryReader.fileName
    }

    static func open(_ args: Arguments) throws(CommandFailure) -> HistoryReader {
        let path = databasePath(args)
        guard Files.exists(path) else {
            throw CommandFailure(message: "no cook history at \(path) (wokd writes it; --db or --state-dir to look elsewhere)", code: .failure)
        }
        do {
            return try HistoryReader(path: path)
        } catch {
            let denied = error.code & 0xFF == 8 || error.code & 0xFF == 14 || error.code & 0xFF == 23
            throw CommandFailure(
                message: "\(error)" + (denied ? "; reading needs the station's group (see docs/history.md)" : ""),
                code: denied ? .permissionDenied : .failure)
        }
    }

    static func history(_ reader: HistoryReader, _ args: Arguments) throws(CommandFailure) {
        guard args.positional.isEmpty else { throw CommandFailure(message: "history: unexpected argument \"\(args.positional[0])\"", code: .usage) }
        var limit = 20
        if let text = args.value("limit") {
            guard let value = Int(text), value >= 1, value <= 100_000 else {
                throw CommandFailure(message: "--limit \(text): expected a whole number from 1 to 100000", code: .usage)
            }
            limit = value
        }
        let cooks = try read { () throws(SQLiteError) in try reader.cooks(recipe: args.value("recipe"), limit: limit) }
        if args.has("json") {
            Terminal.line(JSONValue.array(cooks.map(HistoryText.summaryJSON)).serialized(pretty: true))
            return
        }
        guard !cooks.isEmpty else {
            Terminal.line(args.value("recipe") == nil ? "No cooks yet." : "No cooks of a recipe matching \"\(args.value("recipe") ?? "")\".")
            return
        }
        var text = HistoryText.header() + "\n"
        for cook in cooks { text += HistoryText.line(cook) + "\n" }
        Terminal.out(text)
    }

    static func cookID(_ word: String, _ reader: HistoryReader) throws(CommandFailure) -> Int {
        if word == "last" || word == "latest" {
            guard let id = try read({ () throws(SQLiteError) in try reader.newestCookID() }) else {
                throw CommandFailure(message: "there are no cooks yet", code: .failure)
            }
            return id
        }
        guard let id = Int(word), id >= 0 else {
            throw CommandFailure(message: "\"\(word)\" is not a cook number (see `wokctl history`) or \"last\"", code: .usage)
        }
        return id
    }

    static func load(_ word: String, _ reader: HistoryReader) throws(CommandFailure) -> CookHistory {
        let id = try cookID(word, reader)
        guard let cook = try read({ () throws(SQLiteError) in try reader.cook(id: id) }) else {
            throw CommandFailure(message: "there is no cook \(id) in the history", code: .failure)
        }
        return cook
    }

    static func oneCook(_ args: Arguments, _ verb: String, _ reader: HistoryReader) throws(CommandFailure) -> CookHistory {
        guard args.positional.count == 1 else {
            throw CommandFailure(message: "\(verb): name one cook (a number from `wokctl history`, or \"last\")", code: .usage)
        }
        return try load(args.positional[0], reader)
    }

    static func show(_ reader: HistoryReader, _ args: Arguments) throws(CommandFailure) {
        let cook = try oneCook(args, "show", reader)
        if args.has("json") {
            var object = JSONObject()
            object.members = [
                ("cook", HistoryText.summaryJSON(cook.summary)),
                ("stages", .array(StageAnalysis.stages(of: cook).map(HistoryText.stageJSON))),
            ]
            Terminal.line(JSONValue.object(object).serialized(pretty: true))
            return
        }
        Terminal.out(HistoryText.show(cook, width: terminalColumns(), color: Terminal.isInteractive))
    }

    static func export(_ reader: HistoryReader, _ args: Arguments) throws(CommandFailure) {
        let cook = try oneCook(args, "export", reader)
        guard args.has("csv") != args.has("json") else {
            throw CommandFailure(message: "export: choose one of --csv and --json", code: .usage)
        }
        let text = args.has("csv") ? HistoryText.exportCSV(cook) : HistoryText.exportJSON(cook).serialized(pretty: false) + "\n"
        if let path = args.value("output") { try Files.write(text, to: path) } else { Terminal.out(text) }
    }

    static func plot(_ reader: HistoryReader, _ args: Arguments) throws(CommandFailure) {
        guard let output = args.value("output") else { throw CommandFailure(message: "plot: say where with -o FILE.svg or FILE.png", code: .usage) }
        let picture: CookPlot
        if args.has("compare") {
            guard args.positional.count == 2 else { throw CommandFailure(message: "plot --compare: name two cooks", code: .usage) }
            picture = CookPlotting.compare(try load(args.positional[0], reader), try load(args.positional[1], reader))
        } else {
            picture = CookPlotting.plot(try oneCook(args, "plot", reader))
        }
        try PlotOutput.write(picture, to: output)
    }

    private static func read<T>(_ body: () throws(SQLiteError) -> T) throws(CommandFailure) -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(message: "\(error)", code: .failure)
        }
    }
}

/// Writes a plot as SVG, or as PNG through rsvg-convert.
enum PlotOutput {
    static func write(_ picture: CookPlot, to path: String) throws(CommandFailure) {
        let svg = SVGRenderer.render(picture)
        let lower = path.lowercased()
        if lower.hasSuffix(".svg") {
            try Files.write(svg, to: path)
            return
        }
        guard lower.hasSuffix(".png") else { throw CommandFailure(message: "plot: \(path): the file must end in .svg or .png", code: .usage) }
        guard let converter = findConverter() else {
            throw CommandFailure(message: "plot: PNG needs rsvg-convert (Debian: apt-get install librsvg2-bin); write .svg instead", code: .failure)
        }
        let temporary = path + ".tmp.svg"
        try Files.write(svg, to: temporary)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", path, temporary]
        do {
            try process.run()
        } catch {
            throw CommandFailure(message: "plot: running \(converter): \(error)", code: .failure)
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(message: "plot: rsvg-convert failed with status \(process.terminationStatus)", code: .failure)
        }
    }

    static func findConverter() -> String? {
        let path = DefaultPaths.environment("PATH") ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where Files.exists("\(directory)/rsvg-convert") {
            return "\(directory)/rsvg-convert"
        }
        return nil
    }
}
