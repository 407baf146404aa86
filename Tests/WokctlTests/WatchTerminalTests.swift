import Foundation
import Testing

/// `wokctl watch` on a real pseudo-terminal against a real `wokd --simulate`: what a cook sees
/// at 120x40, 80x24 and 60x20, and the keys they steer with. The layout's finer cases are unit
/// tests of `WatchScreen` (WatchScreenTests); these check that the real program draws it, reads
/// the keys and leaves the terminal as it found it.
@Suite(.serialized) struct WatchTerminalTests {
    /// A stage that waits for the cook far longer than a test needs (3000 s of station time),
    /// so pressing a key never races the window closing.
    static let recipe = """
        {
          "schema": 1,
          "name": "Watch test",
          "serves": 1,
          "stages": [
            { "name": "Warm the wok", "heat": "medium", "advance": "confirm", "minSeconds": 5, "maxSeconds": 3000,
              "prompt": "Say when the wok is warm." },
            { "name": "Keep warm", "heat": "low", "advance": "time", "seconds": 3000 }
          ]
        }
        """

    /// A daemon with the test recipe started and waiting for the cook to confirm.
    static func waitingDaemon() throws -> DaemonProcess {
        let daemon = try DaemonProcess(speed: 20)
        let path = daemon.directory + "/watch-test.json"
        try recipe.write(toFile: path, atomically: true, encoding: .utf8)
        let started = try daemon.wokctl(["start", path])
        #expect(started.status == 0, "\(started.err)")
        try daemon.wait(stationSeconds: 600, "the confirm window") { $0.state == "waiting-for-cook" }
        return daemon
    }

    static func watch(_ daemon: DaemonProcess, columns: Int, rows: Int, extra: [String] = [], environment: [String: String] = [:]) throws
        -> PseudoTerminal
    {
        try PseudoTerminal(
            Wokctl.binary.path, ["watch", "--socket", daemon.socket] + extra, columns: columns, rows: rows, environment: environment)
    }

    static func untilSafeHold(_ daemon: DaemonProcess) throws -> Double {
        let stage = try #require(try daemon.status()["stage"] as? [String: Any])
        return try #require(stage["untilSafeHoldSeconds"] as? Double)
    }

    /// Every line of the last screen fits, and there are no more lines than rows.
    static func expectFits(_ screen: DrawnScreen, columns: Int, rows: Int) {
        #expect(screen.lines.count <= rows, "\(screen.lines.count) lines on \(rows) rows:\n\(screen.text)")
        for line in screen.lines {
            #expect(line.count < columns, "a line of \(line.count) on \(columns) columns: \(line)")
        }
    }

