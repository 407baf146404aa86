internal import CWokSystem
internal import Glibc

/// The time the daemon's loop runs on. The real one is CLOCK_MONOTONIC, which never jumps with the
/// wall clock; a test hands the runner a virtual one.
public protocol LoopClock: Sendable {
    /// Seconds since an arbitrary fixed origin.
    func nowSeconds() -> Double
}

/// CLOCK_MONOTONIC.
public struct SystemLoopClock: LoopClock {
    public init() {}

    public func nowSeconds() -> Double { monotonicSeconds() }
}

/// Seconds on CLOCK_MONOTONIC since an arbitrary fixed point.
public func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Seconds since the Unix epoch, for records that must make sense after a restart or reboot.
public func wallClockSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Gives freed heap back to the system, so the resident size falls after a burst (a crowd of
/// clients leaving) instead of staying at its peak.
public func releaseFreeMemory() {
    wok_release_free_memory()
}
