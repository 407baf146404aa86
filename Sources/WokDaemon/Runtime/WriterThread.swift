internal import Glibc
internal import WokSystem

/// A pthread mutex with one condition variable on the monotonic clock. The daemon's loop takes it
/// only for a few memory operations; the thread that waits for the disk never holds it while it
/// does so, so the loop never waits for the disk through it.
final class ConditionLock: @unchecked Sendable {
    // Allocated once and never moved: pthread objects must keep their address.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
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

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    func withLock<Value>(_ body: () throws -> Value) rethrows -> Value {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held (spurious wake-ups happen: check in a loop).
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits for a signal until `deadline` (seconds of the monotonic clock); false once it passed.
    func wait(untilMonotonicSeconds deadline: Double) -> Bool {
        guard deadline > monotonicSeconds() else { return false }
        let whole = deadline.rounded(.down)
        var time = timespec(tv_sec: Int(whole), tv_nsec: Int((deadline - whole) * 1e9))
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }
}

/// Seconds of the monotonic clock (the one `ConditionLock` waits on).
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Starts a detached thread running `body`, with every signal blocked in it: the daemon reads
/// SIGTERM and SIGINT through a signalfd on its loop's thread, and a thread that could take them
/// instead would let the default action kill the process with the burner still on. The mask is
/// set before the thread exists (it inherits it), so no signal slips in at its start.
func startThread(named name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
    final class Start {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var all = sigset_t()
    var previous = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_SETMASK, &all, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    let start = Unmanaged.passRetained(Start(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
        &thread, nil,
        { raw in
            guard let raw else { return nil }
            Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, start)
    guard status == 0 else {
        Unmanaged<Start>.fromOpaque(start).release()
        throw SystemError("pthread_create", name, errno: status)
    }
    pthread_detach(thread)
}
