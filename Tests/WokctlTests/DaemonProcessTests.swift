import Foundation
import Testing
import WokClient
import WokCore
import WokDaemon
import WokSystem
import WokWire

/// The real daemon, steered only through `wokctl` and its socket. Serialized: each test owns
/// the machine's attention, so timing checks measure the daemon, not its neighbours.
@Suite(.serialized) struct DaemonProcessTests {
    @Test func aWholeCookRunsFromStartToDoneWhileWatchersAndPollersAreServed() throws {
        let daemon = try DaemonProcess(speed: 60)
        let watcherA = try daemon.startWokctl(["watch", "--json"], output: daemon.directory + "/watch-a.txt")
        let watcherB = try daemon.startWokctl(["watch"], output: daemon.directory + "/watch-b.txt")
        // Both watchers have subscribed (each printed its first view) before anything happens.
        #expect(eventually { !fileText(daemon.directory + "/watch-a.txt").isEmpty && !fileText(daemon.directory + "/watch-b.txt").isEmpty })

        let start = try daemon.wokctl(["start", "caramelised-pork-mince"])
        #expect(start.status == 0, "\(start.err)")

        // A few clients poll status ten times a second until the cook is done; every request must
        // be answered (fifty, in virtual time, are RunnerTests' job).
        let pollers = PollerGroup(socket: daemon.socket, count: 5)
        pollers.start()

        try daemon.wait(stationSeconds: 600, "the caramel to wait for the cook") { $0.state == "waiting-for-cook" && $0.stageIndex == 1 }
        let next = try daemon.wokctl(["next"])
        #expect(next.status == 0, "\(next.err)")
        try daemon.wait(stationSeconds: 60, "the pork stage") { $0.stageIndex == 2 }
        #expect(try daemon.wokctl(["hold"]).status == 0)
        let held = try daemon.wait(stationSeconds: 5, "holding") { $0.state == "holding" }
        #expect(held.burner != nil)
        #expect(try daemon.wokctl(["hold"]).status == 7, "holding twice is refused")
        #expect(try daemon.wokctl(["resume"]).status == 0)
        try daemon.wait(stationSeconds: 900, "the cook to finish") { $0.state == "done" }
        let done = try daemon.status()
        #expect(done.burner == "off")
        // No bound on the wall time here: a busy host may run it slower. The loop's punctuality
        // under load is the embedded runner's test (RunnerTests) and the benchmark's figure.

        let served = pollers.stop()
        #expect(served.failures == [], "pollers saw errors")
        #expect(served.answered == served.sent, "every status request got its answer")
        #expect(served.answered >= 5, "the pollers ran during the cook")

        #expect(
            eventually {
                fileText(daemon.directory + "/watch-a.txt").contains("cook-completed")
                    && fileText(daemon.directory + "/watch-b.txt").contains("done;")
            })
        watcherA.terminate()
        watcherB.terminate()
        watcherA.waitUntilExit()
        watcherB.waitUntilExit()

