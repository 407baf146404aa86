import WokCore
import WokHistory
import WokPlot
import WokSystem

#if canImport(Glibc)
    import Glibc
#endif

/// `wokctl history`, `show`, `export` and `plot`: the cook history, read straight from the
/// daemon's database (read-only; the daemon need not be running).
enum HistoryCommands {
    static let verbs: Set<String> = ["history", "show", "export", "plot"]

    static let help = """
        Usage: wokctl history [--recipe NAME] [--limit N] [--json]
               wokctl show COOK [--json]
               wokctl export COOK --csv|--json [-o FILE]
               wokctl plot COOK -o FILE.svg|FILE.png|-
               wokctl plot --compare A B [--align start|stage:N] -o FILE.svg|FILE.png|-

        COOK is a cook's number from `wokctl history`, or "last". Every command takes --db PATH
        (the history file) or --state-dir DIR (the daemon's state directory); by default the
        daemon's: $WOK_HISTORY_DB, then history.sqlite3 in the state directory wokd would use,
        then /var/lib/wokd/history.sqlite3. Reading needs read access to the file and its -wal and
        -shm companions (the station's group has it; see docs/history.md).
        --align stage:N shifts cook B so that its stage N starts with cook A's (compare one
        stage across cooks whose preheats took different times); the default is their starts.
        PNG needs rsvg-convert (Debian: librsvg2-bin). -o writes a regular file (replaced whole) or,
        given -, standard output (SVG for plot); a symlink, directory, FIFO or device is refused.
        """

    static func run(_ verb: String, _ raw: [String]) throws(CommandFailure) {
        // `-o FILE` as well as `--output FILE`.
        let normalized = raw.map { $0 == "-o" ? "--output" : $0 }
        let args = try Arguments.parse(
            normalized, valued: ["db", "state-dir", "recipe", "limit", "output", "socket", "align"],
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
        let recipeWidth = HistoryText.recipeWidth(cooks, columns: terminalColumns())
        var text = HistoryText.header(recipeWidth: recipeWidth) + "\n"
        for cook in cooks { text += HistoryText.line(cook, recipeWidth: recipeWidth) + "\n" }
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
        Terminal.out(HistoryText.show(cook, width: terminalColumns(), color: Terminal.colorEnabled))
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
            let first = try load(args.positional[0], reader)
            let second = try load(args.positional[1], reader)
            let alignment = try alignment(args.value("align"))
            switch CookPlotting.offset(first, second, alignment) {
            case .success(let shift):
                let note = if case .stage(let index) = alignment { ", cook \(second.summary.id) aligned on stage \(index + 1)" } else { "" }
                picture = CookPlotting.compare(first, second, shiftingSecondBy: shift, note: note)
            case .failure(let problem):
                throw CommandFailure(message: "plot --align: \(problem)", code: .usage)
            }
        } else {
            picture = CookPlotting.plot(try oneCook(args, "plot", reader))
        }
        try PlotOutput.write(picture, to: output)
    }

    /// `--align start` or `--align stage:N` (N from 1, as `show` numbers stages).
    static func alignment(_ text: String?) throws(CommandFailure) -> CookPlotting.Alignment {
        guard let text, text != "start" else { return .start }
        guard text.hasPrefix("stage:"), let number = Int(text.dropFirst(6)), number >= 1, number <= Recipe.maxStages else {
            throw CommandFailure(message: "plot: --align takes start or stage:N (N a stage number, from 1)", code: .usage)
        }
        return .stage(number - 1)
    }

    private static func read<T>(_ body: () throws(SQLiteError) -> T) throws(CommandFailure) -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(message: "\(error)", code: .failure)
        }
    }
}

