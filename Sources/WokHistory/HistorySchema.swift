/// The history's tables, version by version. `PRAGMA user_version` holds the version; the
/// daemon migrates an older file forward when it opens it, and nothing ever moves backwards.
/// See docs/history.md for what each column means.
enum HistorySchema {
    /// The version this code writes.
    static let current = 4

    /// Version 1: cooks, events and samples; no stage table, no recipe hash or station.
    /// Kept verbatim so tests can build a version-1 file and migrate it.
    static let version1 = """
        CREATE TABLE cooks(
            id INTEGER PRIMARY KEY,
            recipe TEXT NOT NULL,
            recipe_source TEXT NOT NULL,
            recipe_document TEXT NOT NULL,
            started_by TEXT NOT NULL,
            started_at_unix REAL NOT NULL,
            ended_at_unix REAL,
            duration_s REAL NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL,
            reason TEXT);
        CREATE INDEX cooks_by_start ON cooks(started_at_unix);
        CREATE TABLE events(
            id INTEGER PRIMARY KEY,
            cook_id INTEGER NOT NULL,
            time_s REAL NOT NULL,
            name TEXT NOT NULL,
            stage_index INTEGER,
            message TEXT NOT NULL);
        CREATE INDEX events_by_cook ON events(cook_id, id);
        CREATE TABLE samples(
            cook_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            time_s REAL NOT NULL,
            measured_c REAL,
            target_c REAL,
            burner INTEGER NOT NULL,
            duty REAL NOT NULL,
            PRIMARY KEY(cook_id, seq)) WITHOUT ROWID;
        PRAGMA user_version = 1;
        """

    /// Version 2 over version 1: the recipe's hash, the station and the first stage on each cook,
    /// a detail on events, the true temperature on samples (simulations), and the stage timeline.
    /// The stage rows of old cooks are rebuilt from their stage-started events (see `migrate`).
    static let version1To2 = """
        ALTER TABLE cooks ADD COLUMN recipe_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE cooks ADD COLUMN station TEXT NOT NULL DEFAULT '';
        ALTER TABLE cooks ADD COLUMN first_stage INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE events ADD COLUMN detail TEXT;
        ALTER TABLE samples ADD COLUMN true_c REAL;
        CREATE INDEX cooks_by_recipe ON cooks(recipe, started_at_unix);
        CREATE TABLE stages(
            cook_id INTEGER NOT NULL,
            stage_index INTEGER NOT NULL,
            name TEXT NOT NULL,
            target_c REAL,
            started_s REAL,
            ended_s REAL,
            reached_s REAL,
            PRIMARY KEY(cook_id, stage_index)) WITHOUT ROWID;
        """

    /// Version 3 over version 2: the reading shown during a fault, which control did not use, and
    /// whether the sensor was believed. Null in every older row, which read as `measured_c` (what
    /// control used was what was shown), so nothing needs filling in.
    static let version2To3 = """
        ALTER TABLE samples ADD COLUMN reading_c REAL;
        ALTER TABLE samples ADD COLUMN reading_trusted INTEGER;
        """

    /// Version 4 over version 3: whether a cook continued an interrupted one (`wokctl resume`). A
    /// resume from the first stage left no mark before; one from a later stage had `first_stage`.
    static let version3To4 = """
        ALTER TABLE cooks ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0;
        UPDATE cooks SET resumed = 1 WHERE first_stage > 0;
        """

