import Testing
import WokCore

@testable import WokHistory

@Suite struct Version4MigrationTests {
    /// Version 3 knew a resume only by a first stage past the first; those cooks read as resumed.
    @Test func aVersion3FileMarksCooksThatStartedPastTheFirstStageAsResumed() throws {
        let directory = try TemporaryDirectory()
        do {
            let connection = try SQLiteConnection(path: directory.database, readOnly: false)
            try connection.execute(HistorySchema.version1, "test: version 1")
            try connection.execute(HistorySchema.version1To2, "test: version 2")
            try connection.execute(HistorySchema.version2To3, "test: version 3")
            try connection.execute(
                """
                PRAGMA user_version = 3;
                INSERT INTO cooks(id, recipe, recipe_source, recipe_document, started_by, started_at_unix, ended_at_unix, duration_s,
                                  first_stage, outcome)
                    VALUES (1, 'Fried rice', 'x', '{}', 'uid 1000', 1700000000, 1700000100, 100, 0, 'completed'),
                           (2, 'Fried rice', 'x', '{}', 'uid 1000', 1700000200, 1700000300, 100, 2, 'completed');
                """, "test: two version-3 cooks")
        }
        let writer = try HistoryWriter(path: directory.database, nowUnixSeconds: 1_700_000_400)
        _ = writer
        let cooks = try HistoryReader(path: directory.database).cooks()
        #expect(cooks.map(\.id) == [2, 1])
        #expect(cooks.map(\.resumed) == [true, false])
        let connection = try SQLiteConnection(path: directory.database, readOnly: true)
        #expect(try connection.integer("PRAGMA user_version") == 4)
    }
}
