import WokCore

/// The one CSV layout for a cook's ticks, written by `simulate --trace` and `export --csv` alike,
/// so a spreadsheet or script made for one reads the other. One row per sample; the events since
/// the previous row, by name, in the last column.
enum CookCSV {
    static let header = "time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events\n"

    struct Row {
        var timeSeconds: Double
        var stageName: String?
        var targetC: Double?
        /// The reading control used.
        var measuredC: Double?
        var burnerOn: Bool
        var duty: Double
        /// The wok's true temperature: simulations only.
        var trueC: Double?
        /// The reading people were shown, and whether it was believed.
        var shownReading: ShownReading?
        var eventNames: [String]
    }

    static func line(_ row: Row) -> String {
        var text = "\(fixed(row.timeSeconds, 2)),\(row.stageName.map { "\"\($0.replacingQuotes)\"" } ?? ""),"
        text += "\(row.targetC.map { fixed($0, 1) } ?? ""),\(row.measuredC.map { fixed($0, 3) } ?? ""),"
        text += "\(row.burnerOn ? 1 : 0),\(fixed(row.duty, 3)),\(row.trueC.map { fixed($0, 3) } ?? ""),"
        text += "\(row.shownReading.map { fixed($0.celsius, 3) } ?? ""),\(row.shownReading.map { $0.trusted ? "1" : "0" } ?? ""),"
        return text + row.eventNames.joined(separator: ";") + "\n"
    }
}

extension String {
    /// A field's quotes doubled, as CSV quotes them.
    var replacingQuotes: String { split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") }
}
