internal import Glibc

/// Why a small file could not be read.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(SystemError)
    case tooLarge(path: String, limitBytes: Int)
    case notText(path: String)
    case isDirectory(path: String)
    /// A FIFO, socket or device: reading one could block or never end.
    case notRegularFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .system(let error): "\(error)"
        case .tooLarge(let path, let limit): "\(path): larger than the \(limit)-byte limit"
        case .notText(let path): "\(path): not valid UTF-8 text"
        case .isDirectory(let path): "\(path): is a directory, not a file"
        case .notRegularFile(let path, let kind): "\(path): is a \(kind), not a regular file"
        }
    }
}

/// Reads a whole file that must be small (a recipe, a station file, a state record). Only a
/// regular file is read: the open never waits (O_NONBLOCK), so a FIFO at the path is refused
/// instead of blocking the caller until someone writes to it.
public func readSmallFile(_ path: String, maxBytes: Int) throws(FileReadError) -> String {
    let fd: Int32
    do {
        fd = try retryingInterrupts("open", path) { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
    } catch {
        throw .system(error)
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw .system(.last("fstat", path)) }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw .isDirectory(path: path)
    default: throw .notRegularFile(path: path, kind: fileKindName(status.st_mode))
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count: Int
        do {
            count = try retryingInterrupts("read", path) { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
        } catch {
            throw .system(error)
        }
        if count == 0 { break }
        bytes += chunk[0..<count]
        if bytes.count > maxBytes { throw .tooLarge(path: path, limitBytes: maxBytes) }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw .notText(path: path) }
    return text
}

/// Writes every byte to a descriptor, resuming short writes and interrupted calls; false when the
/// descriptor refuses (a closed pipe, a full disk), with errno set.
@discardableResult
public func writeFully(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
        if written > 0 {
            offset += written
        } else if !(written < 0 && errno == EINTR) {
            return false
        }
    }
    return true
}

/// Replaces a file so that a crash at any moment leaves either the old or the new contents:
/// write a temporary file beside it, flush it to the disk, rename it over the old one.
public func writeFileAtomically(_ path: String, _ text: String, mode: UInt32 = 0o640) throws(SystemError) {
    let temporary = path + ".tmp"
    let fd = try retryingInterrupts("open", temporary) { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
    var failure: SystemError?
    if !writeFully(fd, Array(text.utf8)) { failure = .last("write", temporary) }
    if failure == nil, fsync(fd) != 0 { failure = .last("fsync", temporary) }
    close(fd)
    if failure == nil, rename(temporary, path) != 0 { failure = .last("rename", path) }
    if let failure {
        unlink(temporary)
        throw failure
    }
}

/// Removes a file; a file already gone is not an error.
public func removeFile(_ path: String) throws(SystemError) {
    if unlink(path) != 0 && errno != ENOENT { throw .last("unlink", path) }
}

/// Creates a directory and its parents (like `mkdir -p`).
public func makeDirectories(_ path: String, mode: UInt32 = 0o750) throws(SystemError) {
    var partial = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
        partial += "/" + component
        if mkdir(partial, mode) != 0 && errno != EEXIST { throw .last("mkdir", partial) }
    }
}

/// A person's word for what a mode's file type is.
public func fileKindName(_ mode: UInt32) -> String {
    switch mode & S_IFMT {
    case S_IFREG: "regular file"
    case S_IFDIR: "directory"
    case S_IFIFO: "FIFO"
    case S_IFSOCK: "socket"
    case S_IFCHR: "character device"
    case S_IFBLK: "block device"
    case S_IFLNK: "symbolic link"
    default: "special file"
    }
}

public func fileExists(_ path: String) -> Bool {
    access(path, F_OK) == 0
}

/// The names in a directory, without `.` and `..`.
public func listDirectory(_ path: String) throws(SystemError) -> [String] {
    guard let directory = opendir(path) else { throw .last("opendir", path) }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// The recipe files of a directory.
public enum RecipeFiles {
    /// Recipe names (file names without `.json`, hidden files left out), sorted.
    public static func names(in directory: String) throws(SystemError) -> [String] {
        try listDirectory(directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }
}
