/// The station file's `devices` section: where the real thermocouple converter and the burner's
/// output lines are. Plain values only; the drivers in `WokHardware` turn them into open devices.
///
/// A station without this section runs in simulation only; the hardware commands refuse it.
public struct StationDevices: Sendable, Equatable {
    /// The MCP9600/MCP9601 thermocouple converter.
    public var thermocouple: ThermocoupleSettings
    /// The GPIO line that drives the burner's relay.
    public var relay: OutputLineSettings
    /// An optional second line for an independent safety shut-off valve, driven by the safety
    /// monitor alone (open only while the station is healthy).
    public var shutoffValve: OutputLineSettings?
    /// An optional GPIO input from the burner's ignition controller saying whether a flame is
    /// proven; the safety monitor then watches the flame itself, not only the heat it brings.
    public var flameSense: FlameSenseSettings?
    /// Optional push buttons at the stove (next, hold, stop), each on its own input line.
    public var buttons: [StationButton: ButtonSettings]
    /// An optional buzzer on an output line, for prompts, warnings and alarms.
    public var buzzer: OutputLineSettings?

    /// Creates a devices section.
    public init(
        thermocouple: ThermocoupleSettings, relay: OutputLineSettings,
        shutoffValve: OutputLineSettings? = nil, flameSense: FlameSenseSettings? = nil,
        buttons: [StationButton: ButtonSettings] = [:], buzzer: OutputLineSettings? = nil
    ) {
        self.thermocouple = thermocouple
        self.relay = relay
        self.shutoffValve = shutoffValve
        self.flameSense = flameSense
        self.buttons = buttons
        self.buzzer = buzzer
    }

    /// Every configured line with the role it plays, e.g. ("relay", ...), ("button next", ...).
    public var roleLines: [(role: String, line: OutputLineSettings)] {
        var lines: [(role: String, line: OutputLineSettings)] = [("relay", relay)]
        if let shutoffValve { lines.append(("shutoffValve", shutoffValve)) }
        if let flameSense { lines.append(("flameSense", flameSense.line)) }
        for button in StationButton.allCases {
            if let settings = buttons[button] { lines.append(("buttons.\(button.rawValue)", settings.line)) }
        }
        if let buzzer { lines.append(("buzzer", buzzer)) }
        return lines
    }
}

/// The flame-proven input: an ignition controller's flame-proven output or alarm contact on a
/// GPIO line, and how long that controller takes to prove a flame after the burner is called.
public struct FlameSenseSettings: Sendable, Equatable {
    /// The accepted trials for ignition, in seconds: ignition controllers prove a flame within
    /// their safety time, a few seconds on gas burners; half a second is faster than any spark
    /// ignition lights, 30 s slower than any certified one allows.
    public static let ignitionTrialRange: ClosedRange<Double> = 0.5...30

    /// The input line, and which level means "flame proven" (`activeLow`: a low level does).
    public var line: OutputLineSettings
    /// How long after the burner is called the flame must be proven: the ignition controller's
    /// trial for ignition (its safety time, on its label), in seconds.
    public var ignitionTrialSeconds: Double

    /// Creates settings; 5 s is a common safety time of gas ignition controllers.
    public init(line: OutputLineSettings, ignitionTrialSeconds: Double = 5) {
        self.line = line
        self.ignitionTrialSeconds = ignitionTrialSeconds
    }

    /// e.g. "gpiochip0 line 5 (active-low), trial 5 s".
    public var description: String { "\(line.description), trial \(formatNumber(ignitionTrialSeconds)) s" }
}

/// Where the thermocouple converter is and how it converts.
public struct ThermocoupleSettings: Sendable, Equatable {
    /// The MCP9600's address pins select one of eight addresses.
    public static let addresses: ClosedRange<UInt8> = 0x60...0x67

