public import WokCore

/// A fault the simulator can inject, by the name `--fault KIND@SECONDS` uses.
public enum InjectedFaultKind: String, Sendable, CaseIterable {
    /// The thermocouple comes unplugged.
    case sensorOpen = "sensor-open"
    /// The amplifier stops answering on the bus (every transfer times out).
    case i2cErrors = "i2c-errors"

    /// The faults the safety monitor may latch for it. An MCP9600 has no open-circuit flag: an
    /// open input floats and reads as out of range; the MCP9601 flags it as open.
    public var expectedDetections: Set<FaultKind> {
        switch self {
        case .sensorOpen: [.sensorOpen, .sensorRange]
        case .i2cErrors: [.busErrors]
        }
    }
}

/// One planned fault: what and when (simulated seconds from the start of the cook).
public struct FaultInjection: Sendable, Equatable, CustomStringConvertible {
    public var kind: InjectedFaultKind
    public var atSeconds: Double

    public init(kind: InjectedFaultKind, atSeconds: Double) {
        self.kind = kind
        self.atSeconds = atSeconds
    }

    /// Parses `KIND@SECONDS`, e.g. `sensor-open@240`.
    public static func parse(_ text: String) -> Result<FaultInjection, FaultSpecError> {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(FaultSpecError(text: text, problem: "expected KIND@SECONDS")) }
        guard let kind = InjectedFaultKind(rawValue: String(parts[0])) else {
            let known = InjectedFaultKind.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(FaultSpecError(text: text, problem: "unknown fault kind \"\(parts[0])\" (known: \(known))"))
        }
        guard let seconds = Double(parts[1]), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            return .failure(FaultSpecError(text: text, problem: "\"\(parts[1])\" is not a time in seconds from 0 to 86400"))
        }
        return .success(FaultInjection(kind: kind, atSeconds: seconds))
    }

    public var description: String { "\(kind.rawValue)@\(formatNumber(atSeconds))" }
}

public struct FaultSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var description: String { "--fault \(text): \(problem)" }
}

/// What became of one injected fault.
public struct FaultOutcome: Sendable, Equatable {
    public var kind: InjectedFaultKind
    public var injectedAtSeconds: Double
    public var detectedAtSeconds: Double?
    /// First moment at or after detection with the relay open.
    public var burnerOffAtSeconds: Double?
    public var latchedKind: FaultKind?
}
