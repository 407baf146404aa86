internal import Glibc
public import WokCore
internal import WokSystem

/// What the daemon keeps on disk about the cook in progress, so that after a crash, a kill or a
/// power cut it knows a cook was interrupted, and where. It is never used to re-light the burner
/// by itself: only a person's `resume` continues the cook, from the start of the recorded stage.
public struct CookRecord: Sendable, Equatable {
    public static let schemaVersion = 1

    public var recipeName: String
    /// The recipe as it was started, so a resume cooks the same stages even if the file changed.
    public var recipeDocument: String
    public var recipeSource: String
    public var stageIndex: Int
    public var stageName: String
    public var startedAtUnixSeconds: Double
    public var updatedAtUnixSeconds: Double
    public var startedBy: String
    /// The portions the cook was started for, when not the recipe's own (`start --serves`).
    public var serves: Int?

    public init(
        recipeName: String, recipeDocument: String, recipeSource: String, stageIndex: Int, stageName: String,
        startedAtUnixSeconds: Double, updatedAtUnixSeconds: Double, startedBy: String, serves: Int? = nil
    ) {
        self.recipeName = recipeName
        self.recipeDocument = recipeDocument
        self.recipeSource = recipeSource
        self.stageIndex = stageIndex
        self.stageName = stageName
        self.startedAtUnixSeconds = startedAtUnixSeconds
        self.updatedAtUnixSeconds = updatedAtUnixSeconds
        self.startedBy = startedBy
        self.serves = serves
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "schema": .number(Double(Self.schemaVersion)), "recipe": .string(recipeName),
            "recipeSource": .string(recipeSource), "recipeDocument": .string(recipeDocument),
            "stageIndex": .number(Double(stageIndex)), "stageName": .string(stageName),
            "startedAtUnixSeconds": .number(startedAtUnixSeconds), "updatedAtUnixSeconds": .number(updatedAtUnixSeconds),
            "startedBy": .string(startedBy),
        ]
        if let serves { object["serves"] = .number(Double(serves)) }
        return .object(object)
    }

    /// Reads a record; nil with a reason when the file is not one (a torn or foreign file is
    /// reported and ignored, never trusted).
    public static func decode(_ text: String) -> Result<CookRecord, CookRecordError> {
        guard let object = (try? JSONParser.parse(text))?.objectValue else { return .failure(.unreadable("not a JSON object")) }
        guard object["schema"]?.intValue == schemaVersion else { return .failure(.unreadable("unknown schema")) }
        guard let name = object["recipe"]?.stringValue, let document = object["recipeDocument"]?.stringValue,
            let source = object["recipeSource"]?.stringValue, let index = object["stageIndex"]?.intValue, index >= 0,
            let stageName = object["stageName"]?.stringValue,
            let started = object["startedAtUnixSeconds"]?.numberValue,
            let updated = object["updatedAtUnixSeconds"]?.numberValue,
            let startedBy = object["startedBy"]?.stringValue
        else { return .failure(.unreadable("a field is missing or of the wrong type")) }
        let serves = object["serves"]?.intValue
        if object["serves"] != nil && (serves ?? 0) < 1 { return .failure(.unreadable("field \"serves\" is not a number of people")) }
        return .success(
            CookRecord(
                recipeName: name, recipeDocument: document, recipeSource: source, stageIndex: index, stageName: stageName,
                startedAtUnixSeconds: started, updatedAtUnixSeconds: updated, startedBy: startedBy, serves: serves))
    }
}

public enum CookRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case storage(String)

    public var description: String {
        switch self {
        case .unreadable(let why): "the cook record cannot be read: \(why)"
        case .storage(let why): "the cook record cannot be stored: \(why)"
        }
    }
}

/// Where the record lives. The daemon's is a file in its state directory, written by its disk
/// thread (`BackgroundStateWriter`); tests use memory.
public protocol CookRecordStore: AnyObject {
    func load() -> Result<CookRecord?, CookRecordError>
    func save(_ record: CookRecord) throws(CookRecordError)
    func clear() throws(CookRecordError)
    /// Why `clear` cannot succeed now (a read-only or foreign state directory), found without
    /// writing anything or waiting for the disk; nil when nothing is known against it. May be
    /// called from any thread, so it reads no state that changes.
    func removalProblem() -> CookRecordError?
}

extension CookRecordStore {
    public func removalProblem() -> CookRecordError? { nil }
}

/// The record as `current-cook.json` in the state directory, replaced atomically.
public final class FileCookRecordStore: CookRecordStore, Sendable {
    public let directory: String
    public let path: String

    public init(directory: String) {
        self.directory = directory
        path = directory + "/current-cook.json"
    }

    /// The kernel's permission check on the directory (`access(2)`, answered from its caches: no
    /// write, no wait for the card): a directory made read-only (its mode, a read-only mount, the
    /// immutable flag) cannot lose the record.
    public func removalProblem() -> CookRecordError? {
        guard fileExists(path), access(directory, W_OK) != 0 else { return nil }
        return .storage("the state directory \(directory) is not writable (\(SystemError.last("access", directory).reason))")
    }

    public func load() -> Result<CookRecord?, CookRecordError> {
        guard fileExists(path) else { return .success(nil) }
        do {
            return CookRecord.decode(try readSmallFile(path, maxBytes: 2 << 20)).map { $0 }
        } catch {
            return .failure(.unreadable("\(error)"))
        }
    }

    public func save(_ record: CookRecord) throws(CookRecordError) {
        do {
            try writeFileAtomically(path, record.json.serialized(pretty: true) + "\n")
        } catch {
            throw .storage("\(error)")
        }
    }

    public func clear() throws(CookRecordError) {
        do {
            try removeFile(path)
        } catch {
            throw .storage("\(error)")
        }
    }
}

/// The record in memory, for tests.
public final class MemoryCookRecordStore: CookRecordStore {
    public var record: CookRecord?

    public init(record: CookRecord? = nil) {
        self.record = record
    }

    public func load() -> Result<CookRecord?, CookRecordError> { .success(record) }
    public func save(_ record: CookRecord) throws(CookRecordError) { self.record = record }
    public func clear() throws(CookRecordError) { record = nil }
}
