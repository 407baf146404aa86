internal import Glibc
internal import WokClient
internal import WokSystem
internal import WokWire

/// The one subscription to wokd: follows it on a thread of its own and hands everything to the
/// hub. When wokd is away it says so and tries again, backing off to a few seconds; every wait is
/// bounded so stopping takes at most about a second.
public final class StationLink: @unchecked Sendable {
    public let socketPath: String
    private let hub: StationHub
    private var thread: pthread_t?

    public init(socketPath: String, hub: StationHub) {
        self.socketPath = socketPath
        self.hub = hub
    }

    public func start() throws(ThreadStartError) {
        let hub = self.hub
        let path = socketPath
        thread = try startThread { Self.follow(path: path, hub: hub) }
    }

    /// Waits for the thread to end (after `hub.stop()`).
    public func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    static func follow(path: String, hub: StationHub) {
        var backoff = ReconnectBackoff()
        while !hub.isStopping {
            do {
                let client = try ControlClient(path: path)
                switch try client.subscribe(timeoutSeconds: 5) {
                case .failure(let error):
                    hub.linkDown("wokd refused the subscription: \(error.message)")
                case .success(let subscription):
                    hub.linkUp(subscription)
                    backoff.reset()
                    while !hub.isStopping {
                        switch try client.nextPush(timeoutSeconds: 1) {
                        case .snapshot(let snapshot): hub.snapshot(snapshot)
                        case .event(let event): hub.event(event)
                        case nil: continue
                        }
                    }
                    return
                }
            } catch {
                hub.linkDown(error.description)
            }
            // Sleep in short steps so a stop is noticed.
            var left = backoff.next()
            while left > 0, !hub.isStopping {
                usleep(UInt32(min(left, 0.2) * 1_000_000))
                left -= 0.2
            }
        }
    }
}

/// 0.25 s after the first failure, doubling to 4 s: quick when wokd restarts, quiet when it is down.
public struct ReconnectBackoff: Sendable, Equatable {
    public private(set) var current: Double = 0.25

    public init() {}

    public mutating func next() -> Double {
        let wait = current
        current = min(current * 2, 4)
        return wait
    }

    public mutating func reset() { current = 0.25 }
}
