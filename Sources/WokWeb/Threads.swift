internal import Glibc

/// Errors starting wokweb's own threads.
public struct ThreadStartError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var description: String { "could not start a thread: \(String(cString: strerror(code)))" }
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a joinable thread running `body`.
func startThread(_ body: @escaping @Sendable () -> Void) throws(ThreadStartError) -> pthread_t {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
        &thread, nil,
        { raw in
            guard let raw else { return nil }
            let body = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
            body.run()
            return nil
        }, context)
    guard result == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        throw ThreadStartError(code: result)
    }
    return thread
}
