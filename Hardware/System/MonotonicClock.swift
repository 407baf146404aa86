// The one place the hardware layer reads time: a monotonic clock and a bounded sleep.
#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Seconds on the monotonic clock (never jumps with wall-clock changes), and sleeping on it.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point.
    public static func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Sleeps for `seconds` (nothing for zero or less), resuming after signals.
    public static func sleep(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        let whole = seconds.rounded(.down)
        var request = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// The text of an errno value, e.g. "No such file or directory".
    public static func describe(errno value: Int32) -> String {
        guard let text = strerror(value) else { return "errno \(value)" }
        return String(cString: text)
    }
}
