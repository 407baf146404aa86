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

/// A character chart of the wok's temperature (•) against the target (─) over the last minutes,
/// with the burner as a strip beneath (█ on).
enum TemperatureChart {
    static func render(_ samples: [ChartSample], width: Int, height: Int, windowSeconds: Double) -> [String] {
        let labelWidth = 7
        let columns = max(10, width - labelWidth - 1)
        guard let last = samples.last else { return ["(no readings yet)"] }
        let start = last.timeSeconds - windowSeconds
        let visible = samples.filter { $0.timeSeconds >= start }
        let values = visible.flatMap { [$0.temperatureC, $0.targetC].compactMap { $0 } }
        guard var low = values.min(), var high = values.max() else { return ["(no readings yet)"] }
        // At least 20 °C of span, so noise does not fill the screen.
        if high - low < 20 {
            let middle = (high + low) / 2
            low = middle - 10
            high = middle + 10
        }
        low -= (high - low) * 0.05
        high += (high - low) * 0.05
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: height)
        var strip = Array(repeating: Character(" "), count: columns)
        func row(_ celsius: Double) -> Int {
            let fraction = (celsius - low) / (high - low)
            return min(height - 1, max(0, height - 1 - Int((fraction * Double(height - 1)).rounded())))
        }
        for column in 0..<columns {
            let from = start + windowSeconds * Double(column) / Double(columns)
            let to = start + windowSeconds * Double(column + 1) / Double(columns)
            let bucket = visible.filter { $0.timeSeconds >= from && $0.timeSeconds < to }
            guard !bucket.isEmpty else { continue }
            if let target = bucket.compactMap(\.targetC).last { grid[row(target)][column] = "─" }
            let temperatures = bucket.compactMap(\.temperatureC)
            if !temperatures.isEmpty {
                let mean = temperatures.reduce(0, +) / Double(temperatures.count)
                grid[row(mean)][column] = "•"
            }
            if bucket.contains(where: \.burnerOn) { strip[column] = "█" }
        }
        var lines: [String] = []
        for (index, cells) in grid.enumerated() {
            let celsius = high - (high - low) * Double(index) / Double(max(1, height - 1))
            let label = index == 0 || index == height - 1 || index == height / 2 ? "\(Int(celsius.rounded())) °C" : ""
            lines.append(column(label, labelWidth, right: true) + "│" + String(cells))
        }
        lines.append(column("burner", labelWidth, right: true) + "│" + String(strip))
        lines.append(column("", labelWidth) + "└" + String(repeating: "─", count: columns))
        lines.append(column("", labelWidth) + " last \(clockText(min(windowSeconds, last.timeSeconds - (visible.first?.timeSeconds ?? last.timeSeconds)))) of cook time")
        return lines
    }
}