    /// The I2C bus's character device, e.g. "/dev/i2c-1" (the Raspberry Pi's header bus).
    public var bus: String = "/dev/i2c-1"
    /// The 7-bit address. 0x67 is the address of the common breakout with its ADDR pin left open.
    public var address: UInt8 = 0x67
    /// The thermocouple type wired to the converter.
    public var type: ThermocoupleLetter = .k
    /// The converter's filter, 0 (off) to 7 (heaviest). 1 smooths noise without hiding a fast
    /// rise from the safety monitor.
    public var filter: Int = 1
    /// The hot-junction ADC resolution in bits: 12, 14, 16 or 18. 16 bits converts in about
    /// 80 ms, well inside a 0.25 s control period; 18 bits takes about 320 ms, longer than it.
    public var adcResolutionBits: Int = 16

    /// The resolutions the converter offers.
    public static let adcResolutions = [12, 14, 16, 18]

    /// The converter's typical hot-junction conversion time at `adcResolutionBits`, in seconds:
    /// 320, 80, 20 and 5 ms at 18, 16, 14 and 12 bits (MCP960X data sheet, DS20005426C).
    public var hotConversionSeconds: Double {
        switch adcResolutionBits {
        case 18: 0.32
        case 14: 0.02
        case 12: 0.005
        default: 0.08
        }
    }

    /// The cold-junction conversion at the 0.0625 °C resolution the driver configures: 250 ms
    /// typical (DS20005426C table 5-2).
    public static let coldConversionSeconds = 0.25

    /// Creates settings; the defaults suit a type K probe on the common breakout on I2C-1.
    public init() {}
}

/// The thermocouple types an MCP9600 linearises, by their standard letters.
public enum ThermocoupleLetter: String, Sendable, Equatable, CaseIterable {
    case k = "K"
    case j = "J"
    case t = "T"
    case n = "N"
    case s = "S"
    case e = "E"
    case b = "B"
    case r = "R"
}

/// One GPIO line (an output, or an input such as the flame-proven signal or a button): which
/// chip, which line, and which level means "active".
///
/// The chip is named as the kernel numbers it (`chip`), or found by its label (`chipLabel`),
/// or chip and offset are both found by the line's name (`lineName`): the Raspberry Pi 4 and 5
/// number their header chip differently but label it and name its lines steadily.
public struct OutputLineSettings: Sendable, Equatable {
    /// The GPIO chip: a name under /dev such as "gpiochip0", or a path. Unused when `chipLabel`
    /// or `lineName` is set.
    public var chip: String
    /// The line's offset on the chip (on a Raspberry Pi's header chip, the BCM GPIO number).
    /// Unused when `lineName` is set.
    public var line: Int
    /// True when the relay module energises on a low level (many opto-isolated boards do).
    public var activeLow: Bool
    /// Find the chip by its label (e.g. "pinctrl-rp1") instead of its name.
    public var chipLabel: String?
    /// Find the chip and the offset by the line's name (e.g. "GPIO17").
    public var lineName: String?

    /// Creates settings for a line.
    public init(chip: String = "gpiochip0", line: Int, activeLow: Bool = false, chipLabel: String? = nil, lineName: String? = nil) {
        self.chip = chip
        self.line = line
        self.activeLow = activeLow
        self.chipLabel = chipLabel
        self.lineName = lineName
    }

    /// Settings for a line found by its name alone.
    public static func named(_ lineName: String, activeLow: Bool = false) -> OutputLineSettings {
        OutputLineSettings(line: 0, activeLow: activeLow, lineName: lineName)
    }

    /// Whether the chip (and maybe the offset) must be looked up before the line can be requested.
    public var needsLookup: Bool { chipLabel != nil || lineName != nil }

    /// The same line at a chip path and offset a lookup found.
    public func resolved(chipPath: String, line offset: Int) -> OutputLineSettings {
        OutputLineSettings(chip: chipPath, line: offset, activeLow: activeLow)
    }

