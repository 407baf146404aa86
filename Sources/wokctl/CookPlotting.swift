import WokCore
import WokHistory
import WokPlot
import WokSimulator

/// Turns a stored cook, two of them, or a simulated run into what the plot module draws.
enum CookPlotting {
    static let measuredColor = "#d62728"
    static let targetColor = "#555555"
    static let trueColor = "#1f77b4"
    static let burnerColor = "#ff7f0e"
    static let compareColor = "#2ca02c"
    static let doubtedColor = "#8c8c8c"

    static func plot(_ cook: CookHistory) -> CookPlot {
        let summary = cook.summary
        var lines = [
            PlotLine(label: "target", color: targetColor, dashed: true, widthPixels: 1.4, points: cook.samples.map { ($0.timeSeconds, $0.targetC) }),
            PlotLine(label: "wok (measured)", color: measuredColor, points: cook.samples.map { ($0.timeSeconds, $0.measuredC) }),
        ]
        // After a fault the curve goes on, dashed (burner off, control not reading), or dotted
        // grey where the sensor itself is in doubt.
        if let after = shownApart(cook.samples, trusted: true) {
            lines.append(PlotLine(label: "wok after the fault", color: measuredColor, dashed: true, points: after))
        }
        if let doubted = shownApart(cook.samples, trusted: false) {
            lines.append(PlotLine(label: "wok, sensor not trusted", color: doubtedColor, dotted: true, points: doubted))
        }
        if cook.samples.contains(where: { $0.trueC != nil }) {
            lines.append(PlotLine(label: "wok (true)", color: trueColor, widthPixels: 1.0, points: cook.samples.map { ($0.timeSeconds, $0.trueC) }))
        }
        return CookPlot(
            title: "Cook \(summary.id): \(summary.recipeName.escapingControls)",
            subtitle:
                "\(HistoryText.dateTime(summary.startedAtUnixSeconds)) · \(summary.station.escapingControls) · \(HistoryText.outcomeText(summary)) · \(clockText(summary.durationSeconds))",
            lines: lines, bands: bands(cook), markers: markers(cook.events),
            strips: [
                PlotStrip(label: "burner", color: burnerColor, onIntervals: PlotStrip.intervals(cook.samples.map { ($0.timeSeconds, $0.burnerOn) }))
            ])
    }

    /// How two cooks share the time axis.
    enum Alignment: Equatable {
        /// Each from its own start.
        case start
        /// The second shifted so that stage `index` (from 0) starts when the first's does.
        case stage(Int)
    }

    /// Why two cooks cannot be aligned as asked.
    struct AlignmentProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// Seconds to add to the second cook's times for `alignment`.
    static func offset(_ first: CookHistory, _ second: CookHistory, _ alignment: Alignment) -> Result<Double, AlignmentProblem> {
        guard case .stage(let index) = alignment else { return .success(0) }
        func start(_ cook: CookHistory) -> Double? { cook.stages.first { $0.index == index }?.startedSeconds }
        guard let mine = start(first), let theirs = start(second) else {
            let missing = start(first) == nil ? first.summary.id : second.summary.id
            return .failure(AlignmentProblem(description: "cook \(missing) never started stage \(index + 1)"))
        }
        return .success(mine - theirs)
    }

    /// Two cooks on one time axis, aligned by their starts or by a stage; bands and marks from the first.
    static func compare(_ first: CookHistory, _ second: CookHistory, shiftingSecondBy shift: Double = 0, note: String = "") -> CookPlot {
        let lines = [
            PlotLine(label: "target", color: targetColor, dashed: true, widthPixels: 1.4, points: first.samples.map { ($0.timeSeconds, $0.targetC) }),
            PlotLine(label: "cook \(first.summary.id)", color: measuredColor, points: first.samples.map { ($0.timeSeconds, $0.measuredC) }),
            PlotLine(
                label: "cook \(second.summary.id)", color: compareColor, points: second.samples.map { ($0.timeSeconds + shift, $0.measuredC) }),
        ]
        var title = "\(first.summary.recipeName.escapingControls): cook \(first.summary.id) against cook \(second.summary.id)"
        if first.summary.recipeName != second.summary.recipeName { title += " (\(second.summary.recipeName.escapingControls))" }
        return CookPlot(
            title: title,
            subtitle:
                "\(HistoryText.dateTime(first.summary.startedAtUnixSeconds)) and \(HistoryText.dateTime(second.summary.startedAtUnixSeconds)); stages of cook \(first.summary.id)\(note)",
            lines: lines, bands: bands(first), markers: markers(first.events),
            strips: [
                PlotStrip(
                    label: "burner \(first.summary.id)", color: measuredColor,
                    onIntervals: PlotStrip.intervals(first.samples.map { ($0.timeSeconds, $0.burnerOn) })),
                PlotStrip(
                    label: "burner \(second.summary.id)", color: compareColor,
                    onIntervals: PlotStrip.intervals(second.samples.map { ($0.timeSeconds + shift, $0.burnerOn) })),
            ])
    }