/// Writes a plot as SVG, or as PNG through rsvg-convert; `-` writes the SVG to standard output.
enum PlotOutput {
    static func write(_ picture: CookPlot, to path: String) throws(CommandFailure) {
        let svg = SVGRenderer.render(picture)
        let lower = path.lowercased()
        if path == "-" || lower.hasSuffix(".svg") {
            try Files.write(svg, to: path)
            return
        }
        guard lower.hasSuffix(".png") else { throw CommandFailure(message: "plot: \(path): the file must end in .svg or .png", code: .usage) }
        guard let converter = findConverter() else {
            throw CommandFailure(message: "plot: PNG needs rsvg-convert (Debian: apt-get install librsvg2-bin); write .svg instead", code: .failure)
        }
        // rsvg-convert writes the PNG to its standard output, which is the output file's replacement:
        // the refusal of what is not a regular file holds for PNG too.
        try OutputFile.write(to: path) { (descriptor) throws(CommandFailure) in
            try SVGConverter.convert(svg, with: converter, into: descriptor)
        }
    }

    /// `rsvg-convert` in a directory of `PATH` (an executable file), or nil.
    static func findConverter() -> String? {
        let path = DefaultPaths.environment("PATH") ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/rsvg-convert"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// Runs rsvg-convert on an SVG: spawned with an argument vector (no shell), the SVG on its standard
/// input and the PNG on its standard output, both files; its complaints kept for the message.
enum SVGConverter {
    /// How much of the converter's standard error a failure message quotes.
    static let maxQuotedErrorBytes = 2000

    static func convert(_ svg: String, with converter: String, into output: Int32) throws(CommandFailure) {
        let input = try scratchFile()
        defer { close(input) }
        let errors = try scratchFile()
        defer { close(errors) }
        guard writeFully(input, Array(svg.utf8)), lseek(input, 0, SEEK_SET) == 0 else {
            throw CommandFailure(message: "plot: cannot write the SVG for rsvg-convert: \(SystemError("write", errno: errno).reason)", code: .failure)
        }
        let arguments = [converter, "--format", "png", "--background-color", "white"]
        let status = try spawnAndWait(converter, arguments, stdin: input, stdout: output, stderr: errors)
        // waitpid's status word, decoded as the W* macros do (Swift cannot import them).
        let signal = status & 0x7F
        let exitCode = (status >> 8) & 0xFF
        guard signal != 0 || exitCode != 0 else { return }
        let said = complaint(errors)
        let ending = signal == 0 ? "exited with status \(exitCode)" : "was killed by signal \(signal)"
        throw CommandFailure(message: "plot: \(converter) \(ending)" + (said.isEmpty ? "" : ": \(said)"), code: .failure)
    }

    /// A file for one conversion in the temporary directory, already unlinked: nothing to clean up.
    private static func scratchFile() throws(CommandFailure) -> Int32 {
        let directory = DefaultPaths.environment("TMPDIR") ?? "/tmp"
        var template = Array("\(directory)/wokctl-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw CommandFailure(
                message: "plot: cannot make a scratch file in \(directory): \(SystemError("mkstemp", errno: errno).reason)", code: .failure)
        }
        unlink(template)
        // Only the converter gets it, as a standard descriptor; no other child inherits it.
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return descriptor
    }

    /// Starts `program` with the three descriptors as its standard input, output and error, and
    /// waits for it; returns waitpid's status word.
    private static func spawnAndWait(
        _ program: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32
    ) throws(CommandFailure) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, program, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandFailure(message: "plot: cannot run \(program): \(SystemError("posix_spawn", errno: spawned).reason)", code: .failure)
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            guard errno == EINTR else {
                throw CommandFailure(message: "plot: waiting for \(program): \(SystemError("waitpid", errno: errno).reason)", code: .failure)
            }
        }
        return status
    }

    /// The start of what the converter wrote on its standard error, on one line, escaped.
    private static func complaint(_ errors: Int32) -> String {
        guard lseek(errors, 0, SEEK_SET) == 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: maxQuotedErrorBytes)
        let count = bytes.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
        guard count > 0 else { return "" }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
        return DisplayText.escaped(lines.joined(separator: " | "))
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
