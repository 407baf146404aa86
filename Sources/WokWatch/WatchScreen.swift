internal import WokCore
internal import WokPlot
public import WokWire

/// A terminal's size in character cells.
public struct ScreenSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
}

/// How the screen is drawn, apart from what it shows.
public struct WatchOptions: Sendable, Equatable {
    /// ANSI colour and bold; off for NO_COLOR and when the output is not a terminal.
    public var color: Bool
    /// The chart's width in seconds of cook time.
    public var windowSeconds: Double
    /// The line that names the keys; nil when keys are not read.
    public var legend: String?

    public init(color: Bool, windowSeconds: Double = 300, legend: String? = WatchKeys.legend) {
        self.color = color
        self.windowSeconds = windowSeconds
        self.legend = legend
    }
}

/// What `watch` has to say besides the station: the connection and the answer to the last key.
public struct WatchStatus: Sendable, Equatable {
    /// Nil while connected; else why wokd cannot be reached and when the next try is.
    public var retrying: String?
    /// The daemon's answer to the last key, a refusal, or the abort question; shown briefly.
    public var notice: String?

    public init(retrying: String? = nil, notice: String? = nil) {
        self.retrying = retrying
        self.notice = notice
    }
}

/// The live screen of `wokctl watch`, as a pure function of what it shows and the terminal's
/// size: at most `rows` lines, none wider than `columns - 1` (the last column is left alone, as
/// writing it leaves some terminals about to wrap). The wok's temperature, the target, the stage
/// and its time left come first and always fit; big digits, the stage list, the chart and the
/// events take what room is left, in that order of need.
public enum WatchScreen {
    public static func render(_ model: WatchModel?, status: WatchStatus, size: ScreenSize, options: WatchOptions) -> [String] {
        let width = max(10, size.columns - 1)
        let style = Style(color: options.color)
        var lines: [String]
        if let retrying = status.retrying {
            lines = [style.alert("wokd not running, retrying"), retrying]
            if let notice = status.notice { lines.append(notice) }
            if let legend = options.legend { lines.append(legend) }
        } else if let model {
            lines = station(model, status: status, width: width, rows: size.rows, options: options, style: style)
        } else {
            lines = ["connecting to wokd"]
        }
        return lines.prefix(max(1, size.rows)).map { ScreenText.fit($0, width: width) }
    }

    private static func station(
        _ model: WatchModel, status: WatchStatus, width: Int, rows: Int, options: WatchOptions, style: Style
    ) -> [String] {
        let snapshot = model.snapshot
        var header = "wokd: " + style.bold(snapshot.state.rawValue)
        if let elapsed = snapshot.cookElapsedSeconds { header += "  cook " + ScreenText.clock(elapsed) }
        if let recipe = snapshot.recipe { header += "  " + safe(recipe) }
        if snapshot.simulated { header += " (simulated, \(formatNumber(snapshot.speed))x)" }

        // What must be said: the prompt, a fault, the answer to a key, the keys.
        var loud: [String] = []
        if let fault = snapshot.fault {
            loud += ScreenText.wrap("FAULT \(safe(fault.kind)): \(safe(fault.reason))", width: width, maxLines: 2).map(style.danger)
        }
        if let prompt = snapshot.prompt {
            let lines = ScreenText.wrap("▶▶▶ YOUR TURN: " + safe(prompt), width: width, maxLines: rows >= 20 ? 3 : 2)
            loud += lines.map(style.alert)
        }
        var footer: [String] = []
        if let notice = status.notice { footer.append(style.bold(notice)) }
        if let legend = options.legend { footer.append(legend) }

        // The essentials: as big digits beside four short lines where there is room, else two lines.
        let essentials = essentialLines(snapshot)
        let fixedRows = 1 + loud.count + footer.count
        let digitRows = rows - fixedRows >= 14 + BigDigits.tall ? BigDigits.tall : rows - fixedRows >= 8 + BigDigits.short ? BigDigits.short : 0
        var panel: [String]
        let digits = bigTemperature(snapshot)
        if digitRows > 0, width >= BigDigits.width(of: digits) + 2 + 30 {
            let big = BigDigits.render(digits, rows: digitRows).map { style.bold($0) }
            let side = [essentials.wok, essentials.target, essentials.stage, essentials.timeLeft]
            panel = (0..<max(big.count, side.count)).map { row in
                let left = row < big.count ? big[row] : String(repeating: " ", count: BigDigits.width(of: digits))
                return left + "  " + (row < side.count ? side[row] : "")
            }
        } else {
            panel = [essentials.wok + "  " + essentials.target, essentials.stage + "  " + essentials.timeLeft]
        }

        // What is left goes to the events, the stage list and the chart.
        var room = max(0, rows - 1 - panel.count - loud.count - footer.count)
        let eventLines = model.events.isEmpty ? [] : model.events.map { eventText($0, model: model, style: style) }
        let shownEvents = Array(eventLines.suffix(room >= 22 ? 5 : room >= 10 ? 2 : room >= 4 ? 1 : 0))
        room -= shownEvents.count
        var stageList: [String] = []
        if room >= 12 + snapshot.stages.count + 1 {
            stageList = stageLines(snapshot, style: style)
            room -= stageList.count
        }
        var chart: [String] = []
        // The chart needs two rows of braille, the burner strip, the axis and its times.
        if room >= 6 {
            let legend = room >= 10
            let brailleRows = min(20, room - 4 - (legend ? 1 : 0))
            chart = [""] + chartLines(model, width: width, rows: brailleRows, options: options)
            if legend { chart.append("        wok ⣿ solid, target ⠉ dotted, burner ▁…█ share on") }
        } else if !shownEvents.isEmpty, room >= 1 {
            chart = [""]
        }
        return [header] + panel + loud + stageList + chart + shownEvents + footer
    }

