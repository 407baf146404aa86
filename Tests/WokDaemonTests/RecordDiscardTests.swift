import Foundation
import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

/// A state directory nobody may change: mode 0555, and for root (who ignores modes) the immutable
/// flag as well, as a card remounted read-only would be.
final class ReadOnlyDirectory {
    let path: String
    private let immutable: Bool

    init() throws {
        var template = Array("/tmp/wok-record-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw CocoaError(.fileWriteUnknown) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        immutable = geteuid() == 0
    }

    func lock() throws {
        #expect(chmod(path, 0o555) == 0)
        if immutable { try Self.chattr("+i", path) }
    }

    func unlock() throws {
        if immutable { try Self.chattr("-i", path) }
        chmod(path, 0o750)
    }

    deinit {
        try? unlock()
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func chattr(_ flag: String, _ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "chattr \(flag) \(path)")
    }
}

@Suite(.serialized) struct RecordDiscardTests {
    static func record() throws -> CookRecord {
        let text = try readSmallFile(CoreRig.recipes + "/caramelised-pork-mince.json", maxBytes: 1 << 20)
        return CookRecord(
            recipeName: "Vietnamese caramelised pork mince", recipeDocument: text, recipeSource: "test", stageIndex: 1,
            stageName: "Caramel", startedAtUnixSeconds: 999_700, updatedAtUnixSeconds: 1_000_000, startedBy: "uid 1000 (cook) pid 42")
    }

    /// `wokctl abort` with no cook running discards the interrupted cook; on a state directory
    /// that cannot change it must say so and keep the cook, not answer success and bring it back
    /// at the next start. Both the daemon's store (through its disk thread) and the plain file.
    @Test(arguments: [true, false]) func discardingOnAReadOnlyStateDirectoryFailsAndKeepsTheCook(throughTheDiskThread: Bool) throws {
        let directory = try ReadOnlyDirectory()
        let file = FileCookRecordStore(directory: directory.path)
        let record = try Self.record()
        try file.save(record)
        try directory.lock()
        let log = MemoryLog()
        let records: any CookRecordStore =
            throughTheDiskThread ? try BackgroundStateWriter(history: nil, records: file, log: log) : file
        let core = try DaemonCore(
            station: .standard, devices: try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3, faults: []),
            recipeDirectories: [CoreRig.recipes], speed: 1, isSimulated: true, records: records, log: log, nowSeconds: 0,
            wallClock: { 1_000_000 })
        #expect(core.interrupted == record)

        let answer = core.handle(ControlRequest(id: 1, method: .abort, params: JSONObject()), from: Peer(description: "cook", mayChange: true))

        guard case .failure(let error) = answer else {
            Issue.record("the discard answered success on a read-only state directory")
            return
        }
        #expect(error.code == .failed)
        #expect(error.message.contains("cannot be discarded"))
        #expect(core.interrupted == record, "the cook is still offered for resume")
        try directory.unlock()
        #expect(try FileCookRecordStore(directory: directory.path).load().get() == record, "and it is there at the next start")
    }
}
