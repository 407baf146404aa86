import WokCore
import WokWire

/// Words and pictures of the daemon's snapshot, for `status` and `watch`. Every text that came
/// from the daemon passes through `safeText` before it reaches the terminal.
enum StatusText {
    /// `wokctl status`: a few lines a person reads at a glance.
    static func render(_ snapshot: StationSnapshot) -> String {
        var lines: [String] = []
        var header = "wokd: \(Terminal.bold(snapshot.state.rawValue))"
        if let recipe = snapshot.recipe, snapshot.state != .idle { header += " - \(safeText(recipe))" }
        if snapshot.simulated { header += " (simulated, \(formatNumber(snapshot.speed))x)" }
        lines.append(header)
        if let stage = snapshot.stage {
            lines.append("  Stage:    \(stageText(stage, of: snapshot))")
        }
        lines.append("  Heat:     \(heatText(snapshot))")
        if let fault = snapshot.fault {
            lines.append("  Fault:    " + Terminal.danger("\(safeText(fault.kind)): \(safeText(fault.reason))"))
        } else if let last = snapshot.lastFault {
            lines.append("  Last fault: \(lastFaultText(last, now: snapshot.timeSeconds))")
        }
        if let cook = snapshot.interrupted {
            lines.append(
                "  Interrupted: \"\(safeText(cook.recipe))\" in stage \(cook.stageIndex + 1) \"\(safeText(cook.stageName))\"; `wokctl resume` continues it (for \(clockText(cook.resumableForSeconds)) more), `wokctl abort` discards it"
            )
        }
        if let problem = snapshot.historyProblem {
            lines.append("  History:  " + Terminal.danger(safeText(problem)))
        } else if let lag = historyLag(snapshot) {
            lines.append("  History:  " + Terminal.danger(lag))
        }
        if let prompt = snapshot.prompt {
            lines.append(Terminal.alert(">>> \(safeText(prompt))"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A disk that keeps the history's writer waiting, or made it drop samples: the cook goes on,
    /// but the record of it has gaps, and the person should know.
    static func historyLag(_ snapshot: StationSnapshot) -> String? {
        guard let store = snapshot.historyStore.objectValue else { return nil }
        let stalled = store["writerStalledSeconds"]?.numberValue ?? 0
        let dropped = (store["droppedSamples"]?.intValue ?? 0) + (store["droppedEvents"]?.intValue ?? 0)
        var parts: [String] = []
        if stalled >= 5 { parts.append("the disk has kept the writer waiting \(formatNumber(stalled.rounded())) s") }
        if dropped > 0 { parts.append("\(dropped) samples or events dropped while it was behind") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// One line: after a command, and for each change when `watch` is not on a terminal.
    static func summary(_ snapshot: StationSnapshot) -> String {
        var parts = [snapshot.state.rawValue]
        if let stage = snapshot.stage { parts.append(stageText(stage, of: snapshot)) }
        parts.append(heatText(snapshot))
        if let fault = snapshot.fault { parts.append("FAULT \(safeText(fault.kind))") }
        return parts.joined(separator: "; ")
    }

    static func stageText(_ stage: StationSnapshot.StageProgress, of snapshot: StationSnapshot) -> String {
        var text = "\(stage.index + 1)/\(snapshot.stages.count) \"\(safeText(stage.name))\", \(clockText(stage.elapsedSeconds)) in"
        if let remaining = stage.remainingSeconds { text += ", \(clockText(remaining.rounded(.up))) to go" }
        return text
    }

    static func heatText(_ snapshot: StationSnapshot) -> String {
        let target = snapshot.targetC.map { "\(formatCelsius($0)) °C" } ?? "off"
        let wok = readingText(snapshot.shownReading)
        let duty = Int((snapshot.duty * 100).rounded())
        return "target \(target), wok \(wok), burner \(snapshot.burnerOn ? "on" : "off") (duty \(duty) %)"
    }

    /// The wok's reading as a person should take it: during a fault of the sensor's own, a number
    /// that still decodes is never shown as if it were good.
    static func readingText(_ reading: ShownReading?) -> String {
        guard let reading else { return "no reading" }
        return "\(formatCelsius(reading.celsius)) °C" + (reading.trusted ? "" : " (sensor not trusted)")
    }

    /// The fault acknowledged last: what, how long ago in station time, and why.
    static func lastFaultText(_ fault: StationSnapshot.Fault, now: Double) -> String {
        "\(safeText(fault.kind)), acknowledged; \(clockText(max(0, now - fault.detectedAtSeconds).rounded())) ago: \(safeText(fault.reason))"
    }

    /// The parts of a snapshot whose change deserves a new line: not the temperature's wobble,
    /// nor each click of the relay, which would bury the changes a person cares about; but a
    /// reading that goes, comes back or loses the sensor's trust does.
    static func changeKey(_ snapshot: StationSnapshot) -> String {
        [
            snapshot.state.rawValue, snapshot.stage.map { String($0.index) } ?? "", snapshot.fault?.kind ?? "",
            snapshot.prompt ?? "", snapshot.targetC.map { formatNumber($0) } ?? "",
            snapshot.shownReading.map { $0.trusted ? "reading" : "doubted" } ?? "none",
        ].joined(separator: "|")
    }
}

/// The wok's temperature against the target over the last minutes, in braille (see
/// `BrailleChart`), with the burner's share of time on as a strip beneath.
enum TemperatureChart {
    static func render(_ samples: [TemperaturePoint], width: Int, height: Int, windowSeconds: Double) -> [String] {
        guard let last = samples.last else { return ["(no readings yet)"] }
        let start = max(samples.first?.timeSeconds ?? 0, last.timeSeconds - windowSeconds)
        let points = samples.map {
            ChartPointConversion.point(
                timeSeconds: $0.timeSeconds, temperatureC: $0.temperatureC, targetC: $0.targetC, burnerOn: $0.burnerOn, trusted: $0.trusted)
        }
        var lines = ChartPointConversion.chart(
            points, width: width, height: height, startSeconds: start, endSeconds: max(start + 1, last.timeSeconds),
            color: Terminal.colorEnabled)
        lines.append("        last \(clockText(last.timeSeconds - start)) of cook time")
        return lines
    }
}