    /// The readings shown but not used by control (a fault latched) whose trust is `trusted`, as a
    /// line that starts where the measured line stopped, so the curve reads on; nil when none.
    static func shownApart(_ samples: [CookSample], trusted: Bool) -> [(timeSeconds: Double, valueC: Double?)]? {
        func apart(_ sample: CookSample) -> Double? {
            guard sample.measuredC == nil, let shown = sample.shownReading, shown.trusted == trusted else { return nil }
            return shown.celsius
        }
        var points: [(timeSeconds: Double, valueC: Double?)] = []
        for (index, sample) in samples.enumerated() {
            let joinsNext = index + 1 < samples.count && apart(samples[index + 1]) != nil
            points.append((sample.timeSeconds, apart(sample) ?? (joinsNext ? sample.measuredC : nil)))
        }
        return samples.contains { apart($0) != nil } ? points : nil
    }

    static func bands(_ cook: CookHistory) -> [PlotBand] {
        cook.stages.compactMap { stage in
            guard let start = stage.startedSeconds else { return nil }
            let target = stage.targetC.map { " \(formatCelsius($0))°" } ?? ""
            return PlotBand(
                label: stage.name.escapingControls + target, startSeconds: start, endSeconds: stage.endedSeconds ?? cook.summary.durationSeconds)
        }
    }

    static func markers(_ events: [CookEventRecord]) -> [PlotMarker] {
        // Messages quote the recipe (and may be old rows): shown escaped, as on a terminal.
        events.compactMap { event in
            switch event.name {
            case "prompt", "awaiting-confirmation": PlotMarker(timeSeconds: event.timeSeconds, label: event.message.escapingControls, kind: .prompt)
            case "fault", "alarm", "cook-aborted", "valve-closed", "confirmation-overdue":
                PlotMarker(timeSeconds: event.timeSeconds, label: event.message.escapingControls, kind: .fault)
            case "confirmed", "held", "resumed", "stage-extended", "stage-finished":
                PlotMarker(timeSeconds: event.timeSeconds, label: event.message.escapingControls, kind: .note)
            default: nil
            }
        }
    }

    /// A simulated run, with the true wok temperature as a second line.
    static func simulation(_ rows: [TraceRow], recipe: Recipe, result: SimulationResult) -> CookPlot {
        var bands: [PlotBand] = []
        var markers: [PlotMarker] = []
        var current: (index: Int, start: Double)?
        for row in rows {
            for event in row.events {
                if case .stageStarted(let index, _, _) = event {
                    if let open = current { bands.append(band(open, recipe, rows, end: row.timeSeconds)) }
                    current = (index, row.timeSeconds)
                }
                if case .cookCompleted = event, let open = current {
                    bands.append(band(open, recipe, rows, end: row.timeSeconds))
                    current = nil
                }
                let record = CookEventRecord(event, timeSeconds: row.timeSeconds)
                markers += Self.markers([record])
            }
        }
        if let open = current { bands.append(band(open, recipe, rows, end: rows.last?.timeSeconds ?? open.start)) }
        return CookPlot(
            title: "Simulated: \(recipe.name.escapingControls)",
            subtitle:
                "\(result.controller.rawValue) controller on \(result.plant), seed \(result.seed) · \(result.completed ? "completed" : "aborted: \((result.abortReason ?? "?").escapingControls)") · \(clockText(result.simulatedSeconds))",
            lines: [
                PlotLine(label: "target", color: targetColor, dashed: true, widthPixels: 1.4, points: rows.map { ($0.timeSeconds, $0.targetC) }),
                PlotLine(label: "wok (true)", color: trueColor, widthPixels: 1.0, points: rows.map { ($0.timeSeconds, $0.trueC) }),
                PlotLine(label: "wok (measured)", color: measuredColor, points: rows.map { ($0.timeSeconds, $0.measuredC) }),
            ],
            bands: bands, markers: markers,
            strips: [PlotStrip(label: "burner", color: burnerColor, onIntervals: PlotStrip.intervals(rows.map { ($0.timeSeconds, $0.burner.isOn) }))])
    }

    private static func band(_ open: (index: Int, start: Double), _ recipe: Recipe, _ rows: [TraceRow], end: Double) -> PlotBand {
        let name = recipe.stages.indices.contains(open.index) ? recipe.stages[open.index].name : "stage \(open.index + 1)"
        let target = rows.first { $0.timeSeconds >= open.start && $0.stageIndex == open.index }?.targetC
        return PlotBand(label: name.escapingControls + (target.map { " \(formatCelsius($0))°" } ?? ""), startSeconds: open.start, endSeconds: end)
    }
}
