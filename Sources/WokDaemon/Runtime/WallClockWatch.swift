/// Watches the wall clock against the monotonic clock. The loop, every timer of a cook and every
/// safety bound run on the monotonic clock, so a step of the wall clock (NTP setting it, a person,
/// a Pi without a real-time clock that boots with a stale one; or the machine sleeping, which
/// the monotonic clock does not count) cannot touch the burner. It does move what is stamped with
/// the wall clock: the history's dates, and the age of a cook record that `resume` is judged by.
struct WallClockWatch {
    /// A change this large between two looks is a step. Between two ticks the clocks drift apart
    /// by far less (NTP slews at most 0.5 ms a second); the history's times are whole seconds.
    static let stepSeconds = 1.0

    /// Wall-clock seconds less monotonic seconds at the last look.
    private var offsetSeconds: Double?

    /// Notes both clocks now; the step of the wall clock since the last look (forward positive),
    /// or nil when it kept pace.
    mutating func observe(wallSeconds: Double, monotonicSeconds: Double) -> Double? {
        let offset = wallSeconds - monotonicSeconds
        defer { offsetSeconds = offset }
        guard let previous = offsetSeconds, abs(offset - previous) >= Self.stepSeconds else { return nil }
        return offset - previous
    }
}
