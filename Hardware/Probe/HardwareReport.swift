// What `wokctl hw probe` found: plain values, as text for a person and JSON for a script.
public import WokCore

/// Everything the probe found, and every problem, device by device.
public struct HardwareReport: Sendable {
    /// The thermocouple converter, as found.
    public var thermocouple: ThermocoupleReport
    /// The burner relay's line.
    public var relay: LineReport
    /// The shut-off valve's line, when one is configured.
    public var shutoffValve: LineReport?
    /// The flame-proven input's line, when one is configured.
    public var flameSense: LineReport?
    /// The libgpiod API the program was built with (1 or 2), if any.
    public var gpioAPIVersion: Int?
    /// The libgpiod loaded at run time (say "2.1.3"), if any.
    public var gpioLibraryVersion: String?
    /// The GPIO chips found.
    public var chips = GPIOChipScan(chips: [])
    /// The buttons' lines, in the order next, hold, stop.
    public var buttons: [(button: StationButton, report: LineReport)] = []
    /// The buzzer's line, when one is configured.
    public var buzzer: LineReport?

    /// Creates a report.
    public init(
        thermocouple: ThermocoupleReport, relay: LineReport, shutoffValve: LineReport? = nil, flameSense: LineReport? = nil,
        gpioAPIVersion: Int? = nil, gpioLibraryVersion: String? = nil
    ) {
        self.thermocouple = thermocouple
        self.relay = relay
        self.shutoffValve = shutoffValve
        self.flameSense = flameSense
        self.gpioAPIVersion = gpioAPIVersion
        self.gpioLibraryVersion = gpioLibraryVersion
    }

    /// All problems, each prefixed with the device it concerns.
    public var problems: [String] {
        thermocouple.problems.map { "thermocouple: \($0)" } + relay.problems.map { "relay: \($0)" }
            + (shutoffValve?.problems.map { "shut-off valve: \($0)" } ?? [])
            + (flameSense?.problems.map { "flame sense: \($0)" } ?? [])
            + buttons.flatMap { button, report in report.problems.map { "button \(button.rawValue): \($0)" } }
            + (buzzer?.problems.map { "buzzer: \($0)" } ?? [])
    }

    /// True when nothing is wrong.
    public var isHealthy: Bool { problems.isEmpty }

    /// The report as lines of text.
    public var lines: [String] {
        var lines = thermocouple.lines + relay.lines("relay")
        if let shutoffValve { lines += shutoffValve.lines("shut-off valve") }
        if let flameSense { lines += flameSense.lines("flame-proven input") }
        for (button, report) in buttons { lines += report.lines("button \(button.rawValue)") }
        if let buzzer { lines += buzzer.lines("buzzer") }
        lines.append("GPIO chips: \(chips.chips.isEmpty ? "none found" : "")")
        lines += chips.chips.map { "  \($0.path): \"\($0.label)\", \($0.lineCount) lines" }
        lines += chips.unreadable.map { "  unreadable: \($0)" }
        if let gpioAPIVersion {
            lines.append("libgpiod API: v\(gpioAPIVersion)" + (gpioLibraryVersion.map { " (library \($0))" } ?? ""))
        }
        let problems = problems
        lines.append(problems.isEmpty ? "no problems found" : "\(problems.count) problem\(problems.count == 1 ? "" : "s"):")
        lines += problems.map { "  - \($0)" }
        return lines
    }

    /// The report as one JSON object.
    public var json: JSONValue {
        var object: JSONObject = [
            "healthy": .bool(isHealthy),
            "thermocouple": thermocouple.json,
            "relay": relay.json,
        ]
        if let shutoffValve { object["shutoffValve"] = shutoffValve.json }
        if let flameSense { object["flameSense"] = flameSense.json }
        if !buttons.isEmpty {
            object["buttons"] = .object(JSONObject(buttons.map { ($0.button.rawValue, $0.report.json) }))
        }
        if let buzzer { object["buzzer"] = buzzer.json }
        object["chips"] = .array(
            chips.chips.map { .object(["path": .string($0.path), "label": .string($0.label), "lines": .number(Double($0.lineCount))]) })
        object["unreadableChips"] = .array(chips.unreadable.map(JSONValue.string))
        object["gpiodAPI"] = gpioAPIVersion.map { .number(Double($0)) } ?? .null
        object["gpiodLibrary"] = gpioLibraryVersion.map(JSONValue.string) ?? .null
        object["problems"] = .array(problems.map(JSONValue.string))
        return .object(object)
    }
}

