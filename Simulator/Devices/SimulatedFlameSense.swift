// The ignition controller's flame-proven input in simulation: what the plant's flame does, unless
// a test breaks the input itself.
public import WokCore

/// A flame-proven input that shows the simulated flame (`SimulatedStation` presents it each step)
/// and can fail or stick, as a broken input line or a controller with a stuck output would.
///
/// A class, so a test keeps a handle on it while the station reads it.
public final class SimulatedFlameSense: FlameSensor {
    /// What the flame is doing, as last presented.
    public private(set) var flame: FlameState = .absent
    /// When set, every read fails with this reason (a chip that went away, a released line).
    public var failure: String?
    /// When set, every read says this, whatever the flame does (a stuck output or line).
    public var stuckAt: FlameState?
    /// Reads so far, failed ones included.
    public private(set) var reads = 0

    public init() {}

    /// The plant's flame, now.
    public func present(_ flame: FlameState) { self.flame = flame }

    public func read() -> Result<FlameState, FlameSenseFailure> {
        reads += 1
        if let failure { return .failure(FlameSenseFailure(reason: failure)) }
        return .success(stuckAt ?? flame)
    }
}
