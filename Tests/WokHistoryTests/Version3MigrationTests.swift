import Testing
import WokCore

@testable import WokHistory

@Suite struct Version3MigrationTests {
    @Test func aVersion2FileGainsTheReadingColumnsAndItsSamplesReadAsWhatControlUsed() throws {
        let directory = try TemporaryDirectory()
        do {
            let connection = try SQLiteConnection(path: directory.database, readOnly: false)
            try connection.execute(HistorySchema.version1, "test: version 1")
            try connection.execute(HistorySchema.version1To2, "test: version 2")
            try connection.execute(
                """
                PRAGMA user_version = 2;
                INSERT INTO cooks(id, recipe, recipe_source, recipe_document, started_by, started_at_unix, ended_at_unix, duration_s, outcome)
                    VALUES (1, 'Fried rice', 'x', '{}', 'uid 1000', 1700000000, 1700000100, 100, 'completed');
                INSERT INTO samples(cook_id, seq, time_s, measured_c, target_c, burner, duty, true_c)
                    VALUES (1, 0, 0.25, 25, 220, 1, 1, 24.5), (1, 1, 0.5, NULL, 220, 0, 0, 25);
                """, "test: a version-2 cook")
        }
        let writer = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_700_000_200)
        _ = writer
        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        #expect(
            cook.samples == [
                CookSample(timeSeconds: 0.25, measuredC: 25, targetC: 220, burnerOn: true, duty: 1, trueC: 24.5),
                CookSample(timeSeconds: 0.5, measuredC: nil, targetC: 220, burnerOn: false, duty: 0, trueC: 25),
            ])
        #expect(cook.samples[0].shownReading == ShownReading(celsius: 25, trusted: true))
        #expect(cook.samples[1].shownReading == nil)
        let connection = try SQLiteConnection(path: directory.database, readOnly: true)
        #expect(try connection.integer("PRAGMA user_version") == HistorySchema.current)
    }
}
