internal import Glibc

/// The daemon's side of the history: it opens (and if need be creates or migrates) the database,
/// writes each cook as it happens, and trims old cooks. Events are committed at once; samples are
/// buffered and committed by `flush(realSeconds:)` at most `flushIntervalSeconds` apart, so a
/// crash loses less than a second of samples and no event. A failed write (a full disk) never
/// reaches the cook: it is reported once, the rest of the cook goes unrecorded, and the next cook
/// tries again; but a cook's outcome is never given up: one that cannot be written is kept (in
/// memory and in a stash file beside the database) and retried at every commit and at the next
/// open, so it never turns into `interrupted`. Used from one thread at a time (the daemon's
/// writer thread, see `BackgroundStateWriter`); every call may wait for the disk.
public final class HistoryWriter {
    public let path: String
    public let retention: HistoryRetention
    private let connection: SQLiteConnection
    /// Hears of each write failure once (the daemon logs it); whoever owns the writer may replace it.
    public var reportFailure: (String) -> Void
    /// The cook being written: its row, station time at its start, its wall-clock start, and the
    /// next sample number.
    private var open: (id: Int64, startSeconds: Double, startedAtUnixSeconds: Double, nextSequence: Int)?
    /// The last cook written, for events and samples after its end (a fault's cool-down and its
    /// acknowledgement), with its next sample number.
    private var last: (id: Int64, startSeconds: Double, nextSequence: Int)?
    private var pending: [CookSample] = []
    private var lastFlushRealSeconds = -Double.infinity
    /// Why the history is not being written, when it is not.
    public private(set) var failure: String?
    /// Outcomes of ended cooks still to be written, oldest first (at most `OutcomeStash.maxOutcomes`).
    public private(set) var pendingOutcomes: [PendingOutcome] = []
    /// Where pending outcomes are stashed across a restart.
    public var outcomeStashPath: String { OutcomeStash.path(forDatabase: path) }

