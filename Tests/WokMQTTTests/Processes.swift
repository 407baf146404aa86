import Foundation
import Testing

/// The built products beside the test runner (`wokd`, `wokctl`, `wokmqtt`), and the repository.
enum Built {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func product(_ name: String) -> String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/\(name)").path
    }
}

enum ProcessTestError: Error, CustomStringConvertible {
    case notReady(String, String)
    case failed(String)

    var description: String {
        switch self {
        case .notReady(let what, let log): "\(what) did not become ready:\n\(log)"
        case .failed(let what): what
        }
    }
}

/// Starts a program with stdout and stderr in a file.
func launch(_ path: String, _ arguments: [String], log: String, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = Built.repositoryRoot
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NOTIFY_SOCKET")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    handle.seekToEndOfFile()
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
}

/// Signals a process and waits for it to end, by polling: Foundation's `waitUntilExit` can spin
/// forever off the main thread when the child has already gone.
func stop(_ process: Process, signal number: Int32 = SIGTERM) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, number)
    _ = eventually(limitSeconds: 30) { !process.isRunning }
}

func runToEnd(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    _ = eventually(limitSeconds: 30) { !process.isRunning }
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

func fileText(_ path: String) -> String {
    (try? String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)) ?? ""
}

/// A port nobody listens on now (the kernel's choice for a socket bound to port 0).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Debian's `mosquitto` on 127.0.0.1, no persistence: the broker of one test. Anonymous, or
/// `secured`: users with passwords and the ACL shipped in config/mosquitto-wok.acl.
final class Broker {
    let port: Int
    let directory: String
    let secured: Bool
    private(set) var process: Process?
    /// Users of a secured broker: two stations and Home Assistant.
    static let passwords = ["test": "test-secret", "other": "other-secret", "homeassistant": "ha-secret"]

    init(directory: String, port: Int = freePort(), secured: Bool = false) throws {
        self.port = port
        self.directory = directory
        self.secured = secured
        try start()
    }

    /// mosquitto_pub and mosquitto_sub's arguments to log in as `user` (none when anonymous).
    func login(_ user: String = "homeassistant") -> [String] {
        guard secured else { return ["-p", "\(port)"] }
        return ["-p", "\(port)", "-u", user, "-P", Self.passwords[user] ?? ""]
    }

    func start() throws {
        let config = directory + "/mosquitto.conf"
        var text = "listener \(port) 127.0.0.1\npersistence false\n"
        if secured {
            // mosquitto drops root for its own user before reading these: let it in.
            chmod(directory, 0o755)
            let passwords = directory + "/passwd"
            try "".write(toFile: passwords, atomically: true, encoding: .utf8)
            for (user, password) in Self.passwords {
                let made = try runToEnd("/usr/bin/mosquitto_passwd", ["-b", passwords, user, password])
                guard made.status == 0 else { throw ProcessTestError.failed("mosquitto_passwd: \(made.err)") }
            }
            let acl = directory + "/wok.acl"
            try fileText(Built.repositoryRoot.appendingPathComponent("config/mosquitto-wok.acl").path).write(
                toFile: acl, atomically: true, encoding: .utf8)
            chmod(passwords, 0o644)
            chmod(acl, 0o644)
            text += "allow_anonymous false\npassword_file \(passwords)\nacl_file \(acl)\n"
        } else {
            text += "allow_anonymous true\n"
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let binary = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "mosquitto"
        process = try launch(binary, ["-c", config], log: directory + "/mosquitto.log")
        let ready = eventually(limitSeconds: 30) {
            (try? runToEnd("/usr/bin/mosquitto_pub", login() + ["-t", "homeassistant/probe", "-m", "x"]))?.status == 0
        }
        guard ready else { throw ProcessTestError.notReady("mosquitto", fileText(directory + "/mosquitto.log")) }
    }

    func kill() {
        if let process { stop(process, signal: SIGKILL) }
        process = nil
    }

    deinit { kill() }

    /// Publishes one message as a client would (Home Assistant pressing a button).
    func publish(_ topic: String, _ payload: String, retain: Bool = false, as user: String = "homeassistant") throws {
        var arguments = login(user) + ["-q", "1", "-t", topic, "-m", payload]
        if retain { arguments.append("-r") }
        let result = try runToEnd("/usr/bin/mosquitto_pub", arguments)
        guard result.status == 0 else { throw ProcessTestError.failed("mosquitto_pub: \(result.err)") }
    }
}

/// `mosquitto_sub` writing every message it sees, one a line: `topic payload`.
final class Subscriber {
    let process: Process
    let path: String

    init(broker: Broker, topics: [String], name: String) throws {
        path = broker.directory + "/\(name).txt"
        var arguments = broker.login() + ["-v", "-q", "1"]
        for topic in topics { arguments += ["-t", topic] }
        process = try launch("/usr/bin/mosquitto_sub", arguments, log: path)
    }

    // SIGKILL: a watcher needs no goodbye, and mosquitto_sub started from the test runner does
    // not always end on SIGTERM.
    deinit { stop(process, signal: SIGKILL) }

    var lines: [Substring] { fileText(path).split(separator: "\n") }

    /// The payloads seen on `topic`, in order.
    func payloads(_ topic: String) -> [String] {
        lines.compactMap { line in line.hasPrefix(topic + " ") ? String(line.dropFirst(topic.count + 1)) : nil }
    }

    /// The JSON payloads seen on `topic`.
    func objects(_ topic: String) -> [[String: Any]] {
        payloads(topic).compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}

/// A real `wokd --simulate`.
final class Wokd {
    let process: Process
    let socket: String
    let directory: String

    init(directory: String, speed: Double) throws {
        self.directory = directory
        socket = directory + "/control.sock"
        process = try launch(
            Built.product("wokd"),
            [
                "--simulate", "--speed", String(speed), "--socket", socket, "--state-dir", directory + "/state", "--recipes",
                Built.repositoryRoot.appendingPathComponent("recipes").path,
            ], log: directory + "/wokd.log")
        guard eventually(limitSeconds: 30, { (try? status()) != nil }) else {
            throw ProcessTestError.notReady("wokd", fileText(directory + "/wokd.log"))
        }
    }

    deinit { stop(process, signal: SIGKILL) }

    func wokctl(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runToEnd(Built.product("wokctl"), arguments + ["--socket", socket])
    }

    func status() throws -> [String: Any] {
        let result = try wokctl(["status", "--json"])
        guard result.status == 0, let object = (try JSONSerialization.jsonObject(with: Data(result.out.utf8))) as? [String: Any] else {
            throw ProcessTestError.failed("status: \(result.err)")
        }
        return object
    }

    /// Polls until `predicate` holds on the status, or a generous limit passes (then throws).
    @discardableResult
    func wait(_ what: String, limitSeconds: Double = 120, _ predicate: ([String: Any]) -> Bool) throws -> [String: Any] {
        var last: [String: Any] = [:]
        let reached = eventually(limitSeconds: limitSeconds) {
            last = (try? status()) ?? [:]
            return predicate(last)
        }
        guard reached else { throw ProcessTestError.failed("timed out waiting for \(what); last status \(last)") }
        return last
    }
}
