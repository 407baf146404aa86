internal import CWokSystem
internal import Glibc

/// Why a directory could not be made the daemon's own.
public enum DirectoryLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the lock; its pid when it wrote one.
    case heldByAnother(path: String, processID: Int32?)
    case system(SystemError)

    public var description: String {
        switch self {
        case .heldByAnother(let path, let pid?):
            "another wokd (pid \(pid)) already owns \(parentDirectory(path)) (lock \(path)); stop it first, or give this one its own --state-dir"
        case .heldByAnother(let path, nil):
            "another wokd already owns \(parentDirectory(path)) (lock \(path)); stop it first, or give this one its own --state-dir"
        case .system(let error): "\(error)"
        }
    }
}

/// An exclusive lock on a directory (flock on a file in it), held until the process ends: one
/// daemon per state directory. The kernel drops the lock when the process dies however it dies,
/// so a crash never leaves a stale lock behind.
public final class DirectoryLock {
    public let path: String
    private let descriptor: Int32

    public static let fileName = "wokd.lock"

    public init(directory: String) throws(DirectoryLockError) {
        path = directory + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw .system(.last("open", path)) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            throw .system(SystemError("lock", path, errno: EINVAL))
        }
        guard wok_try_lock(fd) == 0 else {
            let failure = errno
            let holder = Self.processID(in: fd)
            Glibc.close(fd)
            if failure == EWOULDBLOCK || failure == EAGAIN { throw .heldByAnother(path: path, processID: holder) }
            throw .system(SystemError("flock", path, errno: failure))
        }
        descriptor = fd
        // The holder's pid, for the message a second daemon prints; the lock itself is the flock.
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = pwrite(fd, text, text.count, 0) }
    }

    deinit { Glibc.close(descriptor) }

    private static func processID(in fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingSpaces)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// Makes sure `path` is a directory only the calling user may enter (mode 0700, owned by them,
/// not a symlink), creating it if missing. A shared temporary directory is where another user
/// could have made the folder first and put their own socket in it.
public func ensurePrivateDirectory(_ path: String) throws(SystemError) {
    if mkdir(path, 0o700) != 0 && errno != EEXIST { throw .last("mkdir", path) }
    var status = stat()
    guard lstat(path, &status) == 0 else { throw .last("lstat", path) }
    guard status.st_mode & S_IFMT == S_IFDIR else { throw SystemError("use \(path) (it is not a directory)", errno: ENOTDIR) }
    guard status.st_uid == geteuid() else {
        throw SystemError("use \(path) (it belongs to uid \(status.st_uid), not to you)", errno: EPERM)
    }
    guard status.st_mode & 0o077 == 0 else {
        throw SystemError("use \(path) (mode \(String(status.st_mode & 0o777, radix: 8)): others may enter it)", errno: EPERM)
    }
}

/// Whether `path` is a directory only the calling user may enter.
public func isPrivateDirectory(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && status.st_uid == geteuid()
        && status.st_mode & 0o077 == 0
}
