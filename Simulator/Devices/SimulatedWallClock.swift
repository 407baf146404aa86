/// The wall clock of a simulated station, as a step away from the host's: `clock-jump` steps it
/// (NTP, or a person setting the clock), and `wokd --simulate` reads its wall time through it.
/// Control never reads it (the loop runs on the monotonic clock), so a step must not touch a
/// cook; the daemon notices it and says so. A reference, so the daemon's wall clock follows the
/// station it has handed to its core.
public final class SimulatedWallClock {
    /// How far the station's wall clock stands from the host's, in seconds.
    public private(set) var stepSeconds = 0.0

    public init() {}

    /// The wall clock is set `seconds` forward (back, when negative).
    public func step(by seconds: Double) { stepSeconds += seconds }

    /// The wall clock is set right.
    public func setRight() { stepSeconds = 0 }
}
