import Foundation
import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon
@testable import WokHistory

@Suite struct MigrationTests {
    /// A version-1 file as an older wokd wrote it: one cook of two stages.
    static func writeVersion1(_ path: String) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        try connection.execute(HistorySchema.version1, "test: version 1")
        try connection.execute(
            """
            INSERT INTO cooks VALUES (1, 'Fried rice', 'recipes/fried-rice.json', '{"name":"Fried rice"}', 'uid 1000', 1700000000, 1700000100, 100, 'completed', NULL);
            INSERT INTO events(cook_id, time_s, name, stage_index, message) VALUES
                (1, 0.25, 'stage-started', 0, 'stage 1 "Preheat" started, target 220 °C'),
                (1, 60, 'stage-started', 1, 'stage 2 "Fry" started, target 200 °C'),
                (1, 100, 'cook-completed', NULL, 'cook completed');
            INSERT INTO samples VALUES (1, 0, 0.25, 25, 220, 1, 1), (1, 1, 60.25, 221, 200, 0, 0), (1, 2, 99, 201, 200, 1, 0.5);
            """, "test: a version-1 cook")
    }

    @Test func aVersion1FileIsMigratedAndItsStagesRebuilt() throws {
        let directory = try TemporaryDirectory()
        try Self.writeVersion1(directory.database)

        _ = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_700_000_200)
        let reader = try HistoryReader(path: directory.database)
        let cook = try #require(try reader.cook(id: 1))

        #expect(cook.summary.recipeHash == recipeContentHash(#"{"name":"Fried rice"}"#))
        #expect(cook.summary.outcome == .completed)
        #expect(
            cook.stages == [
                CookStageRecord(index: 0, name: "Preheat", targetC: 220, startedSeconds: 0.25, endedSeconds: 60, reachedSeconds: nil),
                CookStageRecord(index: 1, name: "Fry", targetC: 200, startedSeconds: 60, endedSeconds: 100, reachedSeconds: nil),
            ])
        #expect(cook.samples.count == 3)
        #expect(cook.samples.allSatisfy { $0.trueC == nil })
        #expect(cook.events.map(\.name) == ["stage-started", "stage-started", "cook-completed"])
    }

    @Test func aMigratedFileTakesNewCooks() throws {
        let directory = try TemporaryDirectory()
        try Self.writeVersion1(directory.database)
        var rig = try HistoryRig(database: directory.database, wallSeconds: 1_700_000_300)
        let finished = try rig.cookCaramelisedPork()
        #expect(finished)
        let cooks = try HistoryReader(path: directory.database).cooks()
        #expect(cooks.map(\.id) == [2, 1])
    }

    @Test func aFileFromANewerVersionIsRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.database, readOnly: false)
        try connection.execute("PRAGMA user_version = 99", "test")
        #expect(throws: SQLiteError.self) { try HistoryWriter(path: directory.database, nowUnixSeconds: 0) }
        #expect(try connection.integer("PRAGMA user_version") == 99)
    }

    @Test func theReaderTellsToStartTheDaemonOnAnOldFile() throws {
        let directory = try TemporaryDirectory()
        try Self.writeVersion1(directory.database)
        #expect(throws: SQLiteError.self) { try HistoryReader(path: directory.database) }
    }
}

@Suite struct RetentionAndDiskFullTests {
    static func start(_ number: Int, at unixSeconds: Double) -> CookStart {
        CookStart(
            recipeName: "Cook \(number)", recipeDocument: "{}", recipeSource: "test", station: "test", startedBy: "test",
            startedAtUnixSeconds: unixSeconds, stationSeconds: 0, firstStageIndex: 0, stages: [PlannedStage(name: "Only", targetC: 200)])
    }

