import Foundation
import Testing
import WokDaemon
import WokSystem
import WokWire

/// A real `wokd --simulate` process in a private directory, driven as a person would: through
/// `wokctl` and the socket. Waiting is by polling the daemon (its station time runs at `speed`).
final class DaemonProcess {
    let directory: String
    let socket: String
    let stateDirectory: String
    let logPath: String
    let process = Process()
    let speed: Double

    static var wokd: URL { Wokctl.binary.deletingLastPathComponent().appendingPathComponent("wokd") }

    /// `socket` lets a second daemon come back where an earlier one served (a restart).
    init(
        speed: Double, extra: [String] = [], stateDirectory: String? = nil, environment: [String: String] = [:], socket: String? = nil
    ) throws {
        var template = Array("/tmp/wokd-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        directory = String(cString: made)
        self.socket = socket ?? directory + "/control.sock"
        self.stateDirectory = stateDirectory ?? directory + "/state"
        logPath = directory + "/wokd.log"
        self.speed = speed
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = Self.wokd
        process.arguments =
            [
                "--simulate", "--speed", String(speed), "--socket", self.socket, "--state-dir", self.stateDirectory,
                "--recipes", Wokctl.repositoryRoot.appendingPathComponent("recipes").path,
            ] + extra
        process.currentDirectoryURL = Wokctl.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Ready when it answers.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: self.socket), (try? status()) != nil { return }
            usleep(20_000)
        }
        throw DaemonTestError.notReady(log)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Removes the directory (not on failure, so the log can be read).
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func wokctl(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try Wokctl.run(arguments + ["--socket", socket])
    }

    func status() throws -> [String: Any] {
        let result = try wokctl(["status", "--json"])
        guard result.status == 0 else { throw DaemonTestError.failed("status", result.err) }
        return try Self.object(result.out)
    }

    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw DaemonTestError.failed("json", text)
        }
        return object
    }

    /// Polls status until `predicate` holds; station time runs at `speed`, so `stationSeconds`
    /// of cook become a short real wait.
    @discardableResult
    func wait(stationSeconds: Double, _ what: String, _ predicate: ([String: Any]) -> Bool) throws -> [String: Any] {
        // Generous: a liveness limit for a loaded host, not a measure of speed.
        let deadline = Date().addingTimeInterval(stationSeconds / speed * 4 + 30)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = try status()
            if predicate(last) { return last }
            usleep(30_000)
        }
        throw DaemonTestError.timedOut(what, "\(last)")
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; its exit status, or nil if it did not end in time.
    func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Starts `wokctl` without waiting for it (a watcher); its output goes to a file.
    func startWokctl(_ arguments: [String], output: String) throws -> Process {
        let child = Process()
        child.executableURL = Wokctl.binary
        child.arguments = arguments + ["--socket", socket]
        child.currentDirectoryURL = Wokctl.repositoryRoot
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        child.standardError = child.standardOutput
        try child.run()
        return child
    }
}

enum DaemonTestError: Error, CustomStringConvertible {
    case notReady(String)
    case failed(String, String)
    case timedOut(String, String)

    var description: String {
        switch self {
        case .notReady(let log): "wokd did not become ready:\n\(log)"
        case .failed(let what, let detail): "\(what) failed: \(detail)"
        case .timedOut(let what, let last): "timed out waiting for \(what); last status \(last)"
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    var state: String? { self["state"] as? String }
    var burner: String? { self["burner"] as? String }
    var stageIndex: Int? { (self["stage"] as? [String: Any])?["index"] as? Int }
}

/// Polls `condition` until it holds or `limitSeconds` pass: a liveness limit for a loaded host, not
/// a measure of speed (no test asserts how fast anything happens).
func eventually(limitSeconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limitSeconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

func fileText(_ path: String) -> String {
    (try? String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)) ?? ""
}