    @Test(arguments: [(120, 40), (80, 24), (60, 20)])
    func theEssentialsFitAndNextConfirms(size: (Int, Int)) throws {
        let (columns, rows) = size
        let daemon = try Self.waitingDaemon()
        let terminal = try Self.watch(daemon, columns: columns, rows: rows)
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true }, "\(terminal.text)")
        let screen = try #require(DrawnScreen(terminal.text))
        Self.expectFits(screen, columns: columns, rows: rows)
        let text = screen.text
        #expect(text.range(of: #"wok \d+\.\d °C"#, options: .regularExpression) != nil, "the temperature:\n\(text)")
        #expect(text.contains("target 170 °C"), "the target:\n\(text)")
        #expect(text.contains("stage 1/2 Warm the wok"), "the stage:\n\(text)")
        #expect(text.range(of: #"left \d+:\d\d to confirm"#, options: .regularExpression) != nil, "the countdown:\n\(text)")
        #expect(text.contains("n next"), "the keys:\n\(text)")

        // e gives the stage a minute more: the confirm window's countdown moves out by 60 s.
        let before = try Self.untilSafeHold(daemon)
        terminal.type("e")
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("extend: done") == true }, "the daemon's answer is shown")
        #expect(try Self.untilSafeHold(daemon) > before + 30)

        terminal.type("n")
        try daemon.wait(stationSeconds: 60, "the next stage") { $0.stageIndex == 1 }
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("next: done") == true }, "the daemon's answer is shown")
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("stage 2/2 Keep warm") == true })
        Self.expectFits(try #require(DrawnScreen(terminal.text)), columns: columns, rows: rows)
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func abortAsksAgainAndOnlyYesAborts() throws {
        let daemon = try Self.waitingDaemon()
        let terminal = try Self.watch(daemon, columns: 80, rows: 24)
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        terminal.type("a")
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("abort the cook? y/N") == true })
        terminal.type("x")
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("not aborted") == true })
        #expect(try daemon.status().state == "waiting-for-cook", "anything but y keeps the cook")
        terminal.type("a")
        terminal.type("y")
        try daemon.wait(stationSeconds: 60, "the abort") { $0.state == "idle" && $0.burner == "off" }
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("abort: done") == true })
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func quitLeavesTheCookRunningAndTheTerminalAsItWas() throws {
        let daemon = try Self.waitingDaemon()
        let terminal = try Self.watch(daemon, columns: 80, rows: 24)
        let before = terminal.initialModes
        #expect(before & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO))
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        #expect(try terminal.localModes() & tcflag_t(ICANON | ECHO) == 0, "keys are read one at a time, unechoed")
        terminal.type("q")
        #expect(terminal.wait { $0.exited() != nil })
        #expect(terminal.exited() == 0)
        #expect(try terminal.localModes() == before, "canonical input and echo are back")
        #expect(terminal.text.hasSuffix("\u{1B}[?25h\n") || terminal.text.hasSuffix("\u{1B}[?25h\r\n"), "the cursor is shown again")
        #expect(try daemon.status().state == "waiting-for-cook", "the cook goes on")
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func aSignalRestoresTheTerminalAndEndsAsTheSignalWould() throws {
        let daemon = try Self.waitingDaemon()
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            let terminal = try Self.watch(daemon, columns: 80, rows: 24)
            let before = terminal.initialModes
            #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
            kill(terminal.pid, signal)
            #expect(terminal.wait { $0.exited() != nil })
            #expect(terminal.exited() == 128 + signal)
            #expect(try terminal.localModes() == before, "signal \(signal) left the terminal raw")
        }
        #expect(try daemon.status().state == "waiting-for-cook")
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func ctrlZGivesTheTerminalBackAndFgTakesItAgain() throws {
        let daemon = try Self.waitingDaemon()
        let terminal = try Self.watch(daemon, columns: 80, rows: 24)
        let before = terminal.initialModes
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        terminal.type("\u{1A}")  // Ctrl-Z: the terminal sends SIGTSTP
        #expect(terminal.wait { (try? $0.localModes()) == before }, "suspended, the shell has its terminal as it was")
        var status: Int32 = 0
        #expect(waitpid(terminal.pid, &status, WUNTRACED) == terminal.pid && status & 0xFF == 0x7F, "stopped")
        kill(terminal.pid, SIGCONT)
        #expect(terminal.wait { ((try? $0.localModes()) ?? 0) & tcflag_t(ICANON | ECHO) == 0 }, "raw again after fg")
        terminal.type("q")
        #expect(terminal.wait { $0.exited() == 0 })
        #expect(try terminal.localModes() == before)
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func aSmallerWindowIsRedrawnToFit() throws {
        let daemon = try Self.waitingDaemon()
        let terminal = try Self.watch(daemon, columns: 120, rows: 40)
        #expect(terminal.wait { DrawnScreen($0.text)?.lines.count ?? 0 > 24 })
        terminal.resize(columns: 60, rows: 20)
        // Every frame drawn after the resize fits the new size.
        let mark = terminal.output.count
        #expect(terminal.wait { String(decoding: $0.output[mark...], as: UTF8.self).components(separatedBy: "\u{1B}[J").count > 3 })
        let after = String(decoding: terminal.output[mark...], as: UTF8.self)
        let screen = try #require(DrawnScreen(after))
        Self.expectFits(screen, columns: 60, rows: 20)
        #expect(screen.text.contains("stage 1/2 Warm the wok"))
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func noColorMeansNoColourAndNoBellMeansSilence() throws {
        let daemon = try Self.waitingDaemon()
        let coloured = try Self.watch(daemon, columns: 80, rows: 24)
        #expect(coloured.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        #expect(coloured.text.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) != nil, "colour by default")
        #expect(coloured.text.contains("\u{7}"), "the prompt rings the bell")

        let plain = try Self.watch(daemon, columns: 80, rows: 24, extra: ["--no-bell"], environment: ["NO_COLOR": "1"])
        #expect(plain.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        #expect(plain.text.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) == nil, "NO_COLOR: \(plain.text.debugDescription)")
        #expect(!plain.text.contains("\u{7}"), "--no-bell")
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        daemon.cleanUp()
    }

    @Test func aRestartedDaemonIsFoundAgain() throws {
        let first = try Self.waitingDaemon()
        let terminal = try Self.watch(first, columns: 80, rows: 24)
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("wokd not running, retrying") == true }, "\(terminal.text.suffix(2000))")
        #expect(terminal.exited() == nil, "it waits for wokd")

        let second = try DaemonProcess(speed: 20, socket: first.socket)
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("wokd: idle") == true }, "\(terminal.text.suffix(2000))")
        terminal.type("q")
        #expect(terminal.wait { $0.exited() == 0 })
        second.signal(SIGTERM)
        _ = second.waitForExit()
        second.cleanUp()
        first.cleanUp()
    }

    @Test func withoutATerminalOrWithNoReconnectItLeavesWhenWokdStops() throws {
        let daemon = try Self.waitingDaemon()
        let piped = try daemon.startWokctl(["watch"], output: daemon.directory + "/watch.txt")
        let terminal = try Self.watch(daemon, columns: 80, rows: 24, extra: ["--no-reconnect"])
        #expect(eventually { !fileText(daemon.directory + "/watch.txt").isEmpty })
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("YOUR TURN") == true })
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
        piped.waitUntilExit()
        #expect(piped.terminationStatus == 5)
        #expect(terminal.wait { $0.exited() != nil })
        #expect(terminal.exited() == 5)
        daemon.cleanUp()
    }

    @Test func simulateRedrawsItsLineInPlaceAtSixtyColumns() throws {
        let terminal = try PseudoTerminal(Wokctl.binary.path, ["simulate", "reheat"], columns: 60, rows: 20)
        #expect(terminal.wait(limitSeconds: 120) { $0.exited() != nil })
        #expect(terminal.exited() == 0)
        // The status line is redrawn after "\r ESC[2K" with no newline; event lines end in one.
        let redraws = terminal.text.components(separatedBy: "\r\u{1B}[2K").dropFirst().filter { !$0.contains("\n") && !$0.isEmpty }
        #expect(!redraws.isEmpty)
        for line in redraws {
            #expect(DrawnScreen.plain(line).count < 60, "the status line wraps: \(line)")
        }
    }
}

