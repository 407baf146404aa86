import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// Why a bench client got no answer.
enum ClientFailure: Error, Equatable, CustomStringConvertible {
    /// Nothing listens on the socket (the daemon is gone, or not up yet).
    case notListening
    /// The daemon's accept queue stayed full until the deadline.
    case connectTimedOut
    /// The daemon closed the connection before answering.
    case connectionLost
    /// No answer before the deadline.
    case timedOut
    case system(String)

    var description: String {
        switch self {
        case .notListening: "nothing listens on the socket"
        case .connectTimedOut: "could not connect (the accept queue stayed full)"
        case .connectionLost: "the daemon closed the connection"
        case .timedOut: "no answer in time"
        case .system(let what): what
        }
    }
}

/// `POLLRDHUP` (the peer closed its end), which Glibc only exports under `_GNU_SOURCE`.
let pollPeerClosed = Int16(0x2000)

/// A client of the control socket whose every wait has a deadline, for a daemon that may stall,
/// refuse or die. Non-blocking underneath; `whileWaiting` runs at least every 0.1 s of any wait,
/// so the bench keeps watching the daemon's memory meanwhile.
final class BenchClient {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Connects before `deadline` (monotonic seconds), retrying while the accept queue is full.
    static func connect(
        to path: String, deadline: Double, whileWaiting: () -> Void = {}
    ) -> Result<BenchClient, ClientFailure> {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.system("socket: \(String(cString: strerror(errno)))")) }
        let client = BenchClient(descriptor: fd)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .failure(.system("socket path too long")) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        while true {
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 { return .success(client) }
            switch errno {
            case EINTR: continue
            case EAGAIN:  // A Unix socket's accept queue is full: try again shortly.
                guard monotonic() < deadline else { return .failure(.connectTimedOut) }
                whileWaiting()
                sleep(seconds: 0.01)
            case EINPROGRESS:
                return client.waitFor(Int16(POLLOUT), deadline: deadline, whileWaiting: whileWaiting)
                    ? .success(client) : .failure(.connectTimedOut)
            case ENOENT, ECONNREFUSED: return .failure(.notListening)
            default: return .failure(.system("connect: \(String(cString: strerror(errno)))"))
            }
        }
    }

    /// Waits until the socket is ready for `events` or the deadline passes.
    private func waitFor(_ events: Int16, deadline: Double, whileWaiting: () -> Void) -> Bool {
        while true {
            let left = deadline - monotonic()
            if left <= 0 { return false }
            var fds = [pollfd(fd: descriptor, events: events, revents: 0)]
            let ready = poll(&fds, 1, Int32((min(left, 0.1) * 1000).rounded(.up)))
            if ready > 0 { return true }
            whileWaiting()
        }
    }

    /// Sends one line (a newline is added) before the deadline.
    func send(_ line: String, deadline: Double, whileWaiting: () -> Void = {}) -> Result<Void, ClientFailure> {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard waitFor(Int16(POLLOUT), deadline: deadline, whileWaiting: whileWaiting) else { return .failure(.timedOut) }
            } else {
                return .failure(.connectionLost)
            }
        }
        return .success(())
    }

    /// Sends a request and waits for its answer (pushed snapshots and events are skipped).
    /// `.success` carries the daemon's answer, which may be a protocol error such as `refused`.
    func request(
        _ method: ControlMethod, params: JSONObject = JSONObject(), deadline: Double, whileWaiting: () -> Void = {}
    ) -> Result<Result<JSONValue, ControlError>, ClientFailure> {
        let id = JSONValue.number(Double(nextID))
        nextID += 1
        if case .failure(let failure) = send(
            ControlRequest(id: id, method: method, params: params).line, deadline: deadline, whileWaiting: whileWaiting)
        {
            return .failure(failure)
        }
        while true {
            switch readLine(deadline: deadline, whileWaiting: whileWaiting) {
            case .failure(let failure): return .failure(failure)
            case .success(let line):
                switch ControlMessage.decode(line) {
                case .result(let answerID, let result)? where answerID == id || answerID == .null: return .success(.success(result))
                case .error(let answerID, let error)? where answerID == id || answerID == .null: return .success(.failure(error))
                default: continue
                }
            }
        }
    }

    private func readLine(deadline: Double, whileWaiting: () -> Void) -> Result<String, ClientFailure> {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .success(line)
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[0..<count]
            } else if count == 0 {
                return .failure(.connectionLost)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                guard waitFor(Int16(POLLIN), deadline: deadline, whileWaiting: whileWaiting) else { return .failure(.timedOut) }
            } else if errno != EINTR {
                return .failure(.connectionLost)
            }
        }
    }
}
