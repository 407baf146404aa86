internal import Glibc
public import WokCore

/// Why a client could not talk to the daemon, in words that tell the person what to do.
public enum ControlClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case notRunning(path: String)
    case permissionDenied(path: String)
    case connectionLost(path: String)
    case timedOut(path: String, seconds: Double)
    case garbled(path: String, line: String)
    case system(SystemError)

    public var description: String {
        switch self {
        case .notRunning(let path): "wokd is not running (nothing listens on \(path)); start it with `systemctl start wokd` or `wokd --simulate`"
        case .permissionDenied(let path):
            "you may not talk to wokd at \(path): permission denied (the socket's group may; ask to be added to it)"
        case .connectionLost(let path): "wokd closed the connection on \(path)"
        case .timedOut(let path, let seconds): "wokd did not answer within \(formatNumber(seconds)) s on \(path)"
        case .garbled(let path, let line): "wokd sent something that is not protocol on \(path): \(String(line.prefix(120)))"
        case .system(let error): "\(error)"
        }
    }
}

/// A blocking client of the control socket, for `wokctl` and the tests: one request at a time,
/// or a subscription read line by line.
public final class ControlClient {
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// Pushed lines that arrived while waiting for a response.
    private var pushed: [ControlMessage] = []

    public init(path: String) throws(ControlClientError) {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(.last("socket")) }
        let result: Int32
        do {
            result = try withSocketAddress(path, "connect") { Glibc.connect(fd, $0, $1) }
        } catch {
            Glibc.close(fd)
            throw .system(error)
        }
        if result != 0 {
            let code = errno
            Glibc.close(fd)
            switch code {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .notRunning(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .system(SystemError("connect", path, errno: code))
            }
        }
        descriptor = fd
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Sends a request and waits for its response; pushed lines that arrive first are kept for `next`.
    public func request(
        _ method: ControlMethod, params: JSONObject = JSONObject(), timeoutSeconds: Double = 10
    ) throws(ControlClientError) -> Result<JSONValue, ControlError> {
        let id = JSONValue.number(Double(nextID))
        nextID += 1
        try send(ControlRequest(id: id, method: method, params: params).line)
        while true {
            guard let message = try next(timeoutSeconds: timeoutSeconds, includeKept: false) else {
                throw .timedOut(path: path, seconds: timeoutSeconds)
            }
            switch message {
            case .result(let answerID, let result) where answerID == id || answerID == .null: return .success(result)
            case .error(let answerID, let error) where answerID == id || answerID == .null: return .failure(error)
            case .snapshot, .event: pushed.append(message)
            default: continue
            }
        }
    }

    /// Sends one raw line, as is (the tests use it to send garbage).
    public func send(_ line: String) throws(ControlClientError) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.send(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw .connectionLost(path: path)
            }
        }
    }

    /// The next line from the daemon, or nil if none came within the timeout (nil timeout: wait).
    public func next(timeoutSeconds: Double? = nil, includeKept: Bool = true) throws(ControlClientError) -> ControlMessage? {
        if includeKept, !pushed.isEmpty { return pushed.removeFirst() }
        guard let line = try readLine(timeoutSeconds: timeoutSeconds) else { return nil }
        guard let message = ControlMessage.decode(line) else { throw .garbled(path: path, line: line) }
        return message
    }

    /// One raw line from the daemon.
    public func readLine(timeoutSeconds: Double?) throws(ControlClientError) -> String? {
        let deadline = timeoutSeconds.map { SystemLoopClock().nowSeconds() + $0 }
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var waitMilliseconds: Int32 = -1
            if let deadline {
                let left = deadline - SystemLoopClock().nowSeconds()
                if left <= 0 { return nil }
                waitMilliseconds = Int32(min(left * 1000, 60_000).rounded(.up))
            }
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, waitMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(.last("poll", path))
            }
            if ready == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[0..<count]
            } else if count == 0 {
                throw .connectionLost(path: path)
            } else if errno != EINTR && errno != EAGAIN {
                throw .connectionLost(path: path)
            }
        }
    }
}
