internal import Glibc

/// The daemon's side of the history: it opens (and if need be creates or migrates) the database,
/// writes each cook as it happens, and trims old cooks. Events are committed at once; samples are
/// buffered and committed by `flush(realSeconds:)` at most `flushIntervalSeconds` apart, so a
/// crash loses less than a second of samples and no event. A failed write (a full disk) never
/// reaches the cook: it is reported once, the rest of the cook goes unrecorded, and the next cook
/// tries again. Used from the daemon's one thread.
public final class HistoryWriter {
    public let path: String
    public let retention: HistoryRetention
    private let connection: SQLiteConnection
    private let reportFailure: (String) -> Void
    /// The cook being written: its row, station time at its start, and the next sample number.
    private var open: (id: Int64, startSeconds: Double, nextSequence: Int)?
    /// The last cook written, for events after its end (a fault's acknowledgement).
    private var last: (id: Int64, startSeconds: Double)?
    private var pending: [CookSample] = []
    private var lastFlushRealSeconds = -Double.infinity
    /// Why the history is not being written, when it is not.
    public private(set) var failure: String?

    /// Samples are committed this often (real seconds): half the one-second promise, so a commit
    /// that lands late still keeps it.
    public static let flushIntervalSeconds = 0.5
    /// The buffer's bound, for a caller that stops flushing: the oldest samples go first.
    public static let maxPendingSamples = 1200

    private let insertCook: SQLiteStatement
    private let insertStage: SQLiteStatement
    private let insertEvent: SQLiteStatement
    private let insertSample: SQLiteStatement
    private let updateDuration: SQLiteStatement
    private let stageStarted: SQLiteStatement
    private let stageEndedBefore: SQLiteStatement
    private let stageReached: SQLiteStatement
    private let endCookRow: SQLiteStatement