    /// The chip as a path: a bare name is looked up under /dev.
    public var chipPath: String { chip.contains("/") ? chip : "/dev/" + chip }

    /// What identifies the line in the station file, for telling two roles' lines apart.
    public var identity: String {
        if let lineName { return "name \(lineName)" }
        if let chipLabel { return "label \(chipLabel) line \(line)" }
        return "\(chipPath) line \(line)"
    }

    /// e.g. "gpiochip0 line 17 (active-low)", "line 17 of the chip labelled \"pinctrl-rp1\"",
    /// "the line named \"GPIO17\"".
    public var description: String {
        let place: String
        if let lineName {
            place = "the line named \"\(lineName)\""
        } else if let chipLabel {
            place = "line \(line) of the chip labelled \"\(chipLabel)\""
        } else {
            place = "\(chip) line \(line)"
        }
        return place + (activeLow ? " (active-low)" : "")
    }
}

extension StationDevices {
    /// The largest line offset accepted; real chips have far fewer lines.
    public static let maxLineOffset = 1023

    /// Reads the `devices` object; problems are added to `problems`, located under "devices".
    ///
    /// `thermocouple` may be left out (all its keys have defaults); `relay` with its `line` is
    /// required, because a wrong guess would drive some other pin.
    public static func decode(_ reader: inout FieldReader) -> StationDevices? {
        var thermocouple = ThermocoupleSettings()
        if var fields = reader.object("thermocouple") {
            decodeThermocouple(&fields, into: &thermocouple)
            reader.absorb(fields)
        }
        var relay: OutputLineSettings?
        if var fields = reader.object("relay", required: true) {
            relay = decodeLine(&fields)
            reader.absorb(fields)
        }
        var valve: OutputLineSettings?
        if var fields = reader.object("shutoffValve") {
            valve = decodeLine(&fields)
            reader.absorb(fields)
        }
        var flameSense: FlameSenseSettings?
        if var fields = reader.object("flameSense") {
            flameSense = decodeFlameSense(&fields)
            reader.absorb(fields)
        }
        var buttons: [StationButton: ButtonSettings] = [:]
        if var fields = reader.object("buttons") {
            buttons = decodeButtons(&fields)
            reader.absorb(fields)
        }
        var buzzer: OutputLineSettings?
        if var fields = reader.object("buzzer") {
            buzzer = decodeLine(&fields)
            reader.absorb(fields)
        }
        guard let relay else { return nil }
        let devices = StationDevices(
            thermocouple: thermocouple, relay: relay, shutoffValve: valve, flameSense: flameSense, buttons: buttons,
            buzzer: buzzer)
        // Each role needs a line of its own: two roles on one line would drive or read each other.
        let lines = devices.roleLines
        for (index, later) in lines.enumerated() {
            guard let earlier = lines[..<index].first(where: { $0.line.identity == later.line.identity }) else { continue }
            reader.fail(
                later.role, "uses the \(earlier.role)'s line (\(earlier.line.description)); each device needs its own line")
            return nil
        }
        return devices
    }

    /// The `buttons` object: `next`, `hold` and `stop`, each optional.
    private static func decodeButtons(_ fields: inout FieldReader) -> [StationButton: ButtonSettings] {
        var buttons: [StationButton: ButtonSettings] = [:]
        for button in StationButton.allCases {
            guard var nested = fields.object(button.rawValue) else { continue }
            let line = decodeLine(&nested)
            let debounce = nested.number("debounceSeconds", in: ButtonSettings.debounceRange, unit: "s")
            let bias: LineBias? = nested.choice("bias")
            fields.absorb(nested)
            guard let line else { continue }
            buttons[button] = ButtonSettings(
                line: line, debounceSeconds: debounce ?? ButtonSettings.standardDebounceSeconds, bias: bias ?? .asIs)
        }
        return buttons
    }

