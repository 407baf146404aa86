import WokPlot

/// The braille chart, for `watch` and `show`.
enum ChartPointConversion {
    static func point(timeSeconds: Double, temperatureC: Double?, targetC: Double?, burnerOn: Bool) -> ChartPoint {
        ChartPoint(timeSeconds: timeSeconds, temperatureC: temperatureC, targetC: targetC, burnerOn: burnerOn)
    }

    static func chart(_ points: [ChartPoint], width: Int, height: Int, startSeconds: Double, endSeconds: Double, color: Bool) -> [String] {
        var lines = BrailleChart.render(points, width: width, height: height, startSeconds: startSeconds, endSeconds: endSeconds, color: color)
        lines.append("        wok ⣿ solid, target ⠉ dotted, burner ▁…█ share of time on")
        return lines
    }
}
