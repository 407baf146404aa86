/// How much history to keep, so the SD card never fills: the oldest cooks go first once the
/// database passes its size, or its age limit. The newest cook is always kept.
public struct HistoryRetention: Sendable, Equatable {
    /// The most the database may hold; the daemon trims it to 90 % of this after each cook, and
    /// SQLite refuses to grow the file past 125 % of it (the disk-full path) whatever happens.
    public var maxBytes: Int
    /// Cooks that started longer ago than this are deleted; nil keeps them by size alone.
    public var maxAgeDays: Double?

    public init(maxBytes: Int, maxAgeDays: Double?) {
        self.maxBytes = maxBytes
        self.maxAgeDays = maxAgeDays
    }

    /// 256 MB and two years: a year of daily 20-minute cooks takes about a fifth of that
    /// (see docs/history.md for the measured figures).
    public static let standard = HistoryRetention(maxBytes: 256 << 20, maxAgeDays: 730)

    /// The byte count retention trims to.
    var lowWaterBytes: Int { maxBytes / 10 * 9 }
    /// The hard ceiling, in bytes, above which writes fail with SQLITE_FULL.
    var ceilingBytes: Int { maxBytes + maxBytes / 4 }
    /// Most cooks one retention pass deletes, so one pass never stalls the control loop for long.
    static let maxDeletionsPerPass = 50
}
