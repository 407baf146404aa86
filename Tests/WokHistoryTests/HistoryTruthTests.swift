import Foundation
import Testing
import WokCore
import WokDaemon
import WokSystem
import WokWire

@testable import WokHistory

/// Simple cooks written straight through a `CookJournal`, with station time in quarter seconds.
enum JournalScript {
    static func start(at unixSeconds: Double = 1_750_000_000) -> CookStart {
        CookStart(
            recipeName: "Stir-fry", recipeDocument: "{}", recipeSource: "test", station: "test", startedBy: "test",
            startedAtUnixSeconds: unixSeconds, stationSeconds: 0, firstStageIndex: 0,
            stages: [PlannedStage(name: "Sear", targetC: 230), PlannedStage(name: "Toss", targetC: 200)])
    }

    static func sample(_ tick: Int) -> CookSample {
        CookSample(timeSeconds: Double(tick) * 0.25, measuredC: 150 + Double(tick) / 4, targetC: 230, burnerOn: tick % 3 != 0, duty: 0.6)
    }
}

/// What the history says about a cook must be true: an outcome the database refused is kept and
/// written later, never turned into "interrupted"; and the files are readable by the station's group.
@Suite struct HistoryTruthTests {
    /// Another connection holding the write lock makes the database refuse the outcome, as a full
    /// or read-only disk would; the test decides when it gives way.
    static func lockDatabase(_ path: String) throws -> SQLiteConnection {
        let lock = try SQLiteConnection(path: path, readOnly: false)
        try lock.execute("BEGIN IMMEDIATE", "holding the write lock")
        return lock
    }

    static func writeCookUpToItsEnd(_ writer: HistoryWriter) {
        writer.beginCook(JournalScript.start())
        for tick in 1...8 { writer.append(JournalScript.sample(tick)) }
        writer.flushNow()
    }

    @Test func anOutcomeTheDatabaseRefusedIsRetriedAndLandsNeverAsInterrupted() throws {
        let directory = try TemporaryDirectory()
        let writer = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
        Self.writeCookUpToItsEnd(writer)
        let lock = try Self.lockDatabase(directory.database)

        writer.endCook(.completed, reason: nil, atSeconds: 2, nowUnixSeconds: 1_750_000_002)
        #expect(writer.pendingOutcomes.map(\.outcome) == [.completed])
        #expect(fileExists(writer.outcomeStashPath), "stashed for a restart")
        writer.flushNow()
        #expect(writer.pendingOutcomes.count == 1, "still refused")

        try lock.execute("ROLLBACK", "releasing the write lock")
        // The next cook starts before any retry, and cooks left running are closed as
        // interrupted (what a daemon does at start): not the one whose outcome is pending.
        writer.beginCook(JournalScript.start(at: 1_750_000_005))
        writer.closeInterruptedCooks(reason: "wokd stopped during the cook", nowUnixSeconds: 1_750_000_010)
        writer.flushNow()

        #expect(writer.pendingOutcomes.isEmpty)
        #expect(!fileExists(writer.outcomeStashPath))
        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        #expect(cook.summary.outcome == .completed)
        #expect(cook.summary.durationSeconds == 2)
    }

    @Test func aRestartBeforeTheDatabaseGivesWayStillEndsTheCookWithItsOutcome() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
            Self.writeCookUpToItsEnd(writer)
            let lock = try Self.lockDatabase(directory.database)
            writer.endCook(.aborted, reason: "aborted by test", atSeconds: 2, nowUnixSeconds: 1_750_000_002)
            try lock.execute("ROLLBACK", "releasing the write lock")
            // The daemon stops here, before any retry.
        }
        let next = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_100)
        #expect(next.pendingOutcomes.isEmpty)
        let cook = try #require(try HistoryReader(path: directory.database).cooks().first)
        #expect(cook.outcome == .aborted)
        #expect(cook.reason == "aborted by test")
        #expect(!fileExists(OutcomeStash.path(forDatabase: directory.database)))
    }

    /// `wokctl history` run by a member of the station's group needs the database and both of its
    /// write-ahead files readable by the group, whatever modes an older daemon left.
    @Test func theDatabaseAndItsWriteAheadFilesAreGroupReadable() throws {
        let directory = try TemporaryDirectory()
        let files = [directory.database, directory.database + "-wal", directory.database + "-shm"]
        do {
            let first = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_000)
            Self.writeCookUpToItsEnd(first)
        }
        for file in files { #expect(chmod(file, 0o600) == 0, "\(file) exists after the writer closed") }

        _ = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_750_000_100)

        for file in files {
            var info = stat()
            #expect(stat(file, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o640, "\(file): \(String(info.st_mode & 0o777, radix: 8))")
        }
    }
}
