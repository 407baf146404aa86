internal import Glibc
internal import WokCore

/// A cook's outcome that could not be written to the database yet (a full disk, a locked or
/// read-only file). The writer keeps it, retries it, and stashes it in a small file beside the
/// database so that a restart before the disk frees still ends the cook with its true outcome
/// and never as `interrupted` (docs/history.md, "What is true").
public struct PendingOutcome: Sendable, Equatable {
    public var cookID: Int64
    /// The cook's start, so a stash never ends another cook that took the same number.
    public var startedAtUnixSeconds: Double
    public var outcome: HistoryOutcome
    public var reason: String?
    public var endedAtUnixSeconds: Double
    /// Seconds from the cook's start to its end.
    public var durationSeconds: Double

    public init(
        cookID: Int64, startedAtUnixSeconds: Double, outcome: HistoryOutcome, reason: String?, endedAtUnixSeconds: Double,
        durationSeconds: Double
    ) {
        self.cookID = cookID
        self.startedAtUnixSeconds = startedAtUnixSeconds
        self.outcome = outcome
        self.reason = reason
        self.endedAtUnixSeconds = endedAtUnixSeconds
        self.durationSeconds = durationSeconds
    }

    var json: JSONValue {
        .object([
            "cook": .number(Double(cookID)), "startedAtUnixSeconds": .number(startedAtUnixSeconds),
            "outcome": .string(outcome.rawValue), "reason": reason.map(JSONValue.string) ?? .null,
            "endedAtUnixSeconds": .number(endedAtUnixSeconds), "durationSeconds": .number(durationSeconds),
        ])
    }

    init?(_ value: JSONValue) {
        guard let object = value.objectValue, let id = object["cook"]?.intValue,
            let started = object["startedAtUnixSeconds"]?.numberValue,
            let outcome = object["outcome"]?.stringValue.flatMap(HistoryOutcome.init(rawValue:)),
            let ended = object["endedAtUnixSeconds"]?.numberValue, let duration = object["durationSeconds"]?.numberValue
        else { return nil }
        self.init(
            cookID: Int64(id), startedAtUnixSeconds: started, outcome: outcome, reason: object["reason"]?.stringValue,
            endedAtUnixSeconds: ended, durationSeconds: duration)
    }
}

/// A file the history could not read or write, with the call and the kernel's errno.
public struct HistoryFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}

/// The stash of pending outcomes: `history.sqlite3-outcomes.json` beside the database, replaced
/// atomically (written beside, flushed to the disk, renamed over), removed once it is empty.
enum OutcomeStash {
    /// The most outcomes kept: one per cook that ended while the disk refused; more than this many
    /// cooks ending on a broken disk lose the oldest (reported).
    static let maxOutcomes = 32
    static let maxBytes = 64 << 10

    static func path(forDatabase database: String) -> String { database + "-outcomes.json" }

    /// The stashed outcomes; a file that is missing is none, one that is torn is reported and none.
    static func load(_ path: String) -> Result<[PendingOutcome], HistoryFileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            return errno == ENOENT ? .success([]) : .failure(HistoryFileError(operation: "open", path: path, errno: errno))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while bytes.count <= maxBytes {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(HistoryFileError(operation: "read", path: path, errno: errno))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self), let list = (try? JSONParser.parse(text))?.arrayValue else {
            return .failure(HistoryFileError(operation: "parse", path: path, errno: EINVAL))
        }
        return .success(list.compactMap(PendingOutcome.init))
    }

    /// Replaces the stash with `outcomes`, or removes it when there are none.
    static func save(_ outcomes: [PendingOutcome], to path: String) throws(HistoryFileError) {
        if outcomes.isEmpty {
            if unlink(path) != 0 && errno != ENOENT { throw HistoryFileError(operation: "unlink", path: path, errno: errno) }
            return
        }
        let temporary = path + ".tmp"
        let bytes = Array((JSONValue.array(outcomes.map(\.json)).serialized() + "\n").utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw HistoryFileError(operation: "open", path: temporary, errno: errno) }
        var failure: HistoryFileError?
        var offset = 0
        while offset < bytes.count, failure == nil {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if written > 0 {
                offset += written
            } else if !(written < 0 && errno == EINTR) {
                failure = HistoryFileError(operation: "write", path: temporary, errno: written < 0 ? errno : ENOSPC)
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = HistoryFileError(operation: "fsync", path: temporary, errno: errno) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = HistoryFileError(operation: "rename", path: path, errno: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
