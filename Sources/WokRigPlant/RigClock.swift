// The one clock the plant and the timer read, so tests can run them in virtual time.
internal import WokHardware

/// Seconds that only move forward, and a way to wait on them.
public protocol RigClock {
    /// Seconds since an arbitrary fixed point.
    mutating func nowSeconds() -> Double
    /// Waits `seconds` (nothing for zero or less).
    mutating func sleep(seconds: Double)
}

/// The system's monotonic clock: what the plant and the timer use in the VM.
public struct MonotonicRigClock: RigClock {
    /// The monotonic clock.
    public init() {}

    public func nowSeconds() -> Double { MonotonicClock.nowSeconds() }

    public func sleep(seconds: Double) { MonotonicClock.sleep(seconds: seconds) }
}