    /// Writes a cook of `seconds` of ticks straight through the writer.
    static func writeCook(_ writer: HistoryWriter, number: Int, at unixSeconds: Double, seconds: Double) {
        writer.beginCook(start(number, at: unixSeconds))
        writer.record(CookEventRecord(.stageStarted(index: 0, name: "Only", targetC: 200), timeSeconds: 0), stationSeconds: 0)
        var time = 0.0
        while time < seconds {
            time += 0.25
            writer.append(
                CookSample(
                    timeSeconds: time, measuredC: 180 + time.truncatingRemainder(dividingBy: 40), targetC: 200, burnerOn: Int(time) % 2 == 0,
                    duty: 0.5))
            writer.flush(realSeconds: unixSeconds + time)
        }
        writer.endCook(.completed, reason: nil, atSeconds: time, nowUnixSeconds: unixSeconds + time)
    }

    @Test func theOldestCooksGoOnceTheFilePassesItsSize() throws {
        let directory = try TemporaryDirectory()
        let retention = HistoryRetention(maxBytes: 1 << 20, maxAgeDays: nil)
        let writer = try HistoryWriter(path: directory.database, retention: retention, nowUnixSeconds: 0)
        for number in 1...40 { Self.writeCook(writer, number: number, at: Double(number) * 86_400, seconds: 300) }

        #expect(writer.failure == nil)
        #expect(try writer.usedBytes() <= retention.maxBytes)
        let cooks = try HistoryReader(path: directory.database).cooks(limit: 100)
        #expect(cooks.first?.recipeName == "Cook 40")
        #expect(cooks.count < 40, "some old cooks were deleted")
        #expect(cooks.count > 10, "but not more than needed")
        // Deleted from the oldest: the kept ones are a run of the newest.
        #expect(cooks.map(\.id) == Array((41 - cooks.count...40).reversed()))
        let size = try #require(FileSize.of(directory.database))
        #expect(size <= retention.ceilingBytes)
    }

    @Test func cooksOlderThanTheAgeLimitGo() throws {
        let directory = try TemporaryDirectory()
        let writer = try HistoryWriter(
            path: directory.database, retention: HistoryRetention(maxBytes: 64 << 20, maxAgeDays: 30), nowUnixSeconds: 0)
        for number in 1...10 { Self.writeCook(writer, number: number, at: Double(number) * 10 * 86_400, seconds: 5) }
        // Cook 10 ended a few seconds into day 100, so cook 7 (day 70) had just passed 30 days.
        let kept = try HistoryReader(path: directory.database).cooks().map(\.recipeName)
        #expect(kept == ["Cook 10", "Cook 9", "Cook 8"])
    }

    @Test func aFullDiskStopsTheHistoryNotTheCook() throws {
        let directory = try TemporaryDirectory()
        // A ceiling of 80 kB: the schema fits, a whole cook does not.
        var rig = try HistoryRig(database: directory.database, retention: HistoryRetention(maxBytes: 64 << 10, maxAgeDays: nil))
        var hottestWithBurnerOnC = 0.0
        var ticks = 0
        let finished = try rig.cookCaramelisedPork(everyTick: { report in
            guard let report else { return }
            ticks += 1
            if report.burner.isOn, let measured = report.measuredC { hottestWithBurnerOnC = max(hottestWithBurnerOnC, measured) }
        })

        #expect(finished)
        #expect(rig.core.state == .done, "the cook went on to the end")
        #expect(rig.core.burnerIsOn == false)
        #expect(ticks > 3000)
        // The burner stayed under control: never on far above the hottest stage's 230 °C target.
        #expect(hottestWithBurnerOnC < 240)
        let history = try #require(rig.core.snapshot()["historyStore"]?.objectValue)
        #expect(history["ok"]?.boolValue == false)
        #expect(history["error"]?.stringValue?.contains("full") == true)
        let reports = rig.log.lines.filter { $0.message.contains("the history is full") }
        #expect(reports.count == 1, "logged once, not every tick")

        // What was written before the disk filled is consistent and readable.
        let reader = try HistoryReader(path: directory.database)
        let cook = try #require(try reader.cook(id: 1))
        #expect(!cook.samples.isEmpty)
        #expect(cook.samples.count < ticks)
        let integrity = try SQLiteConnection(path: directory.database, readOnly: true)
        let check = try integrity.prepare("PRAGMA integrity_check")
        #expect(try check.step())
        #expect(check.text(0) == "ok")
    }
}

enum FileSize {
    static func of(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
