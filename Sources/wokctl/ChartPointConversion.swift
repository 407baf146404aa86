import WokPlot

/// The braille chart, for `watch` and `show`.
enum ChartPointConversion {
    static func point(timeSeconds: Double, temperatureC: Double?, targetC: Double?, burnerOn: Bool, trusted: Bool = true) -> ChartPoint {
        ChartPoint(timeSeconds: timeSeconds, temperatureC: temperatureC, targetC: targetC, burnerOn: burnerOn, trusted: trusted)
    }

    static func chart(_ points: [ChartPoint], width: Int, height: Int, startSeconds: Double, endSeconds: Double, color: Bool) -> [String] {
        var lines = BrailleChart.render(points, width: width, height: height, startSeconds: startSeconds, endSeconds: endSeconds, color: color)
        let doubted = points.contains { !$0.trusted && $0.temperatureC != nil && $0.timeSeconds >= startSeconds && $0.timeSeconds <= endSeconds }
        lines.append("        wok ⣿ solid, target ⠉ dotted, " + (doubted ? "sensor not trusted ⠂ sparse, " : "") + "burner ▁…█ share of time on")
        return lines
    }
}
