/// One moment of a terminal chart.
public struct ChartPoint: Sendable, Equatable {
    public var timeSeconds: Double
    public var temperatureC: Double?
    public var targetC: Double?
    public var burnerOn: Bool
    /// False for a reading shown while the sensor's own fault is latched: drawn sparse, apart from
    /// the solid line of readings that can be believed.
    public var trusted: Bool

    public init(timeSeconds: Double, temperatureC: Double?, targetC: Double?, burnerOn: Bool, trusted: Bool = true) {
        self.timeSeconds = timeSeconds
        self.temperatureC = temperatureC
        self.targetC = targetC
        self.burnerOn = burnerOn
        self.trusted = trusted
    }
}

/// A chart for the terminal in Unicode braille: each character cell holds 2×4 dots, so a line
/// of 80 columns shows 160 points. The wok's temperature is drawn solid, the target as every
/// other dot, a reading not trusted as every fourth dot; beneath, the burner as block characters whose height is the share of time it
/// was on in that column (▁ to █).
public enum BrailleChart {
    /// Dot bits of a braille cell, by [row][column] (Unicode's U+2800 layout).
    private static let dotBits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
    private static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The chart as lines of text `width` characters wide (labels included) and `height` rows
    /// of braille, over `startSeconds...endSeconds`. `color` adds ANSI colours (red for the
    /// temperature, yellow where it is not trusted, grey for the target).
    public static func render(
        _ points: [ChartPoint], width: Int, height: Int, startSeconds: Double, endSeconds: Double, color: Bool = false
    ) -> [String] {
        let labelWidth = 7
        let columns = min(1000, max(10, width - labelWidth - 1))
        let rows = min(100, max(2, height))
        let visible = points.filter { $0.timeSeconds >= startSeconds && $0.timeSeconds <= endSeconds }
        let values = visible.flatMap { [$0.temperatureC, $0.targetC].compactMap { $0 } }
        guard endSeconds > startSeconds, var low = values.min(), var high = values.max() else { return ["(no readings yet)"] }
        // At least 20 °C of span, so noise does not fill the screen.
        if high - low < 20 {
            let middle = (high + low) / 2
            (low, high) = (middle - 10, middle + 10)
        }
        let margin = (high - low) * 0.05
        (low, high) = (low - margin, high + margin)

        let dotColumns = columns * 2
        let dotRows = rows * 4
        var measured = Array(repeating: Array(repeating: UInt32(0), count: columns), count: rows)
        var target = measured
        var doubted = measured
        var onTime = Array(repeating: 0, count: columns)
        var ticks = Array(repeating: 0, count: columns)
        func dotRow(_ celsius: Double) -> Int {
            let fraction = (celsius - low) / (high - low)
            return min(dotRows - 1, max(0, dotRows - 1 - Int((fraction * Double(dotRows - 1)).rounded())))
        }
        func set(_ grid: inout [[UInt32]], dotX: Int, dotY: Int) {
            grid[dotY / 4][dotX / 2] |= dotBits[dotY % 4][dotX % 2]
        }
        var previousRow: Int?
        var previousX: Int?
        for point in visible {
            let fraction = (point.timeSeconds - startSeconds) / (endSeconds - startSeconds)
            let dotX = min(dotColumns - 1, max(0, Int(fraction * Double(dotColumns))))
            ticks[dotX / 2] += 1
            if point.burnerOn { onTime[dotX / 2] += 1 }
            if let targetC = point.targetC, dotX % 2 == 0 { set(&target, dotX: dotX, dotY: dotRow(targetC)) }
            guard let celsius = point.temperatureC, point.trusted else {
                // Sparse, between the target's dots, and never joined to the believed line.
                if let celsius = point.temperatureC, dotX % 4 == 1 { set(&doubted, dotX: dotX, dotY: dotRow(celsius)) }
                previousRow = nil
                continue
            }
            let row = dotRow(celsius)
            // Join steep steps within one dot column so the line stays unbroken.
            if let previous = previousRow, previousX == dotX || previousX == dotX - 1 {
                for between in min(previous, row)...max(previous, row) { set(&measured, dotX: dotX, dotY: between) }
            } else {
                set(&measured, dotX: dotX, dotY: row)
            }
            previousRow = row
            previousX = dotX
        }

        var lines: [String] = []
        for row in 0..<rows {
            let celsius = high - (high - low) * (Double(row) + 0.5) / Double(rows)
            let label = row == 0 || row == rows - 1 || row == rows / 2 ? "\(Int(celsius.rounded())) °C" : ""
            var text = pad(label, labelWidth) + "│"
            for column in 0..<columns {
                let solid = measured[row][column]
                let sparse = doubted[row][column]
                let dotted = target[row][column]
                let bits = solid | sparse | dotted
                guard bits != 0, let scalar = Unicode.Scalar(0x2800 + bits) else {
                    text += " "
                    continue
                }
                let cell = String(Character(scalar))
                if color {
                    let code = solid != 0 ? 31 : sparse != 0 ? 33 : 90
                    text += "\u{1B}[\(code)m\(cell)\u{1B}[0m"
                } else {
                    text += cell
                }
            }
            lines.append(text)
        }
        var strip = pad("burner", labelWidth) + "│"
        for column in 0..<columns {
            let share = ticks[column] == 0 ? 0 : Double(onTime[column]) / Double(ticks[column])
            strip.append(eighths[Int((share * 8).rounded())])
        }
        lines.append(strip)
        lines.append(String(repeating: " ", count: labelWidth) + "└" + String(repeating: "─", count: columns))
        let startText = minutesText(startSeconds)
        let endText = minutesText(endSeconds)
        let gap = max(1, columns - startText.count - endText.count)
        lines.append(String(repeating: " ", count: labelWidth + 1) + startText + String(repeating: " ", count: gap) + endText)
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : String(repeating: " ", count: width - text.count) + text
    }
}
