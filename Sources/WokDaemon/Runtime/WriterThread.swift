internal import Glibc
internal import WokSystem

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