    /// The four texts that are never left out.
    struct Essentials {
        var wok: String
        var target: String
        var stage: String
        var timeLeft: String
    }

    static func essentialLines(_ snapshot: StationSnapshot) -> Essentials {
        let wok: String
        if let reading = snapshot.shownReading {
            wok = "wok \(fixedOne(reading.celsius)) °C" + (reading.trusted ? "" : " (not trusted)")
        } else {
            wok = "wok: no reading"
        }
        let target = "target " + (snapshot.targetC.map { "\(formatCelsius($0)) °C" } ?? "off") + "  burner \(snapshot.burnerOn ? "on" : "off")"
        guard let stage = snapshot.stage else {
            return Essentials(wok: wok, target: target, stage: "stage: none (\(snapshot.state.rawValue))", timeLeft: "left: -")
        }
        let stageText = "stage \(stage.index + 1)/\(snapshot.stages.count) \(safe(stage.name))"
        return Essentials(wok: wok, target: target, stage: stageText, timeLeft: timeLeftText(snapshot, stage))
    }

    /// The stage's time left in the cook's words: a countdown to the end, to when it may be
    /// confirmed, to the safe hold in a confirm window; or what it waits for.
    public static func timeLeftText(_ snapshot: StationSnapshot, _ stage: StationSnapshot.StageProgress) -> String {
        let held = snapshot.state == .holding ? " (held)" : ""
        if snapshot.state == .waitingForCook {
            if let safeHold = stage.untilSafeHoldSeconds {
                return "left \(ScreenText.clock(safeHold.rounded(.up))) to confirm, then safe hold" + held
            }
            return "left: none, at the safe hold until you confirm" + held
        }
        if let remaining = stage.remainingSeconds {
            let word = stage.untilSafeHoldSeconds != nil ? " until you may confirm" : ""
            return "left \(ScreenText.clock(remaining.rounded(.up)))\(word)" + held
        }
        if snapshot.state == .preheating, let target = snapshot.targetC {
            return "left: until the wok reaches \(formatCelsius(target)) °C" + held
        }
        return "left: until the stage ends" + held
    }

    /// Whole degrees for the big digits; dashes without a reading.
    static func bigTemperature(_ snapshot: StationSnapshot) -> String {
        guard let celsius = snapshot.shownReading?.celsius, celsius.isFinite, abs(celsius) < 10_000 else { return "---°" }
        return "\(Int(celsius.rounded()))°"
    }

    static func stageLines(_ snapshot: StationSnapshot, style: Style) -> [String] {
        let current = snapshot.stage?.index
        return snapshot.stages.enumerated().map { index, stage in
            let marker = index == current ? "▶" : (current.map { index < $0 } ?? false) ? "✓" : " "
            let target = stage.targetC.map { "\(formatCelsius($0)) °C" } ?? "off"
            let line = " \(marker) \(index + 1). \(safe(stage.name))  (\(target))"
            return index == current ? style.bold(line) : line
        }
    }

    /// An event stamped with cook time.
    static func eventText(_ event: WireEvent, model: WatchModel, style: Style) -> String {
        let line = "[\(ScreenText.clock(model.cookSeconds(event.timeSeconds)))] \(safe(event.message))"
        switch event.name {
        case "fault", "alarm", "valve-closed", "cook-aborted", "confirmation-overdue": return style.danger("!!! " + line)
        case "prompt", "awaiting-confirmation": return style.alert(">>> " + line)
        default: return line
        }
    }

    /// The braille chart of the last minutes of this cook, on cook time.
    static func chartLines(_ model: WatchModel, width: Int, rows: Int, options: WatchOptions) -> [String] {
        let cookStart = model.cookStartedSeconds ?? -Double.infinity
        let points = model.samples.filter { $0.timeSeconds >= cookStart }.map {
            ChartPoint(
                timeSeconds: model.cookSeconds($0.timeSeconds), temperatureC: $0.temperatureC, targetC: $0.targetC, burnerOn: $0.burnerOn,
                trusted: $0.trusted)
        }
        guard let last = points.last else { return ["(no readings yet)"] }
        let start = max(points.first?.timeSeconds ?? 0, last.timeSeconds - options.windowSeconds)
        return BrailleChart.render(
            points, width: width, height: rows, startSeconds: start, endSeconds: max(start + 1, last.timeSeconds), color: options.color)
    }

    private static func safe(_ text: String) -> String { DisplayText.escaped(text) }

    private static func fixedOne(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}

/// Colour and weight, or none.
struct Style {
    let color: Bool

    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func alert(_ text: String) -> String { color ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }
    func danger(_ text: String) -> String { color ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
