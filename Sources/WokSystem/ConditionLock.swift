internal import Glibc

/// A pthread mutex with one condition variable on the monotonic clock, shared by the daemon's disk
/// writer and wokweb's connection threads. A change of the wall clock cannot stretch a timed wait.
public final class ConditionLock: @unchecked Sendable {
    // Allocated once and never moved: pthread objects must keep their address.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        // These fail only on invalid arguments or exhausted memory at start-up: programmer errors.
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init")
        var attributes = pthread_condattr_t()
        precondition(pthread_condattr_init(&attributes) == 0, "pthread_condattr_init")
        precondition(pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) == 0, "pthread_condattr_setclock")
        precondition(pthread_cond_init(condition, &attributes) == 0, "pthread_cond_init")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<Value>(_ body: () throws -> Value) rethrows -> Value {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held (spurious wake-ups happen: check in a loop).
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits for a signal until `deadline` (seconds of `monotonicSeconds()`); false once it passed.
    @discardableResult
    public func wait(untilMonotonicSeconds deadline: Double) -> Bool {
        guard deadline > monotonicSeconds() else { return false }
        let whole = deadline.rounded(.down)
        var time = timespec(tv_sec: Int(whole), tv_nsec: Int((deadline - whole) * 1e9))
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    /// With the lock held: waits until woken or `seconds` pass.
    public func wait(seconds: Double) { wait(untilMonotonicSeconds: monotonicSeconds() + max(0, seconds)) }

    public func signal() { pthread_cond_signal(condition) }
    /// Wakes every waiter (call with or without the lock held).
    public func broadcast() { pthread_cond_broadcast(condition) }
}
