import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The hostile clients, run as a child process of the bench (`wokd-bench --load NAME --socket PATH
/// --load-for SECONDS`), so their work and their descriptors are apart from the well-behaved probe,
/// and killing the child ends them all. It stops by itself after `seconds` and prints what it did,
/// one line per fact, which the bench shows under the scenario's figures.
func runHostileLoad(_ scenario: HostileScenario, socketPath: String, seconds: Double) -> Int32 {
    let deadline = monotonic() + seconds
    switch scenario {
    case .flood: flood(socketPath, until: deadline)
    case .idle: holdIdleConnections(socketPath, until: deadline)
    case .watchers: subscribeWithoutReading(socketPath, until: deadline)
    case .baseline, .diskStall: print("no client load in this scenario")
    }
    return 0
}

private func megabytes(_ bytes: Int) -> String { formatNumber((Double(bytes) / 1_048_576 * 10).rounded() / 10) + " MB" }

/// One client sends `status` requests as fast as the socket takes them and never reads.
private func flood(_ socketPath: String, until deadline: Double) {
    let started = monotonic()
    guard case .success(let client) = BenchClient.connect(to: socketPath, deadline: started + 5) else {
        print("could not connect")
        return
    }
    let line = #"{"v":1,"method":"status"}"# + "\n"
    let block = Array(String(repeating: line, count: 64 * 1024 / line.utf8.count).utf8)
    var sentBytes = 0
    var offset = 0
    var ending = "still sending at the end"
    sending: while monotonic() < deadline {
        let written = block.withUnsafeBytes { send(client.descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        if written > 0 {
            sentBytes += written
            offset = (offset + written) % block.count
            continue
        }
        switch written < 0 ? errno : 0 {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK:
            // The daemon is not reading: wait for room, a little at a time, until the end.
            var fds = [pollfd(fd: client.descriptor, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&fds, 1, 100)
        default:
            ending = "the daemon closed the connection after \(formatNumber((monotonic() - started).rounded())) s"
            break sending
        }
    }
    let elapsed = max(monotonic() - started, 0.001)
    let requests = sentBytes / line.utf8.count
    let rate = formatNumber((Double(requests) / elapsed).rounded())
    print("flood: \(requests) status requests (\(megabytes(sentBytes))) in \(formatNumber(elapsed.rounded())) s, \(rate) a second; \(ending)")
}

/// Raises this process's open-file soft limit to its hard limit; says what it did.
private func raiseDescriptorLimit(needed: Int) -> Bool {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
        print("RLIMIT_NOFILE: getrlimit failed: \(String(cString: strerror(errno)))")
        return false
    }
    let before = limit.rlim_cur
    if limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            print("RLIMIT_NOFILE: could not raise the soft limit \(before) to the hard limit \(limit.rlim_max): \(String(cString: strerror(errno)))")
            return before >= needed
        }
    }
    let enough = limit.rlim_cur >= needed
    print(
        "RLIMIT_NOFILE of the load: soft \(before) raised to \(limit.rlim_cur) (hard \(limit.rlim_max))\(enough ? "" : "; NOT ENOUGH for \(needed) connections")"
    )
    return enough
}

/// Connections the daemon has closed (it refused them, or dropped them), counted without reading.
private func countClosedByDaemon(_ clients: [BenchClient]) -> Int {
    var fds = clients.map { pollfd(fd: $0.descriptor, events: pollPeerClosed, revents: 0) }
    guard poll(&fds, nfds_t(fds.count), 0) >= 0 else { return 0 }
    return fds.count { $0.revents & (pollPeerClosed | Int16(POLLHUP) | Int16(POLLERR)) != 0 }
}

/// Opens `count` connections, each within the time left, stopping at the first that fails.
private func openConnections(_ count: Int, _ socketPath: String, until deadline: Double) -> (clients: [BenchClient], failure: String?) {
    var clients: [BenchClient] = []
    clients.reserveCapacity(count)
    while clients.count < count {
        switch BenchClient.connect(to: socketPath, deadline: min(deadline, monotonic() + 2)) {
        case .success(let client): clients.append(client)
        case .failure(let failure): return (clients, "connection \(clients.count + 1) failed: \(failure)")
        }
    }
    return (clients, nil)
}

/// Opens many connections and holds them, sending nothing.
private func holdIdleConnections(_ socketPath: String, until deadline: Double) {
    let count = HostileScenario.idleConnections
    // Its own descriptors, a margin for the standard ones.
    _ = raiseDescriptorLimit(needed: count + 16)
    let started = monotonic()
    let (clients, failure) = openConnections(count, socketPath, until: deadline)
    print(
        "idle: opened \(clients.count) of \(count) connections in \(formatNumber(((monotonic() - started) * 100).rounded() / 100)) s\(failure.map { "; \($0)" } ?? "")"
    )
    sleep(seconds: min(1, max(0, deadline - monotonic())))
    let closed = countClosedByDaemon(clients)
    print("idle: 1 s later the daemon had closed \(closed) of them (each newcomer past its limit closes the idlest), and holds the rest")
    sleep(seconds: deadline - monotonic())
    print("idle: at the end the daemon had closed \(countClosedByDaemon(clients)) of them")
}

/// Subscribes and then never reads, so the daemon's pushed lines pile up.
private func subscribeWithoutReading(_ socketPath: String, until deadline: Double) {
    let count = HostileScenario.watcherCount
    let (clients, failure) = openConnections(count, socketPath, until: deadline)
    var subscribed = 0
    for client in clients {
        let line = ControlRequest(id: .number(Double(subscribed + 1)), method: .subscribe).line
        if case .success = client.send(line, deadline: min(deadline, monotonic() + 2)) { subscribed += 1 }
    }
    print("watchers: \(subscribed) of \(count) subscribed\(failure.map { "; \($0)" } ?? "")")
    sleep(seconds: deadline - monotonic())
    print("watchers: at the end the daemon had dropped \(countClosedByDaemon(clients)) of them")
}
