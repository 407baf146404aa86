import WokCore
import WokHistory

#if canImport(Glibc)
    import Glibc
#endif

/// Words for stored cooks: dates, outcomes, the stage table and the exports.
enum HistoryText {
    /// Local date and time, "2025-03-01 18:42".
    static func dateTime(_ unixSeconds: Double) -> String {
        var seconds = time_t(unixSeconds.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    static func outcomeText(_ summary: CookSummary) -> String {
        switch summary.outcome {
        case .completed: "completed"
        case .running: "running"
        case .aborted, .fault, .interrupted: "\(summary.outcome.rawValue)" + (summary.reason.map { ": \($0.escapingControls)" } ?? "")
        }
    }

    /// The recipe column of `wokctl history`: 32 at least, and on a wider terminal as wide as the
    /// longest name, leaving room for the other columns and a short outcome.
    static func recipeWidth(_ cooks: [CookSummary], columns: Int) -> Int {
        let others = 6 + 16 + 7 + 4 * 2 + 12
        let longest = cooks.map { $0.recipeName.escapingControls.count }.max() ?? 0
        return max(32, min(longest, columns - others))
    }

    /// One line of `wokctl history`.
    static func line(_ summary: CookSummary, recipeWidth: Int = 32) -> String {
        [
            column(String(summary.id), 6, right: true), dateTime(summary.startedAtUnixSeconds),
            column(summary.recipeName.escapingControls, recipeWidth), column(clockText(summary.durationSeconds), 7, right: true),
            outcomeText(summary),
        ].joined(separator: "  ")
    }

    static func header(recipeWidth: Int = 32) -> String {
        [column("cook", 6, right: true), column("started", 16), column("recipe", recipeWidth), column("time", 7, right: true), "outcome"]
            .joined(separator: "  ")
    }

    static func number(_ value: Double?, places: Int = 2) -> JSONValue {
        guard let value else { return .null }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .number((value * scale).rounded() / scale)
    }

    static func summaryJSON(_ summary: CookSummary) -> JSONValue {
        .object([
            "id": .number(Double(summary.id)), "recipe": .string(summary.recipeName), "recipeHash": .string(summary.recipeHash),
            "station": .string(summary.station), "startedBy": .string(summary.startedBy),
            "startedAtUnixSeconds": .number(summary.startedAtUnixSeconds),
            "endedAtUnixSeconds": summary.endedAtUnixSeconds.map(JSONValue.number) ?? .null,
            "durationSeconds": number(summary.durationSeconds), "firstStageIndex": .number(Double(summary.firstStageIndex)),
            "resumed": .bool(summary.resumed),
            "outcome": .string(summary.outcome.rawValue), "reason": summary.reason.map(JSONValue.string) ?? .null,
        ])
    }

    static func stageJSON(_ analysis: StageAnalysis) -> JSONValue {
        let stage = analysis.stage
        return .object([
            "index": .number(Double(stage.index)), "name": .string(stage.name), "targetC": stage.targetC.map(JSONValue.number) ?? .null,
            "startedSeconds": number(stage.startedSeconds), "endedSeconds": number(stage.endedSeconds),
            "reachedSeconds": number(stage.reachedSeconds), "secondsToReach": number(analysis.secondsToReach),
            "overshootC": number(analysis.overshootC), "holdMeanAbsErrorC": number(analysis.holdMeanAbsErrorC),
        ])
    }

    /// The whole cook as JSON: `wokctl export COOK --json`.
    static func exportJSON(_ cook: CookHistory) -> JSONValue {
        let events: [JSONValue] = cook.events.map { event in
            .object([
                "timeSeconds": .number(event.timeSeconds), "name": .string(event.name),
                "stageIndex": event.stageIndex.map { .number(Double($0)) } ?? .null, "message": .string(event.message),
                "detail": event.detail.map(JSONValue.string) ?? .null,
            ])
        }
        let samples: [JSONValue] = cook.samples.map { sample in
            .object([
                "timeSeconds": .number(sample.timeSeconds), "measuredC": sample.measuredC.map(JSONValue.number) ?? .null,
                "targetC": sample.targetC.map(JSONValue.number) ?? .null, "burner": .bool(sample.burnerOn),
                "duty": .number(sample.duty), "trueC": sample.trueC.map(JSONValue.number) ?? .null,
                "readingC": sample.shownReading.map { .number($0.celsius) } ?? .null,
                "readingTrusted": sample.shownReading.map { .bool($0.trusted) } ?? .null,
            ])
        }
        return .object([
            "cook": summaryJSON(cook.summary), "recipeSource": .string(cook.recipeSource), "recipeDocument": .string(cook.recipeDocument),
            "stages": .array(StageAnalysis.stages(of: cook).map(stageJSON)), "events": .array(events), "samples": .array(samples),
        ])
    }

    /// One row per sample; the events that happened since the previous sample in the last column.
    static func exportCSV(_ cook: CookHistory) -> String {
        var text = CookCSV.header
        var eventIndex = 0
        for sample in cook.samples {
            let stage = cook.stages.last { ($0.startedSeconds ?? .infinity) <= sample.timeSeconds }
            var names: [String] = []
            while eventIndex < cook.events.count, cook.events[eventIndex].timeSeconds <= sample.timeSeconds {
                names.append(cook.events[eventIndex].name)
                eventIndex += 1
            }
            text += CookCSV.line(
                CookCSV.Row(
                    timeSeconds: sample.timeSeconds, stageName: stage?.name, targetC: sample.targetC, measuredC: sample.measuredC,
                    burnerOn: sample.burnerOn, duty: sample.duty, trueC: sample.trueC, shownReading: sample.shownReading,
                    eventNames: names))
        }
        return text
    }

    /// `wokctl show`: the cook, its stage table, its faults and notable events, and a chart. Every
    /// text from the database is escaped: rows may predate the loaders' refusal of control characters.
    static func show(_ cook: CookHistory, width: Int, color: Bool) -> String {
        let summary = cook.summary
        var lines = [
            Terminal.bold("Cook \(summary.id): \(summary.recipeName.escapingControls)"),
            "  Started:  \(dateTime(summary.startedAtUnixSeconds)) by \(summary.startedBy.escapingControls) on \(summary.station.escapingControls)"
                + (summary.resumed ? ", resumed from stage \(summary.firstStageIndex + 1)" : ""),
            "  Outcome:  \(outcomeText(summary)) after \(clockText(summary.durationSeconds))",
            "  Recipe:   \(cook.recipeSource.escapingControls) (content \(summary.recipeHash.escapingControls))",
            "",
        ]
        let header = [
            column("stage", 24), column("target", 7, right: true), column("start", 6, right: true), column("time", 6, right: true),
            column("reached", 8, right: true), column("overshoot", 10, right: true), column("hold err", 9, right: true),
        ]
        lines.append(header.joined(separator: " "))
        for analysis in StageAnalysis.stages(of: cook) {
            let stage = analysis.stage
            lines.append(
                [
                    column("\(stage.index + 1) \(stage.name.escapingControls)", 24),
                    column(stage.targetC.map { "\(formatCelsius($0))°" } ?? "off", 7, right: true),
                    column(clockText(stage.startedSeconds ?? 0), 6, right: true),
                    column(analysis.durationSeconds.map(clockText) ?? "-", 6, right: true),
                    column(analysis.secondsToReach.map { "\(fixed($0, 0))s" } ?? (stage.targetC == nil ? "-" : "never"), 8, right: true),
                    column(analysis.overshootC.map { "\(fixed($0, 1))°" } ?? "-", 10, right: true),
                    column(analysis.holdMeanAbsErrorC.map { "\(fixed($0, 2))°" } ?? "-", 9, right: true),
                ].joined(separator: " "))
        }
        let notable = cook.events.filter {
            ["fault", "alarm", "valve-closed", "cook-aborted", "fault-acknowledged", "confirmation-overdue", "target-not-reached", "held", "resumed"]
                .contains($0.name)
        }
        if !notable.isEmpty {
            lines.append("")
            for event in notable {
                let text = "  [\(column(clockText(event.timeSeconds), 5, right: true))] \(event.message.escapingControls)"
                lines.append(event.name == "fault" || event.name == "alarm" ? Terminal.danger(text) : text)
            }
        }
        lines.append("")
        // Every reading shown, the cool-down after a fault included.
        let points = cook.samples.map {
            ChartPointConversion.point(
                timeSeconds: $0.timeSeconds, temperatureC: $0.shownReading?.celsius, targetC: $0.targetC, burnerOn: $0.burnerOn,
                trusted: $0.shownReading?.trusted ?? true)
        }
        let end = max(1, summary.durationSeconds, cook.samples.last?.timeSeconds ?? 0)
        lines += ChartPointConversion.chart(points, width: width, height: 12, startSeconds: 0, endSeconds: end, color: color)
        return lines.joined(separator: "\n") + "\n"
    }
}