/// A socket that speaks just enough of the protocol to hand `watch` the lines a test chooses.
final class ScriptedDaemon {
    let path: String
    private let listener: Int32
    private var connections: [Int32] = []

    init(path: String) throws {
        self.path = path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    deinit {
        for connection in connections { close(connection) }
        close(listener)
        unlink(path)
    }

    /// Waits for the next connection and its first request, then answers with `lines`; the
    /// connection stays open. False if nobody came within the liveness limit.
    func serve(_ lines: [String], limitSeconds: Double = 60) -> Bool {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 1, Int32(limitSeconds * 1000)) == 1 else { return false }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return false }
        connections.append(connection)
        var request: [UInt8] = []
        var byte: UInt8 = 0
        while read(connection, &byte, 1) == 1, byte != UInt8(ascii: "\n") { request.append(byte) }
        let text = lines.map { $0 + "\n" }.joined()
        _ = text.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        return true
    }
}

extension WatchTerminalTests {
    /// The answer to `subscribe`: an idle station with one stage and no history.
    static func subscribed(state: String) -> String {
        #"{"v":1,"id":1,"result":{"state":"\#(state)","recipe":null,"stage":null,"stages":[],"targetC":null,"temperatureC":21.5,"reading":{"celsius":21.5,"trusted":true},"burner":"off","duty":0,"fault":null,"prompt":null,"interrupted":null,"timeSeconds":12,"station":"fake","simulated":true,"speed":1,"historyStore":null,"history":[]}}"#
    }

    @Test func badLinesFromTheSocketNeverEndTheWatch() throws {
        let directory = NSTemporaryDirectory() + "wok-garbled-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = try ScriptedDaemon(path: directory + "/control.sock")
        let terminal = try PseudoTerminal(Wokctl.binary.path, ["watch", "--socket", fake.path], columns: 60, rows: 20)
        // Not JSON after a good start; then a snapshot of a state no daemon has; then sense.
        #expect(fake.serve([Self.subscribed(state: "idle"), "\u{1B}[2J not json {{"]))
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("wokd sent something unreadable") == true }, "\(terminal.text.suffix(1500))")
        #expect(!terminal.text.contains("\u{1B}[2J not json"), "the daemon's bytes never reach the terminal raw")
        #expect(fake.serve([Self.subscribed(state: "idle"), #"{"v":1,"snapshot":{"state":"exploding"}}"#]))
        #expect(fake.serve([Self.subscribed(state: "done")]))
        #expect(terminal.wait { DrawnScreen($0.text)?.text.contains("wokd: done") == true }, "\(terminal.text.suffix(1500))")
        #expect(terminal.exited() == nil, "still watching")
        terminal.type("q")
        #expect(terminal.wait { $0.exited() == 0 })
    }
}
