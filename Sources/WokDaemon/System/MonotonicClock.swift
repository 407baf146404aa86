internal import Glibc

/// Time for the daemon's loop. The real one is CLOCK_MONOTONIC, which never jumps with the wall
/// clock; tests substitute their own.
public protocol MonotonicClock: Sendable {
    /// Seconds since an arbitrary fixed origin.
    func nowSeconds() -> Double
}

public struct SystemMonotonicClock: MonotonicClock {
    public init() {}

    public func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Seconds since the Unix epoch, for records that must make sense after a restart or reboot.
public func wallClockSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
