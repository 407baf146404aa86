internal import Glibc
public import WokSystem

/// The real world: the Unix listener, a signalfd and ppoll on CLOCK_MONOTONIC.
public final class PosixEventSource: DaemonEventSource {
    private let listener: UnixListener
    private let signals: SignalReceiver
    private let clock: any LoopClock

    /// Binds the socket (mode 0660, group `groupID`) and opens the signalfd.
    public init(socketPath: String, groupID: UInt32?, clock: any LoopClock = SystemLoopClock()) throws(DaemonStartError) {
        do {
            signals = try SignalReceiver()
        } catch {
            throw .signals(error)
        }
        do {
            listener = try UnixListener(path: socketPath, groupID: groupID)
        } catch {
            throw .socket(error)
        }
        self.clock = clock
    }

    public var address: String { listener.path }

    public func nowSeconds() -> Double { clock.nowSeconds() }

    public func wait(listening: Bool, connections: [(id: ConnectionID, events: PollEvents)], until deadline: Double) -> Readiness {
        var interests = [PollInterest(signals.descriptor, .readable), PollInterest(listener.descriptor, listening ? .readable : [])]
        for connection in connections { interests.append(PollInterest(connection.id, connection.events)) }
        var readiness = Readiness()
        let ready: [PollEvents]
        do {
            ready = try waitForDescriptors(interests, timeoutSeconds: deadline - clock.nowSeconds())
        } catch {
            return readiness
        }
        guard ready.count == interests.count else { return readiness }
        readiness.signal = !ready[0].isEmpty
        readiness.listener = listening && !ready[1].isEmpty
        for (index, connection) in connections.enumerated() where !ready[index + 2].isEmpty {
            readiness.connections.append((connection.id, ready[index + 2]))
        }
        return readiness
    }

    public func accept() -> AcceptOutcome {
        switch listener.accept() {
        case .connection(let fd): .connection(fd, peerCredentials(of: fd))
        case .noneWaiting: .noneWaiting
        case .outOfDescriptors(let error): .outOfDescriptors("\(error)")
        case .failed(let error): .failed("\(error)")
        }
    }

    public func read(_ connection: ConnectionID, maxBytes: Int) -> ConnectionRead {
        var chunk = [UInt8](repeating: 0, count: maxBytes)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(connection, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk.removeSubrange(count...)
                return .bytes(chunk)
            }
            if count == 0 { return .endOfInput }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    public func write(_ connection: ConnectionID, _ bytes: UnsafeRawBufferPointer) -> ConnectionWrite {
        while true {
            let count = Glibc.send(connection, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if count >= 0 { return .wrote(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    public func close(_ connection: ConnectionID) {
        _ = Glibc.close(connection)
    }

    public func nextSignal() -> Int32? { signals.next() }
}

/// Why the daemon could not start serving.
public enum DaemonStartError: Error, Sendable, CustomStringConvertible {
    case socket(SocketSetupError)
    case signals(SystemError)

    public var description: String {
        switch self {
        case .socket(let error): "control socket: \(error)"
        case .signals(let error): "signal handling: \(error)"
        }
    }
}
