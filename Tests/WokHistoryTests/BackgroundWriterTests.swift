import Foundation
import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon
@testable import WokHistory

/// A gate the test holds shut: the writer thread stops at it (as on a card that stalls a write)
/// until the test opens it. `arrived` tells the test the writer is inside; nothing waits on time.
final class WriterGate: Sendable {
    private let open = DispatchSemaphore(value: 0)
    private let inside = DispatchSemaphore(value: 0)

    var hook: @Sendable () -> Void {
        { [open, inside] in
            inside.signal()
            open.wait()
            open.signal()
        }
    }

    /// Returns once the writer has reached the gate.
    func waitForWriter() { inside.wait() }
    func release() { open.signal() }
}

extension JournalScript {
    static func record() -> CookRecord {
        CookRecord(
            recipeName: "Stir-fry", recipeDocument: "{}", recipeSource: "test", stageIndex: 1, stageName: "Toss",
            startedAtUnixSeconds: 1_750_000_000, updatedAtUnixSeconds: 1_750_000_030, startedBy: "test")
    }
}

@Suite struct BackgroundWriterTests {
    /// A whole minute of ticks and events while the disk holds the writer: the loop's calls all
    /// return, the queue keeps its bound, drops are counted, logged once and shown in the status,
    /// and after the disk comes back everything kept is in the database, in order.
    @Test func aStalledDiskNeverHoldsUpTheLoopAndWhatIsKeptLandsInOrder() throws {
        let directory = try TemporaryDirectory()
        let log = MemoryLog()
        let gate = WriterGate()
        let limits = BackgroundWriterLimits(maxQueuedMessages: 200, maxQueuedSamples: 160, reservedForCookBounds: 4, drainSeconds: 60)
        let history = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        let writer = try BackgroundStateWriter(
            history: history, records: FileCookRecordStore(directory: directory.path), log: log, limits: limits, beforeWork: gate.hook)

        writer.flush(realSeconds: 0)
        writer.cookStarted(JournalScript.start())
        gate.waitForWriter()  // The writer took the start and is stuck in the disk.
        try writer.save(JournalScript.record())

        var sentEvents: [CookEventRecord] = []
        var peakQueued = 0
        for tick in 1...240 {
            let now = Double(tick) * 0.25
            writer.sampled(JournalScript.sample(tick))
            if tick % 20 == 0 {
                let event = CookEvent.held(index: tick / 20)
                sentEvents.append(CookEventRecord(event, timeSeconds: now))
                writer.recorded(event, stationSeconds: now)
            }
            writer.flush(realSeconds: now)
            peakQueued = max(peakQueued, writer.statusJSON.objectValue?["queued"]?.intValue ?? -1)
        }
        writer.cookEnded(.completed, reason: nil, stationSeconds: 60, unixSeconds: 1_750_000_060)

        let status = try #require(writer.statusJSON.objectValue)
        #expect(peakQueued <= limits.maxQueuedMessages)
        #expect(status["queued"]?.intValue == 160 + 12 + 1, "160 samples, 12 events and the end")
        #expect(status["droppedSamples"]?.intValue == 80)
        #expect(status["droppedEvents"]?.intValue == 0, "samples go first")
        #expect(status["writerStalledSeconds"]?.numberValue == 60)
        #expect(log.lines.filter { $0.message.contains("not keeping up") }.count == 1, "one line per episode: \(log.lines)")
        #expect(log.lines.filter { $0.message.contains("busy for") }.count == 1)
        #expect(!fileExists(directory.path + "/current-cook.json"), "the record waits for the disk too")

        gate.release()
        writer.flushNow()

        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        #expect(cook.summary.outcome == .completed)
        #expect(cook.samples.map(\.timeSeconds) == (1...160).map { JournalScript.sample($0).timeSeconds })
        #expect(cook.samples == (1...160).map(JournalScript.sample))
        #expect(cook.events == sentEvents)
        #expect(try FileCookRecordStore(directory: directory.path).load().get() == JournalScript.record())
        let after = try #require(writer.statusJSON.objectValue)
        #expect(after["queued"]?.intValue == 0)
        #expect(after["writerStalledSeconds"]?.numberValue == 0)
        #expect(after["ok"]?.boolValue == true)
        #expect(log.lines.contains { $0.message.contains("caught up") && $0.message.contains("lost 80 samples and 0 events") })
    }

    /// Work queued before the loop's first turn (the interrupted-cook record at start-up) is not
    /// timed from clock zero: the monotonic clock of a machine up for an hour is not a stall.
    @Test func workQueuedBeforeTheFirstTurnIsNotReportedAsAStall() throws {
        let directory = try TemporaryDirectory()
        let log = MemoryLog()
        let gate = WriterGate()
        let history = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        let writer = try BackgroundStateWriter(
            history: history, records: FileCookRecordStore(directory: directory.path), log: log, beforeWork: gate.hook)
        try writer.save(JournalScript.record())
        gate.waitForWriter()
        writer.flush(realSeconds: 3600)
        #expect(writer.stalledSeconds == 0)
        #expect(!log.lines.contains { $0.message.contains("busy for") })
        gate.release()
        writer.flushNow()
    }