        // The JSON watcher saw every stage start, in order, and the end, with station times.
        let lines = try String(contentsOfFile: daemon.directory + "/watch-a.txt", encoding: .utf8).split(separator: "\n")
        var stageStarts: [(index: Int, seconds: Double)] = []
        var completed = false
        for line in lines {
            let object = try DaemonProcess.object(String(line))
            guard let event = object["event"] as? [String: Any] else { continue }
            if event["name"] as? String == "stage-started", let index = event["stageIndex"] as? Int, let time = event["timeSeconds"] as? Double {
                stageStarts.append((index, time))
            }
            if event["name"] as? String == "cook-completed" { completed = true }
        }
        #expect(stageStarts.map(\.index) == [0, 1, 2, 3, 4, 5])
        #expect(completed)
        // The cook's timing is the recipe's, load or no load: "Aromatics" runs 60 s of station time.
        if stageStarts.count == 6 {
            let aromatics = stageStarts[4].seconds - stageStarts[3].seconds
            #expect(abs(aromatics - 60) <= 1.5, "aromatics took \(aromatics) s")
            let sauce = stageStarts[5].seconds - stageStarts[4].seconds
            #expect(abs(sauce - 90) <= 1.5, "sauce took \(sauce) s")
        }
        // The plain watcher printed one line per change, prompts marked.
        let plain = try String(contentsOfFile: daemon.directory + "/watch-b.txt", encoding: .utf8)
        #expect(plain.contains(">>> "))
        #expect(plain.contains("done;"))
        #expect(!plain.contains("\u{1B}["), "no terminal codes when not on a terminal")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func abortMidStageTurnsTheBurnerOffBeforeTheAnswer() throws {
        let daemon = try DaemonProcess(speed: 20)
        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        try daemon.wait(stationSeconds: 30, "the burner to light") { $0.burner == "on" }
        let abort = try daemon.wokctl(["abort", "--json"])
        #expect(abort.status == 0, "\(abort.err)")
        let answer = try DaemonProcess.object(abort.out)
        #expect(answer.burner == "off")
        #expect(answer.state == "idle")
        #expect(try daemon.wokctl(["abort"]).status == 7, "nothing left to abort")
        #expect(daemon.log.contains("aborted the cook; burner off"))
        // A recipe by a path: wokctl reads it and sends its text, labelled with the file's name.
        let byPath = try daemon.wokctl(["start", "recipes/reheat.json", "--json"])
        #expect(byPath.status == 0, "\(byPath.err)")
        #expect(try DaemonProcess.object(byPath.out)["recipe"] as? String == "Reheat caramelised pork mince")
        #expect(daemon.log.contains("(reheat.json)"))
        #expect(try daemon.wokctl(["start", "reheat"]).status == 7, "a cook is already running")
        #expect(try daemon.wokctl(["abort"]).status == 0)
        #expect(try daemon.wokctl(["start", "no-such-dish"]).status == 3, "an unknown recipe is invalid input")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func aPlannedStopPressAbortsTheCookWithTheBurnerOff() throws {
        // The simulated stop button is pressed 30 s into the cook, during the preheat.
        let daemon = try DaemonProcess(speed: 20, extra: ["--press", "stop@30"])
        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        let stopped = try daemon.wait(stationSeconds: 60, "the stop press") { $0.state == "idle" }
        #expect(stopped.burner == "off")
        #expect(daemon.log.contains("button stop aborted the cook"))
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func aFaultTurnsTheBurnerOffAndLatchesUntilItsCauseIsGone() throws {
        // The thermocouple comes loose 20 s into the cook and is plugged back 30 s later.
        let daemon = try DaemonProcess(speed: 20, extra: ["--fault", "sensor-open@20+30"])
        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        let faulted = try daemon.wait(stationSeconds: 60, "the fault") { $0.state == "fault" }
        #expect(faulted.burner == "off")
        let fault = try #require(faulted["fault"] as? [String: Any])
        #expect(["sensor-open", "sensor-range"].contains(fault["kind"] as? String))
        #expect((faulted["prompt"] as? String)?.contains("wokctl ack") == true)
        let ack = try daemon.wokctl(["ack"])
        #expect(ack.status == 7, "refused while the thermocouple is still open")
        #expect(ack.err.contains("still present"))
        #expect(try daemon.wokctl(["start", "reheat"]).status == 7, "no new cook while a fault is latched")
        #expect(daemon.log.contains("<3>FAULT"), "faults are logged at error priority")
        // Once the probe is back, a person's acknowledgement clears the latch and cooking may start.
        let deadline = Date().addingTimeInterval(60 / daemon.speed + 10)
        var acknowledged = false
        while !acknowledged && Date() < deadline {
            acknowledged = try daemon.wokctl(["ack"]).status == 0
            if !acknowledged { usleep(50_000) }
        }
        #expect(acknowledged)
        let cleared = try daemon.status()
        #expect(cleared["fault"] is NSNull)
        #expect(cleared.burner == "off", "acknowledging never lights the burner")
        #expect(try daemon.wokctl(["start", "reheat"]).status == 0)
        #expect(daemon.log.contains("acknowledged the fault"))
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func garbageAndClientsThatNeverReadDoNotDisturbAnyoneElse() throws {
        let daemon = try DaemonProcess(speed: 20)
        // A watcher that subscribes and then never reads a byte.
        let silent = try ControlClient(path: daemon.socket)
        try silent.send(ControlRequest(id: 1, method: .subscribe).line)
        // A client that connects and says nothing at all.
        let mute = try ControlClient(path: daemon.socket)
        _ = mute

        let rude = try ControlClient(path: daemon.socket)
        try rude.send("hello?")
        try rude.send("{\"method\": \"status\"")
        try rude.send("{\"v\": 9, \"id\": 4, \"method\": \"status\"}")
        try rude.send("{\"id\": 5, \"method\": \"start\", \"params\": {\"recipe\": \"../../etc/shadow\"}}")
        for expected in ["parse-error", "parse-error", "unsupported-version", "invalid-request"] {
            let line = try #require(try rude.readLine(timeoutSeconds: 5))
            #expect(line.contains(expected), "\(line)")
        }
        // Bytes that are not UTF-8 and a line far over the limit: answered, then hung up on.
        try rude.send(String(decoding: [0xFF, 0xFE, 0x00, 0x7B], as: UTF8.self))
        #expect(try rude.readLine(timeoutSeconds: 5)?.contains("parse-error") == true)
        try rude.send(String(repeating: "x", count: ControlProtocol.maxRequestBytes + 10))
        #expect(try rude.readLine(timeoutSeconds: 5)?.contains("request-too-large") == true)
        #expect(throws: ControlClientError.self) { while try rude.readLine(timeoutSeconds: 5) != nil {} }

        // Everyone else is served, and a cook runs normally.
        #expect(try daemon.wokctl(["start", "reheat"]).status == 0)
        try daemon.wait(stationSeconds: 120, "the reheat to get going") { $0.stageIndex != nil && $0.burner == "on" }
        let status = try daemon.status()
        #expect(status.state == "preheating" || status.state == "cooking")
        #expect(try daemon.wokctl(["abort"]).status == 0)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func sigtermDuringACookTurnsTheBurnerOffAndARestartOffersTheInterruptedCook() throws {
        let stateDirectory = NSTemporaryDirectory() + "wokd-state-\(getpid())-term"
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let first = try DaemonProcess(speed: 20, stateDirectory: stateDirectory)
        #expect(try first.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        try first.wait(stationSeconds: 30, "the burner to light") { $0.burner == "on" }
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        let log = first.log
        #expect(log.contains("burner off; stopping (SIGTERM)"))
        #expect(log.contains("the cook is interrupted"))
        first.cleanUp()

        let second = try DaemonProcess(speed: 20, stateDirectory: stateDirectory)
        let status = try second.status()
        #expect(status.state == "idle")
        #expect(status.burner == "off")
        let interrupted = try #require(status["interrupted"] as? [String: Any])
        #expect(interrupted["stageIndex"] as? Int == 0)
        #expect(second.log.contains("was interrupted"))
        // It stays off by itself...
        usleep(500_000)
        #expect(try second.status().burner == "off")
        // ...until a person resumes it.
        let resume = try second.wokctl(["resume", "--json"])
        #expect(resume.status == 0, "\(resume.err)")
        #expect(try DaemonProcess.object(resume.out).stageIndex == 0)
        #expect(try second.wokctl(["abort"]).status == 0)
        second.signal(SIGTERM)
        #expect(second.waitForExit() == 0)
        second.cleanUp()
    }

    @Test func killNineMidCookComesBackWithTheBurnerOffAndTheCookInterruptedAtItsStage() throws {
        let stateDirectory = NSTemporaryDirectory() + "wokd-state-\(getpid())-kill"
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let first = try DaemonProcess(speed: 60, stateDirectory: stateDirectory)
        #expect(try first.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        try first.wait(stationSeconds: 600, "the caramel") { $0.state == "waiting-for-cook" }
        #expect(try first.wokctl(["next"]).status == 0)
        try first.wait(stationSeconds: 60, "the pork") { $0.stageIndex == 2 && $0.burner == "on" }
        first.signal(SIGKILL)
        #expect(first.waitForExit() != nil)
        first.cleanUp()

        let second = try DaemonProcess(speed: 60, stateDirectory: stateDirectory)
        let status = try second.status()
        #expect(status.burner == "off")
        #expect(status.state == "idle")
        let interrupted = try #require(status["interrupted"] as? [String: Any])
        #expect(interrupted["stageIndex"] as? Int == 2)
        #expect(interrupted["stageName"] as? String == "Brown the pork")
        second.signal(SIGTERM)
        #expect(second.waitForExit() == 0)
        second.cleanUp()
    }

    @Test func onlyTheSocketsOwnerAndGroupMayTalkAndChange() throws {
        // Needs root to act as other users (the tests run as root here and in CI).
        try #require(getuid() == 0, "this test switches users with runuser, which needs root")
        let station = NSTemporaryDirectory() + "wokd-station-\(getpid()).json"
        try #"{"schema": 1, "daemon": {"group": "nogroup"}}"#.write(toFile: station, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: station) }
        let daemon = try DaemonProcess(speed: 20, extra: ["--config", station])
        chmod(daemon.directory, 0o755)
        var info = stat()
        #expect(stat(daemon.socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        #expect(info.st_gid == 65534, "the socket belongs to the station's group")

        func wokctl(as user: String, _ arguments: [String]) throws -> (status: Int32, err: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", Wokctl.binary.path] + arguments + ["--socket", daemon.socket]
            process.currentDirectoryURL = Wokctl.repositoryRoot
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        // nobody's group is nogroup: it may watch and steer.
        #expect(try wokctl(as: "nobody", ["status"]).status == 0)
        #expect(try wokctl(as: "nobody", ["start", "reheat"]).status == 0)
        #expect(daemon.log.contains("uid 65534 (nobody)"), "the log says who started the cook")
        // The daemon user is in neither: the kernel refuses the connection.
        let outsider = try wokctl(as: "daemon", ["abort"])
        #expect(outsider.status == 6)
        #expect(outsider.err.contains("permission denied"))
        #expect(try daemon.status().state != "idle", "the outsider changed nothing")
        #expect(try daemon.wokctl(["abort"]).status == 0)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func aMemberOfTheStationsGroupMaySteerWhereverTheGroupStandsInItsList() throws {
        // `users` (gid 100) is the station's group; nobody's primary group is not it.
        let station = NSTemporaryDirectory() + "wokd-station-groups-\(getpid()).json"
        try #"{"schema": 1, "daemon": {"group": "users"}}"#.write(toFile: station, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: station) }
        let daemon = try DaemonProcess(speed: 20, extra: ["--config", station])
        chmod(daemon.directory, 0o755)
        func wokctl(groups: String, _ arguments: [String]) throws -> Int32 {
            try runAsNobody(["--groups=\(groups)"], Wokctl.binary.path, arguments).status
        }
        // Options before the verb, as a person may type them.
        for groups in ["100", "100,27", "27,100"] {
            #expect(try wokctl(groups: groups, ["--socket", daemon.socket, "start", "reheat"]) == 0, "groups \(groups)")
            #expect(try wokctl(groups: groups, ["--socket", daemon.socket, "abort"]) == 0, "groups \(groups)")
        }
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func aSecondDaemonOnTheSameStateDirectoryRefusesAndTouchesNothing() throws {
        let first = try DaemonProcess(speed: 20)
        #expect(try first.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        try first.wait(stationSeconds: 30, "the burner to light") { $0.burner == "on" }
        let record = first.stateDirectory + "/current-cook.json"
        let before = try String(contentsOfFile: record, encoding: .utf8)
        let second = Process()
        second.executableURL = DaemonProcess.wokd
        second.arguments = ["--simulate", "--socket", first.directory + "/other.sock", "--state-dir", first.stateDirectory]
        let errors = Pipe()
        second.standardError = errors
        try second.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        #expect(said.contains("another wokd (pid \(first.process.processIdentifier)) already owns"), "\(said)")
        #expect(try String(contentsOfFile: record, encoding: .utf8) == before, "the first one's record is untouched")
        #expect(!FileManager.default.fileExists(atPath: first.directory + "/other.sock"))
        // Signals that ask nothing of wokd do not end it, nor the cook.
        for number in [SIGUSR1, SIGUSR2, SIGALRM] { first.signal(number) }
        #expect(eventually { first.log.contains("SIGUSR1 received and ignored") })
        let status = try first.status()
        #expect(status.burner == "on" && status.state != "idle")
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        first.cleanUp()
    }

    /// A user with no runtime directory falls back to /tmp/wokd-UID. When someone else made that
    /// folder first (here root, mode 0777, with a listening socket in it), wokctl looks past it to
    /// the system daemon's socket, and wokd refuses to use it.
    @Test func aFallbackFolderSomeoneElseMadeIsNeitherTrustedNorUsed() throws {
        let folder = "/tmp/wokd-65534"
        try? FileManager.default.removeItem(atPath: folder)
        #expect(mkdir(folder, 0o777) == 0)
        chmod(folder, 0o777)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fake = try FakeListener(path: folder + "/control.sock")
        chmod(fake.path, 0o777)

        func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, err: String) {
            // No XDG_RUNTIME_DIR, HOME or WOKD_SOCKET: the fallback is all that is left.
            let result = try runAsNobody(["--clear-groups"], program, arguments, environment: ["PATH": "/usr/bin:/bin"])
            return (result.status, result.err)
        }
        let status = try run(Wokctl.binary.path, ["status"])
        // Not running (5), or there but closed to nobody (6): either way the system daemon's place.
        #expect(status.status == 5 || status.status == 6)
        #expect(status.err.contains("/run/wokd/control.sock"), "it looked past the folder to the system daemon: \(status.err)")
        #expect(fake.acceptedAny == false, "the fake socket was never connected to")
        let daemon = try run(DaemonProcess.wokd.path, ["--simulate"])
        #expect(daemon.status == 1)
        #expect(daemon.err.contains(folder) && daemon.err.contains("not to you"), "\(daemon.err)")
    }

    @Test func watchOnATerminalRedrawsInPlaceWithTheStagesAndTheLoudPrompt() throws {
        let daemon = try DaemonProcess(speed: 50)
        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        // The caramel asks the cook to add the sugar: a prompt to show loudly.
        try daemon.wait(stationSeconds: 300, "the caramel") { $0.stageIndex == 1 && $0["prompt"] is String }
        // `script` gives watch a pseudo-terminal, as a person's terminal would.
        let transcript = daemon.directory + "/typescript"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qc", "stty cols 100 rows 50; exec \(Wokctl.binary.path) watch --socket \(daemon.socket)", transcript]
        process.currentDirectoryURL = Wokctl.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Several redraws and the prompt, however slowly a loaded host gets there.
        #expect(
            eventually {
                let text = fileText(transcript)
                return text.components(separatedBy: "\u{1B}[H").count > 3 && text.contains("YOUR TURN")
            })
        process.terminate()
        process.waitUntilExit()
        let screen = try String(decoding: Data(contentsOf: URL(fileURLWithPath: transcript)), as: UTF8.self)
        #expect(screen.components(separatedBy: "\u{1B}[H").count > 3, "it redraws in place, several times a second")
        #expect(screen.contains("✓ 1. Preheat the wok"))
        #expect(screen.contains("▶ 2. Caramel"))
        #expect(screen.contains("YOUR TURN"))
        #expect(screen.contains("\u{7}"), "a new prompt rings the bell")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func wokctlSaysClearlyWhenTheDaemonIsNotRunning() throws {
        let result = try Wokctl.run(["status", "--socket", "/tmp/no-such-wokd-\(getpid())/control.sock"])
        #expect(result.status == 5)
        #expect(result.err.contains("wokd is not running"))
    }

    @Test func aSecondDaemonRefusesASocketThatIsServed() throws {
        let daemon = try DaemonProcess(speed: 1)
        let second = Process()
        second.executableURL = DaemonProcess.wokd
        second.arguments = ["--simulate", "--socket", daemon.socket, "--state-dir", daemon.directory + "/other"]
        let errors = Pipe()
        second.standardError = errors
        try second.run()
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("another wokd"))
        #expect(try daemon.status().state == "idle", "the first one still serves")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }
}

/// Clients that poll `status` in a loop on their own threads.
final class PollerGroup: @unchecked Sendable {
    private let socket: String
    private let count: Int
    private let lock = NSLock()
    private var running = true
    private var sent = 0
    private var answered = 0
    private var failures: [String] = []
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    init(socket: String, count: Int) {
        self.socket = socket
        self.count = count
    }