    /// The flame-proven input: a line as the relay's (its `line` required), and the trial time.
    private static func decodeFlameSense(_ fields: inout FieldReader) -> FlameSenseSettings? {
        let line = decodeLine(&fields)
        let trial = fields.number("ignitionTrialSeconds", in: FlameSenseSettings.ignitionTrialRange, unit: "s")
        guard let line else { return nil }
        var settings = FlameSenseSettings(line: line)
        if let trial { settings.ignitionTrialSeconds = trial }
        return settings
    }

    private static func decodeThermocouple(
        _ fields: inout FieldReader, into settings: inout ThermocoupleSettings
    ) {
        if let bus = fields.string("bus", maxLength: 200) {
            if bus.isEmpty { fields.fail("bus", "must name a device such as \"/dev/i2c-1\"") } else { settings.bus = bus }
        }
        if let address = decodeAddress(&fields) { settings.address = address }
        if let type: ThermocoupleLetter = fields.choice("type") { settings.type = type }
        if let filter = fields.integer("filter", in: 0...7) { settings.filter = filter }
        if let bits = fields.integer("adcResolution", in: 12...18) {
            if adcResolutionIsValid(bits) {
                settings.adcResolutionBits = bits
            } else {
                fields.fail("adcResolution", "\(bits) bits is not one of 12, 14, 16, 18")
            }
        }
    }

    private static func adcResolutionIsValid(_ bits: Int) -> Bool {
        ThermocoupleSettings.adcResolutions.contains(bits)
    }

    /// An address as a number (103) or a hex string ("0x67"), inside 0x60...0x67.
    private static func decodeAddress(_ fields: inout FieldReader) -> UInt8? {
        guard let value = fields.raw("address") else { return nil }
        var number: Int?
        switch value {
        case .number(let double) where double == double.rounded() && abs(double) < 1_000_000:
            number = Int(double)
        case .string(let text) where text.lowercased().hasPrefix("0x"):
            number = Int(text.dropFirst(2), radix: 16)
        default:
            number = nil
        }
        let range = ThermocoupleSettings.addresses
        guard let number, number >= Int(range.lowerBound), number <= Int(range.upperBound) else {
            fields.fail("address", "expected an MCP9600 address from 0x60 to 0x67 (a number, or a string such as \"0x67\")")
            return nil
        }
        return UInt8(number)
    }

    /// A line: `chip` (or `chipLabel`) with `line`, or `lineName` alone; and `activeLow`.
    private static func decodeLine(_ fields: inout FieldReader) -> OutputLineSettings? {
        let chipText = fields.string("chip", maxLength: 200)
        let label = fields.string("chipLabel", maxLength: 200)
        let name = fields.string("lineName", maxLength: 200)
        let activeLow = fields.bool("activeLow") ?? false
        var valid = true
        let examples = [
            ("chip", "a GPIO chip such as \"gpiochip0\""), ("chipLabel", "a chip label such as \"pinctrl-rp1\""),
            ("lineName", "a line such as \"GPIO17\""),
        ]
        for ((key, example), text) in zip(examples, [chipText, label, name]) where text?.isEmpty == true {
            fields.fail(key, "must name \(example)")
            valid = false
        }
        if let name {
            // The name finds both the chip and the offset; anything else would contradict it.
            for key in ["chip", "chipLabel", "line"] where fields.raw(key) != nil {
                fields.fail(key, "cannot be given with lineName \"\(name)\", which finds the chip and the line by itself")
                valid = false
            }
            return valid ? .named(name, activeLow: activeLow) : nil
        }
        if chipText != nil, label != nil {
            fields.fail("chipLabel", "cannot be given with chip: name the chip one way")
            valid = false
        }
        let line = fields.integer("line", required: true, in: 0...maxLineOffset)
        guard valid, let line else { return nil }
        return OutputLineSettings(chip: chipText ?? "gpiochip0", line: line, activeLow: activeLow, chipLabel: label)
    }
}