    @Test func aShutdownTheDiskHoldsUpGivesUpAndSaysWhatWasNotWritten() throws {
        let directory = try TemporaryDirectory()
        let log = MemoryLog()
        let gate = WriterGate()
        defer { gate.release() }
        let history = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        let writer = try BackgroundStateWriter(
            history: history, records: MemoryCookRecordStore(), log: log, limits: BackgroundWriterLimits(drainSeconds: 0),
            beforeWork: gate.hook)
        writer.cookStarted(JournalScript.start())
        gate.waitForWriter()
        for tick in 1...10 { writer.sampled(JournalScript.sample(tick)) }
        writer.cookEnded(.interrupted, reason: "wokd stopped (SIGTERM)", stationSeconds: 3, unixSeconds: 1_750_000_003)

        writer.flushNow()

        let line = try #require(log.lines.first { $0.message.contains("giving up") })
        #expect(line.priority == .error)
        #expect(line.message.contains("the write in progress"))
        #expect(line.message.contains("10 samples"))
        #expect(line.message.contains("1 cook outcome(s)"))
    }

    /// The daemon's core cooking through the disk thread, as wokd does, with the disk stuck from
    /// the cook's start to its abort: the loop's ticks, the stage changes (record saves) and the
    /// abort (record removal) never wait for it, and once it frees every tick and the abort land
    /// and the ended cook's record is gone.
    @Test func theCoreCookingThroughTheDiskThreadWritesTheWholeCook() throws {
        let directory = try TemporaryDirectory()
        let log = MemoryLog()
        let gate = WriterGate()
        defer { gate.release() }
        let history = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        let writer = try BackgroundStateWriter(
            history: history, records: FileCookRecordStore(directory: directory.path), log: log,
            limits: BackgroundWriterLimits(drainSeconds: 60), beforeWork: { gate.hook() })
        let core = try DaemonCore(
            station: .standard, devices: try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3, faults: []),
            recipeDirectories: [HistoryRig.recipes], speed: 1, isSimulated: true, records: writer, log: log, nowSeconds: 0,
            wallClock: { 1_750_000_000 }, journal: writer)
        let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
        _ = try core.handle(ControlRequest(id: 1, method: .start, params: ["recipe": "caramelised-pork-mince"]), from: cook).get()
        gate.waitForWriter()  // Stuck in the disk for the whole cook: nothing below may wait for it.
        var now = 0.0
        var ticks = 0
        while now < 30 {
            now += 0.25
            if core.tick(nowSeconds: now) != nil { ticks += 1 }
            core.flushJournal(realSeconds: now)
        }
        _ = try core.handle(ControlRequest(id: 2, method: .abort, params: JSONObject()), from: cook).get()
        #expect(core.burnerIsOn == false)
        // Timed from the loop's first turn after the start was queued (0.25 s).
        #expect(core.snapshot()["historyStore"]?.objectValue?["writerStalledSeconds"]?.numberValue == 29.8)
        gate.release()
        writer.flushNow()

        let written = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        #expect(written.summary.outcome == .aborted)
        #expect(written.samples.count == ticks + 1, "every tick, and the abort's own")
        #expect(try FileCookRecordStore(directory: directory.path).load().get() == nil, "the ended cook's record is gone")
        #expect(core.snapshot()["historyStore"]?.objectValue?["ok"]?.boolValue == true)
    }

    /// Through the disk thread: an outcome the database refuses shows in the status and the log,
    /// is retried when the loop asks, and lands with its true outcome.
    @Test func anOutcomeRefusedThroughTheDiskThreadShowsMeanwhileAndLandsOnRetry() throws {
        let directory = try TemporaryDirectory()
        let log = MemoryLog()
        let history = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        let writer = try BackgroundStateWriter(
            history: history, records: MemoryCookRecordStore(), log: log, limits: BackgroundWriterLimits(drainSeconds: 60))
        writer.cookStarted(JournalScript.start())
        for tick in 1...8 { writer.sampled(JournalScript.sample(tick)) }
        writer.flushNow()
        let lock = try HistoryTruthTests.lockDatabase(directory.database)

        writer.cookEnded(.completed, reason: nil, stationSeconds: 2, unixSeconds: 1_750_000_002)
        writer.flushNow()

        let waiting = try #require(writer.statusJSON.objectValue)
        #expect(waiting["pendingOutcomes"]?.intValue == 1)
        #expect(waiting["ok"]?.boolValue == false)
        #expect(log.lines.contains { $0.message.contains("outcome of cook 1 (completed) cannot be written") })
        #expect(log.lines.contains { $0.message.contains("stashed beside it and written at the next start") })

        try lock.execute("ROLLBACK", "releasing the write lock")
        writer.flush(realSeconds: 10)
        writer.flushNow()

        #expect(try HistoryReader(path: directory.database).cook(id: 1)?.summary.outcome == .completed)
        let after = try #require(writer.statusJSON.objectValue)
        #expect(after["pendingOutcomes"]?.intValue == 0)
        #expect(after["ok"]?.boolValue == true)
        #expect(log.lines.contains { $0.message.contains("now in the history") })
    }
}