    /// Opens the history at `path`, creating or migrating it. `reportFailure` hears of each write
    /// failure once (the daemon logs it).
    /// `durable: false` skips the fsyncs, for filling a database in a benchmark or an import;
    /// the daemon never passes it.
    public init(
        path: String, retention: HistoryRetention = .standard, nowUnixSeconds: Double, durable: Bool = true,
        reportFailure: @escaping (String) -> Void = { _ in }
    ) throws(SQLiteError) {
        self.path = path
        self.retention = retention
        self.reportFailure = reportFailure
        connection = try SQLiteConnection(path: path, readOnly: false)
        // Group-readable so `wokctl` run by the station's group can read it (docs/history.md).
        chmod(path, 0o640)
        connection.setBusyTimeout(milliseconds: 100)
        try connection.execute("PRAGMA journal_mode = WAL", "setting write-ahead logging on \(path)")
        // FULL: each commit waits for the WAL to reach the disk, so a power cut (not only a kill)
        // loses at most the last second of samples; that is one fsync a second plus one per event,
        // which the loop's quarter second absorbs. NORMAL would only survive a process crash.
        try connection.execute("PRAGMA synchronous = \(durable ? "FULL" : "OFF")", "setting synchronous commits on \(path)")
        connection.persistWriteAheadLog()
        try HistorySchema.migrate(connection)
        let pageSize = max(512, try connection.integer("PRAGMA page_size"))
        try connection.execute("PRAGMA max_page_count = \(max(16, retention.ceilingBytes / pageSize))", "limiting \(path)")
        insertCook = try connection.prepare("""
            INSERT INTO cooks(recipe, recipe_hash, recipe_source, recipe_document, station, started_by, started_at_unix,
                              duration_s, first_stage, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'running')
            """)
        insertStage = try connection.prepare("INSERT INTO stages(cook_id, stage_index, name, target_c) VALUES (?, ?, ?, ?)")
        insertEvent = try connection.prepare(
            "INSERT INTO events(cook_id, time_s, name, stage_index, message, detail) VALUES (?, ?, ?, ?, ?, ?)")
        insertSample = try connection.prepare(
            "INSERT OR REPLACE INTO samples(cook_id, seq, time_s, measured_c, target_c, burner, duty, true_c) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        updateDuration = try connection.prepare("UPDATE cooks SET duration_s = max(duration_s, ?) WHERE id = ?")
        stageStarted = try connection.prepare(
            "UPDATE stages SET started_s = ?, target_c = ?, ended_s = NULL, reached_s = NULL WHERE cook_id = ? AND stage_index = ?")
        stageEndedBefore = try connection.prepare(
            "UPDATE stages SET ended_s = ? WHERE cook_id = ? AND started_s IS NOT NULL AND ended_s IS NULL AND stage_index <> ?")
        stageReached = try connection.prepare(
            "UPDATE stages SET reached_s = ? WHERE cook_id = ? AND stage_index = ? AND reached_s IS NULL")
        endCookRow = try connection.prepare(
            "UPDATE cooks SET outcome = ?, reason = ?, ended_at_unix = ?, duration_s = max(duration_s, ?) WHERE id = ?")
        closeInterruptedCooks(reason: "wokd stopped during the cook", nowUnixSeconds: nowUnixSeconds)
        trim(nowUnixSeconds: nowUnixSeconds)
    }

    /// Whether a cook is being written now.
    public var isRecording: Bool { open != nil }

    // MARK: Writing a cook

    /// Starts writing a cook. A previous failure is forgotten: each cook tries afresh.
    public func beginCook(_ start: CookStart) {
        if open != nil {
            endCook(.interrupted, reason: "a new cook started before this one ended", atSeconds: start.stationSeconds, nowUnixSeconds: start.startedAtUnixSeconds)
        }
        failure = nil
        pending = []
        trim(nowUnixSeconds: start.startedAtUnixSeconds)
        write("starting cook \"\(start.recipeName)\"") { () throws(SQLiteError) in
            try insertCook.run([
                .text(start.recipeName), .text(recipeContentHash(start.recipeDocument)), .text(start.recipeSource),
                .text(start.recipeDocument), .text(start.station), .text(start.startedBy), .real(start.startedAtUnixSeconds),
                .integer(Int64(start.firstStageIndex)),
            ])
            let id = connection.lastInsertedRowID
            for (index, stage) in start.stages.enumerated() {
                try insertStage.run([.integer(id), .integer(Int64(index)), .text(stage.name), SQLiteValue(stage.targetC)])
            }
            open = (id, start.stationSeconds, 0)
        }
    }

    /// Commits `event` at once (with any buffered samples before it). Events while no cook is
    /// open (a fault's acknowledgement after the cook ended) go to the last cook.
    public func record(_ event: CookEventRecord, stationSeconds: Double) {
        guard let cook = open.map({ (id: $0.id, startSeconds: $0.startSeconds) }) ?? last else { return }
        var record = event
        record.timeSeconds = stationSeconds - cook.startSeconds
        write("recording event \(event.name) of cook \(cook.id)") { () throws(SQLiteError) in
            try writePending()
            try insertEvent.run([
                .integer(cook.id), .real(record.timeSeconds), .text(record.name), SQLiteValue(record.stageIndex),
                .text(record.message), SQLiteValue(record.detail),
            ])
            try updateDuration.run([.real(record.timeSeconds), .integer(cook.id)])
            guard open?.id == cook.id, let stage = record.stageIndex else { return }
            if record.name == "stage-started" {
                try stageEndedBefore.run([.real(record.timeSeconds), .integer(cook.id), .integer(Int64(stage))])
                let target = try currentTarget(cook: cook.id, stage: stage)
                try stageStarted.run([.real(record.timeSeconds), SQLiteValue(target), .integer(cook.id), .integer(Int64(stage))])
            } else if record.name == "target-reached" {
                try stageReached.run([.real(record.timeSeconds), .integer(cook.id), .integer(Int64(stage))])
            }
        }
    }

    private func currentTarget(cook: Int64, stage: Int) throws(SQLiteError) -> Double? {
        let statement = try connection.prepare("SELECT target_c FROM stages WHERE cook_id = ? AND stage_index = ?")
        try statement.bind([.integer(cook), .integer(Int64(stage))])
        return try statement.step() ? statement.double(0) : nil
    }

    /// Buffers one tick of the open cook; `sample.timeSeconds` is station time.
    public func append(_ sample: CookSample) {
        guard let cook = open, failure == nil else { return }
        var relative = sample
        relative.timeSeconds = sample.timeSeconds - cook.startSeconds
        if pending.count >= Self.maxPendingSamples { pending.removeFirst(pending.count - Self.maxPendingSamples + 1) }
        pending.append(relative)
    }

    /// Commits buffered samples if `flushIntervalSeconds` of real time passed since the last
    /// commit; the daemon calls it every loop turn with its monotonic clock.
    public func flush(realSeconds: Double) {
        guard realSeconds - lastFlushRealSeconds >= Self.flushIntervalSeconds else { return }
        lastFlushRealSeconds = realSeconds
        guard !pending.isEmpty, let cook = open else { return }
        write("writing samples of cook \(cook.id)") { () throws(SQLiteError) in try writePending() }
    }

    /// Commits everything buffered now, whatever the time.
    public func flushNow() {
        guard !pending.isEmpty, let cook = open else { return }
        write("writing samples of cook \(cook.id)") { () throws(SQLiteError) in try writePending() }
    }

    private func writePending() throws(SQLiteError) {
        guard var cook = open, !pending.isEmpty else { return }
        for sample in pending {
            try insertSample.run([
                .integer(cook.id), .integer(Int64(cook.nextSequence)), .real(sample.timeSeconds), SQLiteValue(sample.measuredC),
                SQLiteValue(sample.targetC), .integer(sample.burnerOn ? 1 : 0), .real(sample.duty), SQLiteValue(sample.trueC),
            ])
            cook.nextSequence += 1
        }
        try updateDuration.run([.real(pending[pending.count - 1].timeSeconds), .integer(cook.id)])
        open = cook
        pending = []
    }

    /// Ends the open cook with its outcome, then trims old cooks.
    public func endCook(_ outcome: HistoryOutcome, reason: String?, atSeconds stationSeconds: Double, nowUnixSeconds: Double) {
        guard let cook = open else { return }
        let relative = stationSeconds - cook.startSeconds
        write("ending cook \(cook.id)") { () throws(SQLiteError) in
            try writePending()
            try endCookRow.run([.text(outcome.rawValue), SQLiteValue(reason), .real(nowUnixSeconds), .real(relative), .integer(cook.id)])
            try stageEndedBefore.run([.real(relative), .integer(cook.id), .integer(-1)])
        }
        open = nil
        pending = []
        last = (cook.id, cook.startSeconds)
        trim(nowUnixSeconds: nowUnixSeconds)
    }

    /// Marks cooks left `running` by a daemon that died as interrupted, ending at their last record.
    public func closeInterruptedCooks(reason: String, nowUnixSeconds: Double) {
        write("closing interrupted cooks") { () throws(SQLiteError) in
            let openID = open.map { $0.id } ?? -1
            try connection.prepare("""
                UPDATE stages SET ended_s = (SELECT duration_s FROM cooks WHERE id = cook_id)
                WHERE started_s IS NOT NULL AND ended_s IS NULL AND cook_id <> ?
                  AND cook_id IN (SELECT id FROM cooks WHERE outcome = 'running')
                """).run([.integer(openID)])
            try connection.prepare("""
                UPDATE cooks SET outcome = 'interrupted', reason = ?, ended_at_unix = started_at_unix + duration_s
                WHERE outcome = 'running' AND id <> ?
                """).run([.text(reason), .integer(openID)])
        }
    }

    // MARK: Retention

    /// Deletes the oldest cooks past the age limit, then while the file is over its low-water
    /// mark; never the open or the newest cook, at most `maxDeletionsPerPass` per call.
    public func trim(nowUnixSeconds: Double) {
        guard failure == nil else { return }
        do {
            var deleted = 0
            let keep = try connection.integer("SELECT coalesce(max(id), -1) FROM cooks")
            let openID = open.map { Int($0.id) } ?? -1
            if let days = retention.maxAgeDays {
                let old = try connection.prepare(
                    "SELECT id FROM cooks WHERE started_at_unix < ? AND id <> ? AND id <> ? ORDER BY id LIMIT ?")
                try old.bind([
                    .real(nowUnixSeconds - days * 86_400), .integer(Int64(keep)), .integer(Int64(openID)),
                    .integer(Int64(HistoryRetention.maxDeletionsPerPass)),
                ])
                var ids: [Int] = []
                while try old.step() { if let id = old.int(0) { ids.append(id) } }
                try delete(ids)
                deleted += ids.count
            }
            while deleted < HistoryRetention.maxDeletionsPerPass, try usedBytes() > retention.lowWaterBytes {
                let oldest = try connection.integer(
                    "SELECT coalesce(min(id), -1) FROM cooks WHERE id <> ? AND id <> ?", [.integer(Int64(keep)), .integer(Int64(openID))])
                guard oldest >= 0 else { break }
                try delete([oldest])
                deleted += 1
            }
            if deleted > 0 { try connection.execute("PRAGMA incremental_vacuum", "returning freed pages of \(path)") }
        } catch {
            // Trimming that fails leaves old cooks in place; the size ceiling still holds.
            fail(error)
        }
    }

    /// Bytes the database's live pages take (freed pages not counted: SQLite reuses them).
    public func usedBytes() throws(SQLiteError) -> Int {
        let pages = try connection.integer("PRAGMA page_count") - connection.integer("PRAGMA freelist_count")
        return pages * (try connection.integer("PRAGMA page_size"))
    }

    private func delete(_ ids: [Int]) throws(SQLiteError) {
        guard !ids.isEmpty else { return }
        try HistorySchema.inTransaction(connection, "deleting old cooks") { () throws(SQLiteError) in
            for table in ["samples", "events", "stages"] {
                let statement = try connection.prepare("DELETE FROM \(table) WHERE cook_id = ?")
                for id in ids { try statement.run([.integer(Int64(id))]) }
            }
            let cooks = try connection.prepare("DELETE FROM cooks WHERE id = ?")
            for id in ids { try cooks.run([.integer(Int64(id))]) }
        }
    }

    // MARK: Failures

    private func write(_ what: String, _ body: () throws(SQLiteError) -> Void) {
        guard failure == nil else { return }
        do {
            try HistorySchema.inTransaction(connection, what, body)
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: SQLiteError) {
        guard failure == nil else { return }
        let text =
            error.isDiskFull
            ? "the history is full (\(error)); the cook goes on unrecorded"
            : "the history cannot be written (\(error)); the cook goes on unrecorded"
        failure = text
        pending = []
        reportFailure(text)
    }
}
