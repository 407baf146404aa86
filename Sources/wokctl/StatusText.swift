import WokCore

/// Words and pictures of the daemon's snapshot, for `status` and `watch`.
enum StatusText {
    /// `wokctl status`: a few lines a person reads at a glance.
    static func render(_ snapshot: JSONObject) -> String {
        var lines: [String] = []
        let state = snapshot["state"]?.stringValue ?? "unknown"
        let recipe = snapshot["recipe"]?.stringValue
        var header = "wokd: \(Terminal.bold(state))"
        if let recipe, state != "idle" { header += " - \(recipe)" }
        if snapshot["simulated"]?.boolValue == true {
            header += " (simulated, \(formatNumber(snapshot["speed"]?.numberValue ?? 1))x)"
        }
        lines.append(header)
        if let stage = snapshot["stage"]?.objectValue {
            lines.append("  Stage:    \(stageText(stage, of: snapshot))")
        }
        lines.append("  Heat:     \(heatText(snapshot))")
        if let fault = snapshot["fault"]?.objectValue {
            lines.append("  Fault:    " + Terminal.danger("\(fault["kind"]?.stringValue ?? "?"): \(fault["reason"]?.stringValue ?? "")"))
        }
        if let interrupted = snapshot["interrupted"]?.objectValue {
            let stage = (interrupted["stageIndex"]?.intValue ?? 0) + 1
            lines.append(
                "  Interrupted: \"\(interrupted["recipe"]?.stringValue ?? "?")\" in stage \(stage) \"\(interrupted["stageName"]?.stringValue ?? "")\"; `wokctl resume` continues it (for \(clockText(interrupted["resumableForSeconds"]?.numberValue ?? 0)) more), `wokctl abort` discards it")
        }
        if let store = snapshot["historyStore"]?.objectValue, store["ok"]?.boolValue == false {
            lines.append("  History:  " + Terminal.danger(store["error"]?.stringValue ?? "not being written"))
        }
        if let prompt = snapshot["prompt"]?.stringValue {
            lines.append(Terminal.alert(">>> \(prompt)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line: after a command, and for each change when `watch` is not on a terminal.
    static func summary(_ snapshot: JSONObject) -> String {
        var parts = [snapshot["state"]?.stringValue ?? "unknown"]
        if let stage = snapshot["stage"]?.objectValue { parts.append(stageText(stage, of: snapshot)) }
        parts.append(heatText(snapshot))
        if let fault = snapshot["fault"]?.objectValue { parts.append("FAULT \(fault["kind"]?.stringValue ?? "?")") }
        return parts.joined(separator: "; ")
    }

    static func stageText(_ stage: JSONObject, of snapshot: JSONObject) -> String {
        let index = (stage["index"]?.intValue ?? 0) + 1
        let count = snapshot["stages"]?.arrayValue?.count ?? 0
        var text = "\(index)/\(count) \"\(stage["name"]?.stringValue ?? "")\", \(clockText(stage["elapsedSeconds"]?.numberValue ?? 0)) in"
        if let remaining = stage["remainingSeconds"]?.numberValue { text += ", \(clockText(remaining.rounded(.up))) to go" }
        return text
    }

    static func heatText(_ snapshot: JSONObject) -> String {
        let target = snapshot["targetC"]?.numberValue.map { "\(formatCelsius($0)) °C" } ?? "off"
        let wok = snapshot["temperatureC"]?.numberValue.map { "\(formatCelsius($0)) °C" } ?? "no reading"
        let burner = snapshot["burner"]?.stringValue ?? "?"
        let duty = Int(((snapshot["duty"]?.numberValue ?? 0) * 100).rounded())
        return "target \(target), wok \(wok), burner \(burner) (duty \(duty) %)"
    }

    /// The parts of a snapshot whose change deserves a new line: not the temperature's wobble,
    /// nor each click of the relay, which would bury the changes a person cares about.
    static func changeKey(_ snapshot: JSONObject) -> String {
        [
            snapshot["state"]?.stringValue ?? "", snapshot["stage"]?.objectValue?["index"]?.intValue.map(String.init) ?? "",
            snapshot["fault"]?.objectValue?["kind"]?.stringValue ?? "",
            snapshot["prompt"]?.stringValue ?? "", snapshot["targetC"]?.numberValue.map { formatNumber($0) } ?? "",
        ].joined(separator: "|")
    }
}

/// One point of the temperature chart.
struct ChartSample {
    var timeSeconds: Double
    var temperatureC: Double?
    var targetC: Double?
    var burnerOn: Bool
}

/// The wok's temperature against the target over the last minutes, in braille (see
/// `BrailleChart`), with the burner's share of time on as a strip beneath.
enum TemperatureChart {
    static func render(_ samples: [ChartSample], width: Int, height: Int, windowSeconds: Double) -> [String] {
        guard let last = samples.last else { return ["(no readings yet)"] }
        let start = max(samples.first?.timeSeconds ?? 0, last.timeSeconds - windowSeconds)
        let points = samples.map {
            ChartPointConversion.point(timeSeconds: $0.timeSeconds, temperatureC: $0.temperatureC, targetC: $0.targetC, burnerOn: $0.burnerOn)
        }
        var lines = ChartPointConversion.chart(
            points, width: width, height: height, startSeconds: start, endSeconds: max(start + 1, last.timeSeconds),
            color: Terminal.isInteractive)
        lines.append("        last \(clockText(last.timeSeconds - start)) of cook time")
        return lines
    }
}
