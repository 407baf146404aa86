internal import Glibc
internal import WokHardware

/// The time the daemon's loop runs on. The real one is CLOCK_MONOTONIC, which never jumps with the
/// wall clock; a test can hand the runner its own.
public protocol LoopClock: Sendable {
    /// Seconds since an arbitrary fixed origin.
    func nowSeconds() -> Double
}

/// CLOCK_MONOTONIC, read through the hardware layer's one clock.
public struct SystemLoopClock: LoopClock {
    public init() {}

    public func nowSeconds() -> Double { MonotonicClock.nowSeconds() }
}

/// Seconds since the Unix epoch, for records that must make sense after a restart or reboot.
public func wallClockSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
