internal import Glibc
public import WokCore
public import WokSystem
public import WokWire

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

/// A pushed line of a subscription, typed.
public enum ControlPush: Sendable, Equatable {
    case snapshot(StationSnapshot)
    case event(WireEvent)
}

/// A blocking client of the control socket, for `wokctl`, the benchmarks and the tests: one
/// request at a time, or a subscription read line by line. Lines are framed with the same
/// bounded framer the daemon uses.
public final class ControlClient {
    public let path: String
    private let descriptor: Int32
    private var framer = LineFramer(maxLineBytes: ControlProtocol.maxReplyBytes)
    private var lines: [LineFramer.Frame] = []
    private var nextID = 1
    /// Pushed lines that arrived while waiting for a response.
    private var pushed: [ControlMessage] = []

    public init(path: String) throws(ControlClientError) {
        self.path = path
        do {
            descriptor = try connectUnixSocket(path)
        } catch {
            switch error.errno {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw .notRunning(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .system(error)
            }
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// The connection's descriptor, for a caller that waits on it beside others (`watch` waits
    /// on the keyboard and signals too); read it only through this client.
    public var pollDescriptor: Int32 { descriptor }

    /// Whether lines already read wait here: the descriptor will not wake a poll for them.
    public var hasBufferedLines: Bool { !lines.isEmpty || !pushed.isEmpty }

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

    /// A command whose answer is the station's snapshot (every method but `subscribe`).
    public func command(
        _ method: ControlMethod, params: JSONObject = JSONObject(), timeoutSeconds: Double = 10
    ) throws(ControlClientError) -> Result<StationSnapshot, ControlError> {
        switch try request(method, params: params, timeoutSeconds: timeoutSeconds) {
        case .failure(let error): return .failure(error)
        case .success(let value):
            do {
                return .success(try StationSnapshot(json: value))
            } catch {
                throw .garbled(path: path, line: "\(error)")
            }
        }
    }

    /// Subscribes: the snapshot now and the recent temperatures; pushes follow through `nextPush`.
    public func subscribe(timeoutSeconds: Double = 10) throws(ControlClientError) -> Result<Subscription, ControlError> {
        switch try request(.subscribe, timeoutSeconds: timeoutSeconds) {
        case .failure(let error): return .failure(error)
        case .success(let value):
            do {
                return .success(try Subscription(json: value))
            } catch {
                throw .garbled(path: path, line: "\(error)")
            }
        }
    }

    /// The next pushed snapshot or event, typed; nil if none came within the timeout.
    public func nextPush(timeoutSeconds: Double?) throws(ControlClientError) -> ControlPush? {
        while true {
            guard let message = try next(timeoutSeconds: timeoutSeconds) else { return nil }
            do {
                switch message {
                case .snapshot(let object): return .snapshot(try StationSnapshot(json: .object(object)))
                case .event(let object): return .event(try WireEvent(json: .object(object)))
                case .result, .error: continue
                }
            } catch {
                throw .garbled(path: path, line: "\(error)")
            }
        }
    }

    /// Sends one raw line, as is (the tests use it to send garbage).
    public func send(_ line: String) throws(ControlClientError) {
        try sendBytes(Array((line + "\n").utf8))
    }

    /// Sends raw bytes, as is.
    public func sendBytes(_ bytes: [UInt8]) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw .connectionLost(path: path)
            }
        }
    }

    /// Ends this side's writing (the daemon still answers what it was sent).
    public func shutdownWriting() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
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
        let deadline = timeoutSeconds.map { monotonicSeconds() + $0 }
        while true {
            if !lines.isEmpty {
                switch lines.removeFirst() {
                case .line(let text): return text
                case .tooLong: throw .garbled(path: path, line: "a line over \(ControlProtocol.maxReplyBytes) bytes")
                case .invalidText: throw .garbled(path: path, line: "a line that is not UTF-8")
                }
            }
            // A deadline already past still looks once, without waiting: a timeout of 0 reads
            // what has arrived (a caller polling several descriptors relies on it).
            var wait = 60.0
            if let deadline { wait = max(0, deadline - monotonicSeconds()) }
            let ready: [PollEvents]
            do {
                ready = try waitForDescriptors([PollInterest(descriptor, .readable)], timeoutSeconds: min(wait, 60))
            } catch {
                throw .system(error)
            }
            if ready.isEmpty {
                if let deadline, monotonicSeconds() >= deadline { return nil }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                lines += chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            } else if count == 0 {
                if let last = framer.finish() {
                    lines.append(last)
                    continue
                }
                throw .connectionLost(path: path)
            } else if errno != EINTR && errno != EAGAIN {
                throw .connectionLost(path: path)
            }
        }
    }
}
