// The stove's buttons and buzzer in simulation: presses a test or `wokd --press` makes, and
// every level the buzzer was set to.
public import WokCore
public import WokHardware

/// A press planned for a simulated daemon: which button, and when, in seconds from the first
/// cook's start (as `--fault` times count).
public struct PlannedPress: Sendable, Equatable {
    public var button: StationButton
    public var atSeconds: Double

    public init(button: StationButton, atSeconds: Double) {
        self.button = button
        self.atSeconds = atSeconds
    }

    /// Parses `BUTTON@SECONDS`, e.g. `next@95`.
    public static func parse(_ text: String) -> Result<PlannedPress, PressSpecError> {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(PressSpecError(text: text, problem: "expected BUTTON@SECONDS")) }
        guard let button = StationButton(rawValue: String(parts[0])) else {
            let names = StationButton.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(PressSpecError(text: text, problem: "\"\(parts[0])\" is not a button (\(names))"))
        }
        guard let seconds = Double(parts[1]), seconds.isFinite, seconds >= 0, seconds <= FaultInjection.maxSeconds else {
            return .failure(
                PressSpecError(text: text, problem: "\"\(parts[1])\" is not a time from 0 to \(formatNumber(FaultInjection.maxSeconds)) s"))
        }
        return .success(PlannedPress(button: button, atSeconds: seconds))
    }
}

/// Why a `--press` specification was refused.
public struct PressSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String { "--press \(text): \(problem)" }
}

/// The simulated buttons: presses queued by a test at once, or planned for a time.
///
/// A class, so a test keeps a handle on it after the daemon's devices have taken it.
public final class SimulatedButtons {
    private var queued: [StationButton] = []
    private var planned: [PlannedPress]
    /// When set, every poll reports this read failure (a line that went away).
    public var readFailure: String?

    /// Buttons with presses planned (times from the first cook's start).
    public init(planned: [PlannedPress] = []) {
        self.planned = planned.sorted { $0.atSeconds < $1.atSeconds }
    }

    /// Presses `button`; the daemon sees it at its next tick.
    public func press(_ button: StationButton) { queued.append(button) }

    /// The presses due by `now`; planned ones count from `originSeconds` (nil: no cook yet).
    public func take(nowSeconds now: Double, originSeconds: Double?) -> [StationButton] {
        var due = queued
        queued = []
        if let origin = originSeconds {
            while let first = planned.first, origin + first.atSeconds <= now {
                due.append(first.button)
                planned.removeFirst()
            }
        }
        return due
    }
}

/// The simulated buzzer: its level and every change of it.
public final class SimulatedBuzzer {
    /// The level now.
    public private(set) var isOn = false
    /// Every change, with the station time it happened at.
    public private(set) var changes: [(seconds: Double, on: Bool)] = []
    /// Every write fails (a line that went away).
    public var failsAlways = false
    /// Writes attempted, failed ones included.
    public private(set) var writes = 0

    public init() {}

    /// Sets the level at station time `seconds`.
    public func set(_ on: Bool, atSeconds seconds: Double) throws(GPIOError) {
        writes += 1
        if failsAlways { throw GPIOError(operation: "set \(on ? "active" : "inactive")", chip: "sim-buzzer", line: nil, errno: 19) }
        guard on != isOn else { return }
        isOn = on
        changes.append((seconds, on))
    }

    /// Whether it was on at `seconds`, from its changes.
    public func wasOn(atSeconds seconds: Double) -> Bool {
        changes.last { $0.seconds <= seconds }?.on ?? false
    }
}
