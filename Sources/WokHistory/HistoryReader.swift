internal import WokCore

/// Reads the history without changing it: what `wokctl history`, `show`, `export` and `plot` use.
/// Opened read-only, it never blocks the daemon's writes (write-ahead logging lets both run).
public final class HistoryReader {
    public let path: String
    private let connection: SQLiteConnection

    /// The file name the daemon uses inside its state directory.
    public static let fileName = "history.sqlite3"

    public init(path: String) throws(SQLiteError) {
        self.path = path
        connection = try SQLiteConnection(path: path, readOnly: true)
        connection.setBusyTimeout(milliseconds: 2000)
        let version = try connection.integer("PRAGMA user_version")
        guard version == HistorySchema.current else {
            throw SQLiteError(
                code: 0,
                message: version < HistorySchema.current
                    ? "schema version \(version) is older than \(HistorySchema.current); starting wokd upgrades it"
                    : "schema version \(version) is newer than this wokctl knows (\(HistorySchema.current))",
                context: "reading the history \(path)")
        }
    }

    private static let summaryColumns = """
        id, recipe, recipe_hash, station, started_by, started_at_unix, ended_at_unix, duration_s, first_stage, outcome, reason, resumed
        """

    /// Cooks, newest first; `recipe` matches names containing it, ignoring case.
    public func cooks(recipe: String? = nil, limit: Int = 20) throws(SQLiteError) -> [CookSummary] {
        let filter = recipe == nil ? "" : "WHERE recipe LIKE ? ESCAPE '\\'"
        let statement = try connection.prepare(
            "SELECT \(Self.summaryColumns) FROM cooks \(filter) ORDER BY started_at_unix DESC, id DESC LIMIT ?")
        var bindings: [SQLiteValue] = []
        if let recipe {
            let escaped = recipe.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
            bindings.append(.text("%\(escaped)%"))
        }
        bindings.append(.integer(Int64(max(0, limit))))
        try statement.bind(bindings)
        var rows: [CookSummary] = []
        while try statement.step() { rows.append(Self.summary(statement)) }
        return rows
    }

    public func cookCount() throws(SQLiteError) -> Int {
        try connection.integer("SELECT count(*) FROM cooks")
    }

    /// The newest cook's number, if there is one.
    public func newestCookID() throws(SQLiteError) -> Int? {
        let id = try connection.integer("SELECT coalesce(max(id), -1) FROM cooks")
        return id >= 0 ? id : nil
    }

    /// One whole cook, or nil when there is none with that number.
    public func cook(id: Int) throws(SQLiteError) -> CookHistory? {
        let head = try connection.prepare(
            "SELECT \(Self.summaryColumns), recipe_document, recipe_source FROM cooks WHERE id = ?")
        try head.bind([.integer(Int64(id))])
        guard try head.step() else { return nil }
        let summary = Self.summary(head)
        let document = head.text(12) ?? ""
        let source = head.text(13) ?? ""
        try head.bind([])

        let stageRows = try connection.prepare(
            "SELECT stage_index, name, target_c, started_s, ended_s, reached_s FROM stages WHERE cook_id = ? ORDER BY stage_index")
        try stageRows.bind([.integer(Int64(id))])
        var stages: [CookStageRecord] = []
        while try stageRows.step() {
            stages.append(
                CookStageRecord(
                    index: stageRows.int(0) ?? stages.count, name: stageRows.text(1) ?? "", targetC: stageRows.double(2),
                    startedSeconds: stageRows.double(3), endedSeconds: stageRows.double(4), reachedSeconds: stageRows.double(5)))
        }

        let eventRows = try connection.prepare(
            "SELECT time_s, name, stage_index, message, detail FROM events WHERE cook_id = ? ORDER BY id")
        try eventRows.bind([.integer(Int64(id))])
        var events: [CookEventRecord] = []
        while try eventRows.step() {
            events.append(
                CookEventRecord(
                    timeSeconds: eventRows.double(0) ?? 0, name: eventRows.text(1) ?? "", stageIndex: eventRows.int(2),
                    message: eventRows.text(3) ?? "", detail: eventRows.text(4)))
        }

        let sampleRows = try connection.prepare(
            "SELECT time_s, measured_c, target_c, burner, duty, true_c, reading_c, reading_trusted FROM samples WHERE cook_id = ? ORDER BY seq")
        try sampleRows.bind([.integer(Int64(id))])
        var samples: [CookSample] = []
        while try sampleRows.step() {
            // A row without a reading of its own showed what control used (every row before version 3).
            let shown = sampleRows.double(6).map { ShownReading(celsius: $0, trusted: sampleRows.int(7) == 1) }
            let measured = sampleRows.double(1)
            samples.append(
                CookSample(
                    timeSeconds: sampleRows.double(0) ?? 0, measuredC: measured, targetC: sampleRows.double(2),
                    burnerOn: sampleRows.int(3) == 1, duty: sampleRows.double(4) ?? 0, trueC: sampleRows.double(5),
                    shownReading: shown ?? CookSample.asMeasured(measured)))
        }
        return CookHistory(
            summary: summary, recipeDocument: document, recipeSource: source, stages: stages, events: events, samples: samples)
    }

    private static func summary(_ row: SQLiteStatement) -> CookSummary {
        CookSummary(
            id: row.int(0) ?? 0, recipeName: row.text(1) ?? "", recipeHash: row.text(2) ?? "", station: row.text(3) ?? "",
            startedBy: row.text(4) ?? "", startedAtUnixSeconds: row.double(5) ?? 0, endedAtUnixSeconds: row.double(6),
            durationSeconds: row.double(7) ?? 0, firstStageIndex: row.int(8) ?? 0, resumed: row.int(11) == 1,
            outcome: HistoryOutcome(rawValue: row.text(9) ?? "") ?? .interrupted, reason: row.text(10))
    }
}