    /// The mode of the database and its -wal and -shm files: the owner writes, the group (the
    /// station's `wok` group, see docs/history.md) reads, others nothing.
    public static let fileMode: UInt32 = 0o640

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
        connection.setBusyTimeout(milliseconds: 100)
        try connection.execute("PRAGMA journal_mode = WAL", "setting write-ahead logging on \(path)")
        // FULL: each commit waits for the WAL to reach the disk, so a power cut (not only a kill)
        // loses at most the last second of samples; that is one fsync a second plus one per event,
        // which the loop's quarter second absorbs. NORMAL would only survive a process crash.
        try connection.execute("PRAGMA synchronous = \(durable ? "FULL" : "OFF")", "setting synchronous commits on \(path)")
        connection.persistWriteAheadLog()
        try HistorySchema.migrate(connection)
        // Group-readable, the -wal and -shm files too (a reader needs all three), whatever modes an
        // older daemon or another umask left (docs/history.md, "Who may read it").
        for file in [path, path + "-wal", path + "-shm"] where chmod(file, Self.fileMode) != 0 && errno != ENOENT {
            reportFailure("cannot make \(file) group-readable (chmod: \(String(cString: strerror(errno)))); `wokctl history` may be refused")
        }
        let pageSize = max(512, try connection.integer("PRAGMA page_size"))
        try connection.execute("PRAGMA max_page_count = \(max(16, retention.ceilingBytes / pageSize))", "limiting \(path)")
        insertCook = try connection.prepare(
            """
            INSERT INTO cooks(recipe, recipe_hash, recipe_source, recipe_document, station, started_by, started_at_unix,
                              duration_s, first_stage, resumed, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'running')
            """)
        insertStage = try connection.prepare("INSERT INTO stages(cook_id, stage_index, name, target_c) VALUES (?, ?, ?, ?)")
        insertEvent = try connection.prepare(
            "INSERT INTO events(cook_id, time_s, name, stage_index, message, detail) VALUES (?, ?, ?, ?, ?, ?)")
        insertSample = try connection.prepare(
            """
            INSERT OR REPLACE INTO samples(cook_id, seq, time_s, measured_c, target_c, burner, duty, true_c, reading_c, reading_trusted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateDuration = try connection.prepare("UPDATE cooks SET duration_s = max(duration_s, ?) WHERE id = ?")
        stageStarted = try connection.prepare(
            "UPDATE stages SET started_s = ?, target_c = ?, ended_s = NULL, reached_s = NULL WHERE cook_id = ? AND stage_index = ?")
        stageEndedBefore = try connection.prepare(
            "UPDATE stages SET ended_s = ? WHERE cook_id = ? AND started_s IS NOT NULL AND ended_s IS NULL AND stage_index <> ?")
        stageReached = try connection.prepare(
            "UPDATE stages SET reached_s = ? WHERE cook_id = ? AND stage_index = ? AND reached_s IS NULL")
        endCookRow = try connection.prepare(
            "UPDATE cooks SET outcome = ?, reason = ?, ended_at_unix = ?, duration_s = max(duration_s, ?) WHERE id = ? AND started_at_unix = ? AND outcome = 'running'"
        )
        // Outcomes a previous daemon could not write come first, so their cooks are not taken
        // for interrupted ones.
        switch OutcomeStash.load(outcomeStashPath) {
        case .success(let stashed): pendingOutcomes = Array(stashed.suffix(OutcomeStash.maxOutcomes))
        case .failure(let error): reportFailure("the stash of unwritten cook outcomes is unreadable (\(error)); ignoring it")
        }
        retryPendingOutcomes()
        closeInterruptedCooks(reason: "wokd stopped during the cook", nowUnixSeconds: nowUnixSeconds)
        trim(nowUnixSeconds: nowUnixSeconds)
    }

    /// Whether a cook is being written now.
    public var isRecording: Bool { open != nil }

    // MARK: Writing a cook

    /// Starts writing a cook. A previous failure is forgotten: each cook tries afresh.
    public func beginCook(_ start: CookStart) {
        if open != nil {
            endCook(
                .interrupted, reason: "a new cook started before this one ended", atSeconds: start.stationSeconds,
                nowUnixSeconds: start.startedAtUnixSeconds)
        } else if let cook = last, !pending.isEmpty {
            write("writing the samples after the end of cook \(cook.id)") { () throws(SQLiteError) in try writePending() }
        }
        failure = nil
        pending = []
        trim(nowUnixSeconds: start.startedAtUnixSeconds)
        write("starting cook \"\(start.recipeName)\"") { () throws(SQLiteError) in
            try insertCook.run([
                .text(start.recipeName), .text(recipeContentHash(start.recipeDocument)), .text(start.recipeSource),
                .text(start.recipeDocument), .text(start.station), .text(start.startedBy), .real(start.startedAtUnixSeconds),
                .integer(Int64(start.firstStageIndex)), .integer(start.resumed ? 1 : 0),
            ])
            let id = connection.lastInsertedRowID
            for (index, stage) in start.stages.enumerated() {
                try insertStage.run([.integer(id), .integer(Int64(index)), .text(stage.name), SQLiteValue(stage.targetC)])
            }
            open = (id, start.stationSeconds, start.startedAtUnixSeconds, 0)
        }
    }

    /// Commits `event` at once (with any buffered samples before it). Events while no cook is
    /// open (a fault's acknowledgement after the cook ended) go to the last cook, and leave its
    /// duration where its end put it.
    public func record(_ event: CookEventRecord, stationSeconds: Double) {
        guard let cook = open.map({ (id: $0.id, startSeconds: $0.startSeconds) }) ?? last.map({ (id: $0.id, startSeconds: $0.startSeconds) })
        else { return }
        let isOpen = open?.id == cook.id
        var record = event
        record.timeSeconds = stationSeconds - cook.startSeconds
        write("recording event \(event.name) of cook \(cook.id)") { () throws(SQLiteError) in
            try writePending()
            try insertEvent.run([
                .integer(cook.id), .real(record.timeSeconds), .text(record.name), SQLiteValue(record.stageIndex),
                .text(record.message), SQLiteValue(record.detail),
            ])
            guard isOpen else { return }
            try updateDuration.run([.real(record.timeSeconds), .integer(cook.id)])
            guard let stage = record.stageIndex else { return }
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

    /// Buffers one tick of the open cook; `sample.timeSeconds` is station time. With no cook open,
    /// the tick goes to the last cook, after its end (the daemon sends those while the fault that
    /// ended it is latched) and without lengthening it.
    public func append(_ sample: CookSample) {
        guard let startSeconds = open?.startSeconds ?? last?.startSeconds, failure == nil else { return }
        var relative = sample
        relative.timeSeconds = sample.timeSeconds - startSeconds
        if pending.count >= Self.maxPendingSamples { pending.removeFirst(pending.count - Self.maxPendingSamples + 1) }
        pending.append(relative)
    }

    /// Commits buffered samples if `flushIntervalSeconds` of real time passed since the last
    /// commit; the daemon calls it every loop turn with its monotonic clock.
    public func flush(realSeconds: Double) {
        guard realSeconds - lastFlushRealSeconds >= Self.flushIntervalSeconds else { return }
        lastFlushRealSeconds = realSeconds
        flushNow()
    }

    /// Commits everything buffered now, whatever the time, and retries pending outcomes.
    public func flushNow() {
        retryPendingOutcomes()
        guard !pending.isEmpty, let id = open?.id ?? last?.id else { return }
        write("writing samples of cook \(id)") { () throws(SQLiteError) in try writePending() }
    }

    /// Writes the buffered samples to the open cook, or after the end of the last one.
    private func writePending() throws(SQLiteError) {
        guard !pending.isEmpty else { return }
        if var cook = open {
            cook.nextSequence = try insert(pending, cook: cook.id, from: cook.nextSequence)
            try updateDuration.run([.real(pending[pending.count - 1].timeSeconds), .integer(cook.id)])
            open = cook
        } else if var cook = last {
            cook.nextSequence = try insert(pending, cook: cook.id, from: cook.nextSequence)
            last = cook
        }
        pending = []
    }

    /// Inserts `samples` numbered from `sequence`; returns the next number.
    private func insert(_ samples: [CookSample], cook: Int64, from sequence: Int) throws(SQLiteError) -> Int {
        var next = sequence
        for sample in samples {
            // A reading stored on its own only when it was not control's (docs/history.md).
            let shown = sample.shownApartFromMeasured
            try insertSample.run([
                .integer(cook), .integer(Int64(next)), .real(sample.timeSeconds), SQLiteValue(sample.measuredC),
                SQLiteValue(sample.targetC), .integer(sample.burnerOn ? 1 : 0), .real(sample.duty), SQLiteValue(sample.trueC),
                SQLiteValue(shown?.celsius), SQLiteValue(shown.map { $0.trusted ? 1 : 0 }),
            ])
            next += 1
        }
        return next
    }

    /// Ends the open cook with its outcome, then trims old cooks. The outcome is written even
    /// after a failure stopped the cook's samples; one that cannot be written is kept and retried.
    public func endCook(_ outcome: HistoryOutcome, reason: String?, atSeconds stationSeconds: Double, nowUnixSeconds: Double) {
        guard let cook = open else { return }
        let ending = PendingOutcome(
            cookID: cook.id, startedAtUnixSeconds: cook.startedAtUnixSeconds, outcome: outcome, reason: reason,
            endedAtUnixSeconds: nowUnixSeconds, durationSeconds: stationSeconds - cook.startSeconds)
        // With its last samples when the history is healthy; else (or when that fails) alone.
        var written = false
        if failure == nil {
            written = write("ending cook \(cook.id)") { () throws(SQLiteError) in
                try writePending()
                try writeOutcome(ending)
            }
        }
        if !written {
            do {
                try HistorySchema.inTransaction(connection, "writing the outcome of cook \(cook.id)") { () throws(SQLiteError) in
                    try writeOutcome(ending)
                }
            } catch {
                keep(ending, because: error)
            }
        }
        last = (cook.id, cook.startSeconds, open?.nextSequence ?? cook.nextSequence)
        open = nil
        pending = []
        trim(nowUnixSeconds: nowUnixSeconds)
    }

    /// Sets a cook's outcome, only while the row still says `running` (a stashed outcome never
    /// overwrites another, nor a row that is not this cook's).
    private func writeOutcome(_ ending: PendingOutcome) throws(SQLiteError) {
        try endCookRow.run([
            .text(ending.outcome.rawValue), SQLiteValue(ending.reason), .real(ending.endedAtUnixSeconds),
            .real(ending.durationSeconds), .integer(ending.cookID), .real(ending.startedAtUnixSeconds),
        ])
        try stageEndedBefore.run([.real(ending.durationSeconds), .integer(ending.cookID), .integer(-1)])
    }

    /// Keeps an outcome the database refused, in memory and in the stash file.
    private func keep(_ ending: PendingOutcome, because error: SQLiteError) {
        pendingOutcomes.removeAll { $0.cookID == ending.cookID }
        pendingOutcomes.append(ending)
        if pendingOutcomes.count > OutcomeStash.maxOutcomes {
            let lost = pendingOutcomes.removeFirst()
            reportFailure("too many unwritten cook outcomes: the \(lost.outcome.rawValue) of cook \(lost.cookID) is given up")
        }
        var stashed = "stashed in \(outcomeStashPath)"
        do { try OutcomeStash.save(pendingOutcomes, to: outcomeStashPath) } catch {
            stashed = "not stashed (\(error)): a restart before it is written loses it"
        }
        reportFailure(
            "the outcome of cook \(ending.cookID) (\(ending.outcome.rawValue)) cannot be written (\(error)); it is kept, \(stashed), and retried")
    }

    /// Writes the outcomes kept from earlier failures; those the database still refuses stay.
    public func retryPendingOutcomes() {
        guard !pendingOutcomes.isEmpty else { return }
        var still: [PendingOutcome] = []
        for ending in pendingOutcomes {
            do {
                try HistorySchema.inTransaction(connection, "writing the outcome of cook \(ending.cookID)") { () throws(SQLiteError) in
                    try writeOutcome(ending)
                }
            } catch {
                still.append(ending)
            }
        }
        guard still.count != pendingOutcomes.count else { return }
        pendingOutcomes = still
        // The database takes writes again: between cooks, nothing is left unrecorded.
        if still.isEmpty, open == nil { failure = nil }
        // A stash left behind is harmless: its outcomes only apply to rows still `running`.
        do { try OutcomeStash.save(pendingOutcomes, to: outcomeStashPath) } catch { reportFailure("updating \(outcomeStashPath): \(error)") }
    }

    /// Marks cooks left `running` by a daemon that died as interrupted, ending at their last
    /// record; never the open cook, nor one whose outcome is pending (it ended, the disk refused).
    public func closeInterruptedCooks(reason: String, nowUnixSeconds: Double) {
        write("closing interrupted cooks") { () throws(SQLiteError) in
            // Numbers only, so they may go into the text of the statement.
            let spared = ([open.map { $0.id } ?? -1] + pendingOutcomes.map(\.cookID)).map(String.init).joined(separator: ", ")
            try connection.prepare(
                """
                UPDATE stages SET ended_s = (SELECT duration_s FROM cooks WHERE id = cook_id)
                WHERE started_s IS NOT NULL AND ended_s IS NULL AND cook_id NOT IN (\(spared))
                  AND cook_id IN (SELECT id FROM cooks WHERE outcome = 'running')
                """
            ).run([])
            try connection.prepare(
                """
                UPDATE cooks SET outcome = 'interrupted', reason = ?, ended_at_unix = started_at_unix + duration_s
                WHERE outcome = 'running' AND id NOT IN (\(spared))
                """
            ).run([.text(reason)])
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

    @discardableResult
    private func write(_ what: String, _ body: () throws(SQLiteError) -> Void) -> Bool {
        guard failure == nil else { return false }
        do {
            try HistorySchema.inTransaction(connection, what, body)
            return true
        } catch {
            fail(error)
            return false
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
