internal import CSQLite

/// A failed SQLite call: what we were doing, SQLite's own words and its result code.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (its low byte is the primary code).
    public var code: Int32
    public var message: String
    /// What the history was doing, e.g. "writing samples of cook 12".
    public var context: String

    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// The disk (or the database's size limit) is full: SQLITE_FULL.
    public var isDiskFull: Bool { code & 0xFF == SQLITE_FULL }
    /// Another connection holds a lock past the busy timeout.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }

    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}

/// One value bound to or read from a statement.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

/// One connection to a database file; every call goes through here, so every failure becomes
/// an `SQLiteError` with its context. Used from one thread.
final class SQLiteConnection {
    private let handle: OpaquePointer
    let path: String

    /// Opens `path`; `readOnly` never creates or changes anything.
    init(path: String, readOnly: Bool) throws(SQLiteError) {
        var pointer: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &pointer, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let pointer { sqlite3_close_v2(pointer) }
            throw SQLiteError(code: status, message: message, context: "opening \(path)")
        }
        sqlite3_extended_result_codes(pointer, 1)
        handle = pointer
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func error(_ status: Int32, _ context: String) -> SQLiteError {
        SQLiteError(
            code: sqlite3_extended_errcode(handle) == 0 ? status : sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), context: context)
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String, _ context: String) throws(SQLiteError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, context) }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, "preparing \(sql.prefix(60))") }
        return SQLiteStatement(statement, connection: self)
    }

    /// The first column of the first row, as an integer (0 when there is no row).
    func integer(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return 0 }
        return statement.int(0) ?? 0
    }

    /// Waits this long for another connection's lock before giving up with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Keeps the -wal and -shm files after the last connection closes, so readers without
    /// write access to the directory can still open the database (see docs/history.md).
    func persistWriteAheadLog() {
        var on: Int32 = 1
        sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

/// A prepared statement, reused: bind, step through the rows, reset.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// SQLite copies bound text at once (SQLITE_TRANSIENT), so the Swift string may go.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32 =
                switch value {
                case .null: sqlite3_bind_null(handle, index)
                case .integer(let number): sqlite3_bind_int64(handle, index, number)
                case .real(let number): sqlite3_bind_double(handle, index, number)
                case .text(let text): sqlite3_bind_text(handle, index, text, -1, Self.transient)
                }
            guard status == SQLITE_OK else { throw connection.error(status, "binding parameter \(index)") }
        }
    }

    /// Advances to the next row; false when there are no more (the statement is then reset).
    func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            let failure = connection.error(status, "running \(String(cString: sqlite3_sql(handle)).prefix(60))")
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Binds and runs a statement that returns no rows.
    func run(_ values: [SQLiteValue]) throws(SQLiteError) {
        try bind(values)
        while try step() {}
    }

    func int(_ column: Int32) -> Int? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, column))
    }

    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: pointer)
    }
}