    /// Brings `connection` to `current`, one step per version, each in its own transaction.
    static func migrate(_ connection: SQLiteConnection) throws(SQLiteError) {
        var version = try connection.integer("PRAGMA user_version")
        if version > current {
            throw SQLiteError(
                code: 0, message: "the file has schema version \(version); this wokd knows up to \(current)",
                context: "opening the history \(connection.path)")
        }
        if version == 0 {
            // A new file: incremental vacuum must be chosen before the first table exists.
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL", "creating the history")
            try inTransaction(connection, "creating the history schema") { () throws(SQLiteError) in
                try connection.execute(version1, "creating the history schema")
            }
            version = 1
        }
        if version == 1 {
            try inTransaction(connection, "migrating the history from version 1 to 2") { () throws(SQLiteError) in
                try connection.execute(version1To2, "migrating the history from version 1 to 2")
                try backfillVersion2(connection)
                try connection.execute("PRAGMA user_version = 2", "migrating the history from version 1 to 2")
            }
            version = 2
        }
        if version == 2 {
            try inTransaction(connection, "migrating the history from version 2 to 3") { () throws(SQLiteError) in
                try connection.execute(version2To3, "migrating the history from version 2 to 3")
                try connection.execute("PRAGMA user_version = 3", "migrating the history from version 2 to 3")
            }
            version = 3
        }
        if version == 3 {
            try inTransaction(connection, "migrating the history from version 3 to 4") { () throws(SQLiteError) in
                try connection.execute(version3To4, "migrating the history from version 3 to 4")
                try connection.execute("PRAGMA user_version = 4", "migrating the history from version 3 to 4")
            }
            version = 4
        }
    }

    /// Fills what version 2 added for cooks written under version 1: the recipe hash, and a stage
    /// row per stage-started event (its name from the event's words, its target from the first
    /// sample of the stage, its end where the next stage or the cook ended).
    private static func backfillVersion2(_ connection: SQLiteConnection) throws(SQLiteError) {
        let cooks = try connection.prepare("SELECT id, recipe_document, duration_s FROM cooks")
        var rows: [(id: Int, document: String, duration: Double)] = []
        while try cooks.step() {
            rows.append((cooks.int(0) ?? 0, cooks.text(1) ?? "", cooks.double(2) ?? 0))
        }
        let setHash = try connection.prepare("UPDATE cooks SET recipe_hash = ? WHERE id = ?")
        let starts = try connection.prepare(
            "SELECT stage_index, time_s, message FROM events WHERE cook_id = ? AND name = 'stage-started' ORDER BY id")
        let target = try connection.prepare(
            "SELECT target_c FROM samples WHERE cook_id = ? AND time_s >= ? AND target_c IS NOT NULL ORDER BY seq LIMIT 1")
        let insert = try connection.prepare(
            "INSERT OR REPLACE INTO stages(cook_id, stage_index, name, target_c, started_s, ended_s) VALUES (?, ?, ?, ?, ?, ?)")
        for row in rows {
            try setHash.run([.text(recipeContentHash(row.document)), .integer(Int64(row.id))])
            try starts.bind([.integer(Int64(row.id))])
            var stages: [(index: Int, start: Double, name: String)] = []
            while try starts.step() {
                stages.append((starts.int(0) ?? stages.count, starts.double(1) ?? 0, quotedName(starts.text(2) ?? "")))
            }
            for (offset, stage) in stages.enumerated() {
                try target.bind([.integer(Int64(row.id)), .real(stage.start)])
                let targetC = try target.step() ? target.double(0) : nil
                try target.bind([])
                let end = offset + 1 < stages.count ? stages[offset + 1].start : row.duration
                try insert.run([
                    .integer(Int64(row.id)), .integer(Int64(stage.index)), .text(stage.name), SQLiteValue(targetC),
                    .real(stage.start), .real(end),
                ])
            }
        }
    }

    /// The text between the first pair of double quotes ("stage 2 \"Sear\" started" gives Sear).
    static func quotedName(_ message: String) -> String {
        let parts = message.split(separator: "\"", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : message
    }

    static func inTransaction(
        _ connection: SQLiteConnection, _ context: String, _ body: () throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        try connection.execute("BEGIN IMMEDIATE", context)
        do {
            try body()
            try connection.execute("COMMIT", context)
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK", context) }
            throw error
        }
    }
}
