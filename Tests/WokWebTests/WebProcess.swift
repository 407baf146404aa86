import Foundation
import Testing

/// The built binaries and the checkout, found from the test bundle's place in .build.
enum Built {
    static var directory: URL {
        var url = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("wokweb").path), url.path != "/" {
            url = url.deletingLastPathComponent()
        }
        return url
    }
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path), url.path != "/" {
            url = url.deletingLastPathComponent()
        }
        return url
    }
}

enum WebTestError: Error, CustomStringConvertible {
    case notReady(String, String)
    case http(String)

    var description: String {
        switch self {
        case .notReady(let what, let log): "\(what) did not become ready:\n\(log)"
        case .http(let why): "HTTP: \(why)"
        }
    }
}

/// A child process with its standard error in a file.
final class Child {
    let process = Process()
    let logPath: String

    init(_ program: URL, _ arguments: [String], logPath: String) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = Built.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        process.environment = environment
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then the exit status (nil: still running after the liveness limit, then killed).
    func stop() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let stopped = eventually(limitSeconds: 20) { !process.isRunning }
        if !stopped {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Polls until `condition` holds: a liveness limit for a loaded host, never a measure of speed.
func eventually(limitSeconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limitSeconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// A plain HTTP/1.1 exchange over a loopback TCP socket (Connection: close), so the test sees
/// exactly the bytes wokweb sends.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String
}

enum HTTP {
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebTestError.http("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw WebTestError.http("connect: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads what arrives until `done` says so, the peer closes, or the liveness limit passes.
    static func read(_ fd: Int32, limitSeconds: Double = 30, until done: (String) -> Bool = { _ in false }) -> String {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(limitSeconds)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[..<count]
            if done(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func request(
        port: UInt16, _ method: String, _ path: String, host: String? = nil, headers: [String: String] = [:], body: String? = nil
    ) throws -> HTTPReply {
        let fd = try connect(port: port)
        defer { close(fd) }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        send(fd, text)
        return try parse(read(fd))
    }

    static func parse(_ raw: String) throws -> HTTPReply {
        guard let split = raw.range(of: "\r\n\r\n") else { throw WebTestError.http("no header end in \(raw.prefix(200))") }
        let head = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw WebTestError.http("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPReply(status: status, headers: headers, body: String(raw[split.upperBound...]))
    }
}

/// Runs a program to its end; its exit status and what it wrote (standard output and error together).
func runTool(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
