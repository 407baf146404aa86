/// The kinds of fault the safety monitor latches.
public enum FaultKind: String, Sendable, CaseIterable {
    case sensorOpen = "sensor-open"
    case sensorShort = "sensor-short"
    case sensorRange = "sensor-range"
    case sensorImplausible = "sensor-implausible"
    case busErrors = "i2c-errors"
    case overLimit = "over-limit"
    case relayFailure = "relay-failure"
}

/// A latched fault: what, why (in words for the cook), and when it was detected.
public struct SafetyFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: FaultKind
    public var reason: String
    public var detectedAtSeconds: Double

    public init(kind: FaultKind, reason: String, detectedAtSeconds: Double) {
        self.kind = kind
        self.reason = reason
        self.detectedAtSeconds = detectedAtSeconds
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}

/// Why an acknowledgement was refused.
public enum AcknowledgeError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingLatched
    case causePersists(String)

    public var description: String {
        switch self {
        case .nothingLatched: "there is no fault to acknowledge"
        case .causePersists(let why): "the fault's cause is still present: \(why)"
        }
    }
}

/// What the monitor concluded from one reading.
public enum SafetyVerdict: Sendable, Equatable {
    /// The reading is good: control may use it.
    case trusted(celsius: Double)
    /// No usable reading this tick: the burner stays off, but no fault yet (a bus hiccup).
    case blind(SensorFault)
    /// A fault is latched (now or earlier): the burner stays off until a person acknowledges.
    case tripped(SafetyFault)
}

/// The supervisor beside the controller. It sees every reading and every command, can only turn
/// the burner off, and once tripped stays tripped until a person acknowledges a cleared cause.
public struct SafetyMonitor: Sendable {
    public let limits: Station.Limits
    public let settings: Station.SafetySettings
    public private(set) var latched: SafetyFault?
    private var firstBusErrorSeconds: Double?
    /// What the latest reading showed on its own, latch aside: decides whether a cause persists.
    private var latestFinding: Finding?

    private enum Finding: Sendable {
        case healthy(celsius: Double)
        case unreadable(SensorFault)
        case faulty(FaultKind, String)
    }

    public init(station: Station) {
        limits = station.limits
        settings = station.safety
    }

    /// Judges one reading taken at `now`.
    public mutating func check(nowSeconds now: Double, reading: Result<ThermocoupleSample, SensorFault>) -> SafetyVerdict {
        let finding = judge(now: now, reading: reading)
        latestFinding = finding
        if case .faulty(let kind, let reason) = finding, latched == nil {
            latched = SafetyFault(kind: kind, reason: reason, detectedAtSeconds: now)
        }
        if let latched { return .tripped(latched) }
        switch finding {
        case .healthy(let celsius): return .trusted(celsius: celsius)
        case .unreadable(let fault): return .blind(fault)
        case .faulty(let kind, let reason): return .tripped(SafetyFault(kind: kind, reason: reason, detectedAtSeconds: now))
        }
    }

    private mutating func judge(now: Double, reading: Result<ThermocoupleSample, SensorFault>) -> Finding {
        switch reading {
        case .success(let sample):
            firstBusErrorSeconds = nil
            guard sample.hotC.isFinite else {
                return .faulty(.sensorImplausible, "the sensor reported a temperature that is not a number")
            }
            if sample.hotC >= limits.maxC {
                return .faulty(.overLimit, "wok at \(formatCelsius(sample.hotC)) °C, at or above the station's limit of \(formatCelsius(limits.maxC)) °C")
            }
            return .healthy(celsius: sample.hotC)
        case .failure(let fault):
            switch fault {
            case .openCircuit:
                return .faulty(.sensorOpen, "the thermocouple reads open: check its plug and wire")
            case .shortCircuit:
                return .faulty(.sensorShort, "the thermocouple reads shorted: check its wire for damage")
            case .inputRangeExceeded:
                return .faulty(.sensorRange, "the thermocouple input is out of range: probe disconnected or damaged")
            case .implausible(let celsius):
                return .faulty(.sensorImplausible, "the sensor reported an impossible \(formatCelsius(celsius)) °C")
            case .bus(let failure):
                let since = firstBusErrorSeconds ?? now
                firstBusErrorSeconds = since
                // Compare with a little slack so a bound of N periods trips on the Nth, not N+1th.
                if now - since + 1e-9 >= settings.busErrorBoundSeconds {
                    return .faulty(.busErrors, "the temperature sensor has not answered for \(formatNumber(((now - since) * 10).rounded() / 10)) s (\(failure))")
                }
                return .unreadable(fault)
            }
        }
    }

    /// Latches a fault found outside the reading path (a relay that would not switch).
    public mutating func trip(_ fault: SafetyFault) {
        if latched == nil { latched = fault }
    }

    /// The final word on the relay: whatever control asked, off unless the reading was trusted.
    public func gate(_ command: BurnerCommand, verdict: SafetyVerdict) -> BurnerCommand {
        guard latched == nil, case .trusted = verdict else { return .off }
        return command
    }

    /// A person clears the latch; refused while the latest reading still shows a problem.
    public mutating func acknowledge() throws(AcknowledgeError) -> FaultKind {
        guard let fault = latched else { throw .nothingLatched }
        switch latestFinding {
        case .healthy?: break
        case .unreadable(let sensorFault)?: throw .causePersists(sensorFault.description)
        case .faulty(_, let reason)?: throw .causePersists(reason)
        case nil: throw .causePersists("no reading since the fault")
        }
        latched = nil
        return fault.kind
    }
}