    func start() {
        for _ in 0..<count {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                do {
                    let client = try ControlClient(path: socket)
                    while isRunning {
                        bump(sent: 1)
                        switch try client.request(.status, timeoutSeconds: 10) {
                        case .success: bump(answered: 1)
                        case .failure(let error): record(error.description)
                        }
                        usleep(100_000)
                    }
                } catch {
                    record("\(error)")
                }
            }
            threads.append(thread)
            thread.start()
        }
    }

    private var isRunning: Bool { lock.withLock { running } }
    private func bump(sent: Int = 0, answered: Int = 0) {
        lock.withLock {
            self.sent += sent
            self.answered += answered
        }
    }
    private func record(_ failure: String) { lock.withLock { failures.append(failure) } }

    func stop() -> (sent: Int, answered: Int, failures: [String]) {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { (sent, answered, failures) }
    }
}

@Suite struct HelpTests {
    @Test(arguments: ["status", "watch", "start", "next", "hold", "resume", "abort", "ack", "simulate", "recipes", "hw"])
    func everyCommandExplainsItself(verb: String) throws {
        let result = try Wokctl.run([verb, "--help"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("Usage: wokctl \(verb)"), "\(result.out.prefix(80))")
    }

    @Test func wokdExplainsItselfAndRefusesNonsense() throws {
        let help = Process()
        help.executableURL = DaemonProcess.wokd
        help.arguments = ["--help"]
        let output = Pipe()
        help.standardOutput = output
        try help.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        help.waitUntilExit()
        #expect(help.terminationStatus == 0)
        #expect(text.hasPrefix("Usage: wokd"))

        for (arguments, status, words) in [
            (["--bogus"], Int32(2), "unknown option --bogus"),
            (["--speed", "5"], 2, "only applies with --simulate"),
            (["--simulate", "--speed", "fast"], 2, "--speed must be a number"),
            (["--simulate", "--fault", "meltdown@3"], 2, "unknown fault kind"),
            (["--simulate", "--press", "jump@3"], 2, "\"jump\" is not a button"),
            (["--press", "next@3"], 2, "--press only applies with --simulate"),
            (["--config", "/nonexistent/station.json"], 3, "station file"),
            (
                [
                    "--config", Wokctl.repositoryRoot.appendingPathComponent("config/station.json").path, "--socket",
                    "/tmp/wokd-nodev-\(getpid()).sock",
                ], 1, "cannot open the station's devices"
            ),
        ] {
            let process = Process()
            process.executableURL = DaemonProcess.wokd
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == status, "\(arguments): \(message)")
            #expect(message.contains(words), "\(arguments): \(message)")
        }
    }
}

/// A listening Unix socket that never answers: whoever connects to it is visible.
final class FakeListener {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
    }

    /// Whether a connection waits to be accepted (someone connected).
    var acceptedAny: Bool {
        let connection = accept(descriptor, nil, nil)
        if connection >= 0 { close(connection) }
        return connection >= 0
    }

    deinit {
        close(descriptor)
        unlink(path)
    }
}

/// Runs a program as nobody (uid and gid 65534) with the given `setpriv` group options.
func runAsNobody(
    _ groups: [String], _ program: String, _ arguments: [String], environment: [String: String]? = nil
) throws -> (status: Int32, out: String, err: String) {
    try runProcess(
        URL(fileURLWithPath: "/usr/bin/setpriv"), ["--reuid=65534", "--regid=65534"] + groups + ["--", program] + arguments,
        in: Wokctl.repositoryRoot, environment: environment)
}
