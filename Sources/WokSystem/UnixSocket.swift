internal import CWokSystem
internal import Glibc

/// The longest path a Unix socket address holds (sun_path is 108 bytes with its terminator).
public let maxSocketPathBytes = 107

/// Fills a `sockaddr_un` for `path` and calls `body` with it.
private func withSocketAddress<Result>(
    _ path: String, _ operation: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
) throws(SystemError) -> Result {
    let bytes = Array(path.utf8)
    guard !bytes.isEmpty, bytes.count <= maxSocketPathBytes else { throw SystemError(operation, path, errno: ENAMETOOLONG) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        raw[bytes.count] = 0
    }
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
}

/// Why the control socket could not be set up.
public enum SocketSetupError: Error, Sendable, CustomStringConvertible {
    case system(SystemError)
    case alreadyServed(path: String)
    case notASocket(path: String)

    public var description: String {
        switch self {
        case .system(let error): "\(error)"
        case .alreadyServed(let path): "another wokd is already serving \(path)"
        case .notASocket(let path): "\(path) exists and is not a socket; refusing to replace it"
        }
    }
}

/// The listening control socket: non-blocking, close-on-exec, mode and group set before anyone
/// can connect, and removed again on close.
public struct UnixListener: ~Copyable {
    public let path: String
    public let descriptor: Int32

    /// Binds `path`. A stale socket left by a dead daemon is replaced; a live one is not.
    public init(path: String, mode: UInt32 = 0o660, groupID: UInt32? = nil, backlog: Int32 = 64) throws(SocketSetupError) {
        self.path = path
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
            if UnixListener.isServed(path) { throw .alreadyServed(path: path) }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(.last("socket", path)) }
        do throws(SystemError) {
            // Nobody may connect before the permissions are right: bind with a tight umask.
            let previousMask = umask(0o177)
            let bound = try withSocketAddress(path, "bind") { Glibc.bind(fd, $0, $1) }
            umask(previousMask)
            guard bound == 0 else { throw .last("bind", path) }
            if let groupID, chown(path, uid_t.max, groupID) != 0 { throw .last("chown (group \(groupID))", path) }
            guard chmod(path, mode) == 0 else { throw .last("chmod", path) }
            guard listen(fd, backlog) == 0 else { throw .last("listen", path) }
        } catch {
            Glibc.close(fd)
            unlink(path)
            throw .system(error)
        }
        descriptor = fd
    }

    /// Whether something answers on `path`.
    static func isServed(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        let result = try? withSocketAddress(path, "connect") { Glibc.connect(fd, $0, $1) }
        return result == 0
    }

    /// The next waiting connection, non-blocking.
    public func accept() -> AcceptResult {
        while true {
            let fd = wok_accept(descriptor)
            if fd >= 0 { return .connection(fd) }
            switch errno {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK: return .noneWaiting
            // The connection stays queued; polling again at once would only spin.
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfDescriptors(.last("accept", path))
            default: return .failed(.last("accept", path))
            }
        }
    }

    deinit {
        Glibc.close(descriptor)
        unlink(path)
    }
}

/// What one `accept` found.
public enum AcceptResult: Sendable, Equatable {
    case connection(Int32)
    case noneWaiting
    /// The process or the system is out of descriptors (or memory) for now.
    case outOfDescriptors(SystemError)
    case failed(SystemError)
}

/// Connects to a Unix stream socket, blocking; the descriptor is close-on-exec.
public func connectUnixSocket(_ path: String) throws(SystemError) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw .last("socket") }
    let result: Int32
    do {
        result = try withSocketAddress(path, "connect") { Glibc.connect(fd, $0, $1) }
    } catch {
        Glibc.close(fd)
        throw error
    }
    if result != 0 {
        let failure = SystemError.last("connect", path)
        Glibc.close(fd)
        throw failure
    }
    return fd
}

/// The credentials of the process at the other end of a connected Unix socket (SO_PEERCRED).
public func peerCredentials(of descriptor: Int32) -> PeerCredentials? {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
    guard wok_peer_credentials(descriptor, &pid, &uid, &gid) == 0 else { return nil }
    return PeerCredentials(processID: pid, userID: uid, groupID: gid)
}

/// Who is on the other end of a connection, from the kernel (SO_PEERCRED), not from the request.
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var processID: Int32
    public var userID: UInt32
    public var groupID: UInt32

    public init(processID: Int32, userID: UInt32, groupID: UInt32) {
        self.processID = processID
        self.userID = userID
        self.groupID = groupID
    }

    public var userName: String? {
        guard let entry = getpwuid(userID), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// Supplementary groups of the peer process, read from /proc (SO_PEERCRED gives only the primary one).
    public var supplementaryGroupIDs: [UInt32] {
        guard let text = try? readSmallFile("/proc/\(processID)/status", maxBytes: 64 * 1024) else { return [] }
        return Self.supplementaryGroupIDs(procStatus: text)
    }

    /// The `Groups:` line of a /proc/PID/status text. The kernel separates the field name from the
    /// first id with a tab and the ids with spaces: split on any blank, never on one kind only.
    public static func supplementaryGroupIDs(procStatus text: String) -> [UInt32] {
        for line in text.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
        }
        return []
    }

    public var description: String {
        "uid \(userID)\(userName.map { " (\($0))" } ?? "") pid \(processID)"
    }
}