/// What the probe found at the converter's address.
public struct ThermocoupleReport: Sendable, Equatable {
    /// e.g. "/dev/i2c-1 @ 0x67".
    public var location: String
    /// e.g. "MCP9600 revision 0x10", when the ID could be read.
    public var identity: String?
    /// The type and filter the chip holds after configuring, e.g. "type K, filter 1".
    public var sensorConfiguration: String?
    /// The device configuration the chip holds, e.g. "ADC 16-bit, ...".
    public var deviceConfiguration: String?
    /// The STATUS register, decoded.
    public var status: String?
    /// The hot-junction temperature, °C, as read (not judged).
    public var hotC: Double?
    /// The cold-junction (board) temperature, °C.
    public var coldC: Double?
    /// The sample the control loop would get, or its fault.
    public var reading: String?
    /// Retried transfers that then succeeded (a sign of a marginal bus).
    public var recoveredTransferFailures: Int = 0
    /// What is wrong.
    public var problems: [String] = []

    /// Creates a report for a location with nothing found yet.
    public init(location: String) { self.location = location }

    var lines: [String] {
        var lines = ["thermocouple converter at \(location)"]
        if let identity { lines.append("  device:        \(identity)") }
        if let sensorConfiguration { lines.append("  thermocouple:  \(sensorConfiguration)") }
        if let deviceConfiguration { lines.append("  converter:     \(deviceConfiguration)") }
        if let status { lines.append("  status:        \(status)") }
        if let hotC { lines.append("  hot junction:  \(hotC) °C") }
        if let coldC { lines.append("  cold junction: \(coldC) °C") }
        if let reading { lines.append("  control read:  \(reading)") }
        if recoveredTransferFailures > 0 {
            lines.append("  retried:       \(recoveredTransferFailures) transfer(s) failed once and then succeeded")
        }
        return lines
    }

    var json: JSONValue {
        .object([
            "location": .string(location),
            "identity": identity.map(JSONValue.string) ?? .null,
            "sensorConfiguration": sensorConfiguration.map(JSONValue.string) ?? .null,
            "deviceConfiguration": deviceConfiguration.map(JSONValue.string) ?? .null,
            "status": status.map(JSONValue.string) ?? .null,
            "hotC": hotC.map(JSONValue.number) ?? .null,
            "coldC": coldC.map(JSONValue.number) ?? .null,
            "reading": reading.map(JSONValue.string) ?? .null,
            "recoveredTransferFailures": .number(Double(recoveredTransferFailures)),
        ])
    }
}

/// What the probe found about one output line.
public struct LineReport: Sendable, Equatable {
    /// The configured line, e.g. "gpiochip0 line 17 (active-low)".
    public var line: String
    /// The chip's label, e.g. "pinctrl-bcm2711".
    public var chipLabel: String?
    /// The chip's number of lines.
    public var chipLineCount: Int?
    /// Who held the line when the probe looked ("" for nobody).
    public var heldBy: String?
    /// Whether the line was an output before the probe touched it.
    public var wasOutput: Bool?
    /// The line's logical state after the probe requested it off and read it back (an input's:
    /// its level as read).
    public var isActive: Bool?
    /// Whether the line is an input the probe read (the flame-proven signal), not an output.
    public var isInput = false
    /// Whether the input is a button's (its level is "pressed", not "flame proven").
    public var isButton = false
    /// Where a line named by chip label or line name was found, e.g. "/dev/gpiochip0 line 17".
    public var resolvedTo: String?
    /// What is wrong.
    public var problems: [String] = []
    /// Things worth knowing that are not problems.
    public var notes: [String] = []

    /// Creates a report for a configured line with nothing found yet.
    public init(line: String) { self.line = line }

    func lines(_ role: String) -> [String] {
        var lines = ["\(role) on \(line)"]
        if let resolvedTo { lines.append("  found at:      \(resolvedTo)") }
        if let chipLabel, let chipLineCount { lines.append("  chip:          \(chipLabel), \(chipLineCount) lines") }
        if let heldBy { lines.append("  held by:       \(heldBy.isEmpty ? "nobody" : heldBy)") }
        if let wasOutput { lines.append("  direction:     \(wasOutput ? "output" : "input") before the probe") }
        if let isActive {
            lines.append(
                isButton
                    ? "  state:         \(isActive ? "pressed" : "released") (read as an input)"
                    : isInput
                        ? "  state:         \(isActive ? "flame proven" : "no flame") (read as an input)"
                        : "  state:         \(isActive ? "ON" : "off") (requested off, read back)")
        }
        lines += notes.map { "  note:          \($0)" }
        return lines
    }

    var json: JSONValue {
        .object([
            "line": .string(line),
            "resolvedTo": resolvedTo.map(JSONValue.string) ?? .null,
            "chipLabel": chipLabel.map(JSONValue.string) ?? .null,
            "chipLineCount": chipLineCount.map { .number(Double($0)) } ?? .null,
            "heldBy": heldBy.map(JSONValue.string) ?? .null,
            "wasOutput": wasOutput.map(JSONValue.bool) ?? .null,
            "active": isActive.map(JSONValue.bool) ?? .null,
            "notes": .array(notes.map(JSONValue.string)),
        ])
    }
}
