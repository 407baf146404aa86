import Foundation
import Testing
import WokCore
import WokDaemon
import WokHistory
import WokSystem
import WokWire

/// Issue 15, "Text and files": what `wokctl` and `wokd` print is escaped, and `-o FILE` writes
/// regular files only. Each test runs the built `wokctl` on real files in a directory of its own.
@Suite struct TextAndFilesTests {
    /// A fresh directory for one test, removed by the caller's `defer`.
    static func scratchDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "wok-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `wokctl` in `directory` (default: the repository), with `PATH` replaced when given.
    static func wokctl(_ arguments: [String], in directory: String? = nil, path: String? = nil) throws -> (status: Int32, out: String, err: String) {
        var environment: [String: String]?
        if let path {
            environment = ProcessInfo.processInfo.environment
            environment?["PATH"] = path
        }
        return try runProcess(
            Wokctl.binary, arguments, in: directory.map { URL(fileURLWithPath: $0) } ?? Wokctl.repositoryRoot, environment: environment)
    }

    /// Control and bidi characters in `text` other than the line breaks between lines.
    static func refused(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0 != "\n" && DisplayText.isRefused($0) }.map(DisplayText.codePoint)
    }

    /// What is at `path`, from lstat (a symbolic link is not followed): "fifo", "symlink", ...
    static func fileType(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else { return "nothing" }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return "regular"
        case S_IFLNK: return "symlink"
        case S_IFDIR: return "directory"
        case S_IFIFO: return "fifo"
        case S_IFCHR: return "char"
        default: return "other"
        }
    }

    // MARK: Escaping

    @Test func theDaemonLogWritesEveryMessageOnOneLineWithControlsEscaped() {
        let line = StandardErrorLog.line(.warning, "stage 2 \"Brown\u{1B}[2J\": x\u{0}y\nsecond line\u{202E} \u{7F}\u{85}")
        #expect(line == "<4>stage 2 \"Brown\\x1b[2J\": x\\x00y | second line\\u{202E} \\x7f\\x85\n")
        #expect(StandardErrorLog.line(.info, "Thịt kho 180 °C") == "<6>Thịt kho 180 °C\n")
    }

    @Test func anErrorQuotingTheCommandLineIsEscaped() throws {
        let result = try Self.wokctl(["recipes", "show", "x\u{1B}]0;owned\u{07}"])
        #expect(result.status == 3)
        #expect(Self.refused(result.err).isEmpty, "\(result.err.debugDescription)")
        #expect(result.err.contains(#"no recipe "x\x1b]0;owned\x07""#), "\(result.err)")
    }

    @Test func historyAndShowEscapeTextFromTheDatabase() throws {
        let directory = try Self.scratchDirectory("escape")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/" + HistoryReader.fileName
        try VirtualDaemon.cook(into: database)
        // Rows as an older daemon (or anyone with write access) could have left them.
        let edit = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                "-c",
                """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                c.execute("UPDATE cooks SET recipe = 'Pork' || char(27) || ']0;owned' || char(7), station = 'Wok' || char(8238) || 'gnp', started_by = 'uid' || char(13) || 'root'")
                c.execute("UPDATE stages SET name = 'Brown' || char(27) || '[2J' WHERE stage_index = 1")
                c.execute("INSERT INTO events(cook_id, time_s, name, stage_index, message) VALUES (1, 5, 'held', 0, 'held' || char(27) || '[1A' || char(10) || 'fake line')")
                c.commit()
                """, database,
            ])
        #expect(edit.status == 0, "\(edit.err)")

        let history = try Self.wokctl(["history", "--db", database])
        #expect(history.status == 0, "\(history.err)")
        #expect(Self.refused(history.out).isEmpty, "\(history.out.debugDescription)")
        #expect(history.out.contains(#"Pork\x1b]0;owned\x07"#))

        let show = try Self.wokctl(["show", "last", "--db", database])
        #expect(show.status == 0, "\(show.err)")
        #expect(Self.refused(show.out).isEmpty, "\(show.out.debugDescription)")
        for shown in [#"Cook 1: Pork\x1b]0;owned\x07"#, #"by uid\rroot on Wok\u{202E}gnp"#, #"2 Brown\x1b[2J"#, #"held\x1b[1A\nfake line"#] {
            #expect(show.out.contains(shown), "missing \(shown)")
        }
    }

    @Test func historyWidensTheRecipeColumnToTheTerminal() throws {
        let directory = try Self.scratchDirectory("wide")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/" + HistoryReader.fileName
        try VirtualDaemon.cook(into: database)
        let name = "Stir-fried water spinach with garlic and fermented bean curd"
        let edit = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                "-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('UPDATE cooks SET recipe = ?', (sys.argv[2],))\nc.commit()",
                database, name,
            ])
        #expect(edit.status == 0, "\(edit.err)")
        func history(columns: Int) throws -> String {
            var environment = ProcessInfo.processInfo.environment
            environment["COLUMNS"] = String(columns)
            let result = try runProcess(Wokctl.binary, ["history", "--db", database], environment: environment)
            #expect(result.status == 0, "\(result.err)")
            return result.out
        }
        let wide = try history(columns: 160)
        #expect(wide.contains(name + "  "), "the whole name on a wide terminal:\n\(wide)")
        for line in wide.split(separator: "\n") { #expect(line.count <= 160) }
        let narrow = try history(columns: 80)
        #expect(narrow.contains(String(name.prefix(32)) + "  ") && !narrow.contains(name), "cut at 32 on a narrow one:\n\(narrow)")
    }

    // MARK: Output files

    enum Occupant: String, CaseIterable {
        case fifo, symlink, directory
    }

    @Test(arguments: Occupant.allCases)
    func traceRefusesWhatIsNotARegularFileAndLeavesItAlone(_ occupant: Occupant) throws {
        let directory = try Self.scratchDirectory("occupied")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/trace.csv"
        let target = directory + "/target.csv"
        switch occupant {
        case .fifo: #expect(mkfifo(path, 0o644) == 0)
        case .symlink:
            try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        case .directory: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()

        let result = try Self.wokctl(["simulate", "reheat", "--trace", path])
        #expect(result.status == 1)
        let kind = ["fifo": "a FIFO (named pipe)", "symlink": "a symbolic link", "directory": "a directory"][occupant.rawValue] ?? "?"
        #expect(result.err.contains("refusing to write \(path): it is \(kind), not a regular file"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before, "nothing added or removed")
        switch occupant {
        case .fifo: #expect(Self.fileType(path) == "fifo")
        case .symlink:
            #expect(Self.fileType(path) == "symlink")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == target)
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        case .directory:
            #expect(Self.fileType(path) == "directory")
            #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
        }
    }

    @Test func traceRefusesTheNullDevice() throws {
        #expect(Self.fileType("/dev/null") == "char")
        let result = try Self.wokctl(["simulate", "reheat", "--trace", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.err.contains("refusing to write /dev/null: it is a character device"), "\(result.err)")
        #expect(Self.fileType("/dev/null") == "char")
    }

    @Test func aRegularFileIsReplacedAndANewOneCreatedThroughAFreshTemporaryFile() throws {
        let directory = try Self.scratchDirectory("replace")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = directory + "/old.csv"
        try "previous contents\n".write(toFile: old, atomically: false, encoding: .utf8)
        // Someone guessed the temporary names an output file might use: they are never opened.
        for name in ["old.csv", "new.csv"] {
            try "victim\n".write(toFile: "\(directory)/\(name).victim", atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/\(name).tmp", withDestinationPath: "\(directory)/\(name).victim")
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()

        for name in ["old.csv", "new.csv"] {
            let result = try Self.wokctl(["simulate", "reheat", "--trace", "\(directory)/\(name)"])
            #expect(result.status == 0, "\(result.err)")
            let written = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
            #expect(written.hasPrefix("time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events\n"))
            #expect(Self.fileType("\(directory)/\(name)") == "regular")
            let mode = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")[.posixPermissions] as? Int
            #expect(mode.map { $0 & 0o600 } == 0o600 && mode.map { $0 & 0o022 } == 0, "mode \(String(mode ?? 0, radix: 8))")
            #expect(try String(contentsOfFile: "\(directory)/\(name).victim", encoding: .utf8) == "victim\n")
            #expect(Self.fileType("\(directory)/\(name).tmp") == "symlink")
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(after == (before + ["new.csv"]).sorted(), "no temporary file left behind")
    }

    @Test func aDashWritesStandardOutputAndNoFile() throws {
        let directory = try Self.scratchDirectory("dash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipes = Wokctl.repositoryRoot.appendingPathComponent("recipes").path
        let result = try Self.wokctl(["simulate", "reheat", "--recipe-dir", recipes, "--trace", "-"], in: directory)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events\n0.00,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    // MARK: PNG through rsvg-convert, without Foundation

    @Test func aPNGIsRefusedOnASymlinkAndItsTargetLeftAlone() throws {
        let directory = try Self.scratchDirectory("png-link")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/target.png"
        try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/plot.png", withDestinationPath: target)

        let result = try Self.wokctl(["simulate", "reheat", "--plot", directory + "/plot.png"])
        #expect(result.status == 1)
        #expect(result.err.contains("refusing to write \(directory)/plot.png: it is a symbolic link"), "\(result.err)")
        #expect(Self.fileType(directory + "/plot.png") == "symlink")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["plot.png", "target.png"])
    }

    @Test func aFailingConverterIsReportedWithItsStatusAndWhatItSaidAndNothingIsWritten() throws {
        let directory = try Self.scratchDirectory("png-fail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A stand-in converter that reads its input, complains (with a terminal escape) and fails.
        let converter = directory + "/rsvg-convert"
        try "#!/bin/sh\ncat >/dev/null\nprintf 'cannot render \\033[31mthis\\n' >&2\nexit 3\n".write(
            toFile: converter, atomically: false, encoding: .utf8)
        #expect(chmod(converter, 0o755) == 0)
        let output = directory + "/plot.png"

        let result = try Self.wokctl(["simulate", "reheat", "--plot", output], path: directory + ":/usr/bin:/bin")
        #expect(result.status == 1)
        #expect(result.err.contains("plot: \(converter) exited with status 3: cannot render \\x1b[31mthis"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["rsvg-convert"], "no PNG, no temporary file")
    }

    @Test func wokctlImportsNoFoundation() throws {
        let sources = Wokctl.repositoryRoot.appendingPathComponent("Sources/wokctl").path
        for name in try FileManager.default.contentsOfDirectory(atPath: sources) where name.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + name, encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.contains(" import ") }
            #expect(!imports.contains { $0.contains("Foundation") }, "\(name) imports Foundation")
        }
    }
}
