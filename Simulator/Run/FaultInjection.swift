public import WokCore

/// A fault the simulator can inject, by the name `--fault KIND@SECONDS[+SECONDS]` uses.
public enum InjectedFaultKind: String, Sendable, CaseIterable {
    /// The thermocouple comes unplugged.
    case sensorOpen = "sensor-open"
    /// The thermocouple's wires touch: it reads the board's temperature (MCP9601: and flags it).
    case sensorShort = "sensor-short"
    /// The amplifier stops answering on the bus (every transfer times out).
    case i2cErrors = "i2c-errors"
    /// The amplifier vanishes from the bus (unplugged or unpowered): nothing answers its address.
    case deviceGone = "device-gone"
    /// The converter hangs: its registers keep their last values.
    case frozen
    /// The reading steps by tens of degrees (interference, a loose connection).
    case spike
    /// The flame goes out (or the gas runs out) while the relay still calls for it.
    case flameOut = "flame-out"
    /// The thermocouple falls off the wok and drifts towards the room's temperature.
    case sensorDetached = "sensor-detached"
    /// The relay's contact welds shut: it reports what it is told, but the burner stays lit.
    case relayWelded = "relay-welded"
    /// The control loop stops for a while (3 s unless a duration is given); the relay keeps its state.
    case loopStall = "loop-stall"
    /// The wall clock steps back or leaps forward (NTP, a person setting it). The loop runs on the
    /// monotonic clock: nothing may latch (the daemon says what happened).
    case clockJump = "clock-jump"
    /// The cook walks away: no more food added, nothing confirmed.
    case cookAway = "cook-away"

    /// The faults the safety monitor may latch for it. An MCP9600 has no open-circuit flag: an
    /// open input floats and reads as out of range; the MCP9601 flags it as open. A shorted probe
    /// on an MCP9600 shows as a sudden drop to the board's temperature (or, near it, a reading that
    /// no longer moves and a burner that gains nothing). On a station with a flame-proven input
    /// a flame out and a welded relay are seen through it too.
    public var expectedDetections: Set<FaultKind> {
        switch self {
        case .sensorOpen: [.sensorOpen, .sensorRange]
        case .sensorShort: [.sensorShort, .sensorRate, .sensorFrozen, .heatNotArriving, .implausibleCooling]
        case .i2cErrors: [.busErrors]
        case .deviceGone: [.deviceGone]
        case .frozen: [.sensorFrozen, .heatNotArriving, .implausibleCooling]
        case .spike: [.sensorRate, .overLimit]
        case .flameOut: [.heatNotArriving, .flameLost]
        case .sensorDetached: [.heatNotArriving, .implausibleCooling, .sensorRate]
        case .relayWelded: [.heatingWhileOff, .overLimit, .heatNotArriving, .implausibleCooling, .flameWhileOff]
        case .loopStall: [.loopStalled]
        case .clockJump: []
        case .cookAway: [.unattended]
        }
    }

    /// Faults of the station's hardware and clock, which `SimulatedStation` injects; `cook-away`
    /// is the virtual cook's.
    public var isStationFault: Bool { self != .cookAway }
}

/// One planned fault: what, when (simulated seconds from the start of the cook) and, optionally,
/// for how long before its cause clears.
public struct FaultInjection: Sendable, Equatable, CustomStringConvertible {
    public var kind: InjectedFaultKind
    public var atSeconds: Double
    /// How long the cause lasts; nil: to the end of the run (a stall: 3 s).
    public var durationSeconds: Double?

    public init(kind: InjectedFaultKind, atSeconds: Double, durationSeconds: Double? = nil) {
        self.kind = kind
        self.atSeconds = atSeconds
        self.durationSeconds = durationSeconds
    }

    /// Longest time or duration a specification may give: a day.
    public static let maxSeconds = 86_400.0

    /// Parses `KIND@SECONDS` or `KIND@SECONDS+SECONDS`, e.g. `sensor-open@240` or `i2c-errors@100+2`.
    public static func parse(_ text: String) -> Result<FaultInjection, FaultSpecError> {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return .failure(FaultSpecError(text: text, problem: "expected KIND@SECONDS or KIND@SECONDS+SECONDS"))
        }
        guard let kind = InjectedFaultKind(rawValue: String(parts[0])) else {
            let known = InjectedFaultKind.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(FaultSpecError(text: text, problem: "unknown fault kind \"\(parts[0])\" (known: \(known))"))
        }
        let times = parts[1].split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        guard let seconds = seconds(times[0]) else {
            return .failure(FaultSpecError(text: text, problem: "\"\(times[0])\" is not a time in seconds from 0 to 86400"))
        }
        var duration: Double?
        if times.count == 2 {
            guard let value = Self.seconds(times[1]), value > 0 else {
                return .failure(FaultSpecError(text: text, problem: "\"\(times[1])\" is not a duration in seconds above 0, up to 86400"))
            }
            duration = value
        }
        return .success(FaultInjection(kind: kind, atSeconds: seconds, durationSeconds: duration))
    }

    private static func seconds(_ text: Substring) -> Double? {
        // Only plain decimals: Double() would also take "inf", "nan" and hexadecimal.
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
            let value = Double(text), value.isFinite, value >= 0, value <= maxSeconds
        else { return nil }
        return value
    }

    public var description: String {
        "\(kind.rawValue)@\(formatNumber(atSeconds))" + (durationSeconds.map { "+\(formatNumber($0))" } ?? "")
    }
}

public struct FaultSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "--fault \(text): \(problem)" }
}

/// What became of one injected fault. Times are the simulated world's seconds.
public struct FaultOutcome: Sendable, Equatable {
    public var kind: InjectedFaultKind
    public var injectedAtSeconds: Double
    /// When the fault started to matter: the first tick of the loop after the injection, except a flame out or a detached probe
    /// (the first tick after it with the relay on), a welded relay (the first tick with the relay
    /// commanded off and its contact still closed) and a cook who walked away (the first confirm
    /// stage overdue after it). Nil if it never did.
    public var activeFromSeconds: Double?
    /// When its cause cleared (for a fault given a duration).
    public var clearedAtSeconds: Double?
    /// For a flame out or a detached probe: seconds the relay has been on since it became active
    /// (only then can a missing flame show), and when that reached `DetectionBound.heatingFaultSeconds`.
    public var burnerOnSecondsSinceActive = 0.0
    public var heatOwedAtSeconds: Double?
    /// When the monitor latched a fault (any kind) at or after the injection.
    public var detectedAtSeconds: Double?
    /// First moment at or after detection when the software had stopped the gas: relay told off
    /// and, on a station with one, the shut-off valve closed.
    public var burnerOffAtSeconds: Double?
    public var latchedKind: FaultKind?
    /// Hottest the wok's steel got from the injection to the end of the run.
    public var peakTrueCAfter: Double
    /// Whether the cook was still running and unfaulted when the fault was injected.
    public var cookRunningAtInjection: Bool
    /// For a welded relay: when the steel, with the burner commanded off and nothing detected yet,
    /// first stood `DetectionBound.weldedOverheatC` above its temperature once the reading had
    /// settled after the off command (the sensor's dead time plus three lags). A welded burner
    /// that a load pins (wet food boiling) heats nothing and is owed a detection only once it does.
    public var overheatedAtSeconds: Double? = nil
}
