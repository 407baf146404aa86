// Bounded retries of I2C transfers, bounded so that they can never keep a dead sensor from the
// safety monitor for longer than one control period.
internal import WokCore

/// How often, and for how long, a failed transfer is tried again.
///
/// The bound that matters: the safety monitor starts its bus-error clock at the first read that
/// fails. A retry can only delay that first failed read, by at most the read's worst-case
/// duration. `fitting(periodSeconds:busErrorBoundSeconds:)` keeps that within one control
/// period (and within half the monitor's bound), so a sensor that stops answering is seen
/// failing in the same tick it would have been seen without retries, and never later.
public struct I2CRetryPolicy: Sendable, Equatable, CustomStringConvertible {
    /// Attempts per transfer, the first included (1 means no retry).
    public var maxAttempts: Int
    /// A retry starts only while less than this has passed since the first attempt began.
    public var retryWindowSeconds: Double
    /// The kernel's per-transfer timeout (set on the adapter), in multiples of 10 ms.
    public var transferTimeoutSeconds: Double

    /// Three attempts within 10 ms, each transfer capped at 50 ms: a clock-stretching glitch
    /// (which fails within a millisecond or two) clears, and a whole four-transfer read still ends
    /// within 240 ms, inside a 0.25 s period.
    public static let standard = I2CRetryPolicy(
        maxAttempts: 3, retryWindowSeconds: 0.01, transferTimeoutSeconds: 0.05)

    /// The most attempts any policy makes.
    public static let attemptLimit = 5

    /// Creates a policy; attempts are clamped to 1...5, times to at least 0 and 10 ms.
    public init(maxAttempts: Int, retryWindowSeconds: Double, transferTimeoutSeconds: Double) {
        self.maxAttempts = min(max(maxAttempts, 1), Self.attemptLimit)
        self.retryWindowSeconds = max(0, retryWindowSeconds)
        self.transferTimeoutSeconds = max(0.01, transferTimeoutSeconds)
    }

    /// The longest one transfer can take with its retries, if the adapter honours its timeout:
    /// fast failures until the window closes, then one last attempt that runs to the timeout;
    /// or every attempt running to the timeout, whichever is less.
    public var worstCaseTransferSeconds: Double {
        let byAttempts = Double(maxAttempts) * transferTimeoutSeconds
        let byWindow = maxAttempts > 1 ? retryWindowSeconds + transferTimeoutSeconds : transferTimeoutSeconds
        return min(byAttempts, byWindow)
    }

    /// The longest a read of `transfers` transfers can take.
    public func worstCaseReadSeconds(transfers: Int) -> Double {
        Double(transfers) * worstCaseTransferSeconds
    }

    /// Transfers in one MCP9600 sample: STATUS, clearing its "T_H updated" flag, hot junction,
    /// cold junction.
    public static let transfersPerRead = 4

    /// `standard` if its worst-case read fits in `periodSeconds` and half of
    /// `busErrorBoundSeconds`; otherwise a single attempt with the timeout that fits (never
    /// below the kernel's 10 ms unit).
    public static func fitting(periodSeconds: Double, busErrorBoundSeconds: Double) -> I2CRetryPolicy {
        let budgetSeconds = min(periodSeconds, busErrorBoundSeconds / 2)
        if standard.worstCaseReadSeconds(transfers: transfersPerRead) <= budgetSeconds { return standard }
        let perTransfer = (budgetSeconds / Double(transfersPerRead) * 100).rounded(.down) / 100
        return I2CRetryPolicy(maxAttempts: 1, retryWindowSeconds: 0, transferTimeoutSeconds: perTransfer)
    }

    /// e.g. "3 attempts within 0.01 s, 0.05 s per transfer".
    public var description: String {
        "\(maxAttempts) attempt\(maxAttempts == 1 ? "" : "s") within \(retryWindowSeconds) s, "
            + "\(transferTimeoutSeconds) s per transfer"
    }
}

/// Wraps a device so that transfers failing in a way that may clear (NACK, timeout, bus error,
/// interrupted call) are tried again under an `I2CRetryPolicy`. A device that is not there
/// (`.noDevice`) or an error that cannot clear is reported at once.
///
/// Retries hide a glitch from the caller but not from a person: `recoveredFailures` counts every
/// failure a retry got past, and `lastRecoveredFailure` keeps the latest.
public struct RetryingI2CDevice<Inner: I2CDevice>: I2CDevice {
    /// The device transfers go to.
    public var inner: Inner
    /// The retry bounds.
    public let policy: I2CRetryPolicy
    /// Failures that a later attempt of the same transfer got past.
    public private(set) var recoveredFailures = 0
    /// The latest such failure.
    public private(set) var lastRecoveredFailure: I2CError?
    private let nowSeconds: () -> Double

    /// Wraps `inner`; `nowSeconds` is a monotonic clock (injected so tests control time).
    public init(
        _ inner: Inner, policy: I2CRetryPolicy = .standard,
        nowSeconds: @escaping () -> Double = MonotonicClock.nowSeconds
    ) {
        self.inner = inner
        self.policy = policy
        self.nowSeconds = nowSeconds
    }

    public var location: I2CLocation { inner.location }

    public mutating func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        try attempt { (device: inout Inner) throws(I2CError) in try device.readByte(register: register) }
    }

    public mutating func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        try attempt { (device: inout Inner) throws(I2CError) in try device.readWord(register: register) }
    }

    /// Writes are retried too: every register the driver writes is idempotent.
    public mutating func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        try attempt { (device: inout Inner) throws(I2CError) in
            try device.writeByte(register: register, value: value)
        }
    }

    private mutating func attempt<Value>(
        _ transfer: (inout Inner) throws(I2CError) -> Value
    ) throws(I2CError) -> Value {
        let startSeconds = nowSeconds()
        var attempts = 1
        var failures: [I2CError] = []
        while true {
            do throws(I2CError) {
                let value = try transfer(&inner)
                recoveredFailures += failures.count
                if let last = failures.last { lastRecoveredFailure = last }
                return value
            } catch {
                let withinWindow = nowSeconds() - startSeconds < policy.retryWindowSeconds
                guard error.failure.mayClearOnRetry, attempts < policy.maxAttempts, withinWindow else {
                    throw error
                }
                attempts += 1
                failures.append(error)
            }
        }
    }
}
