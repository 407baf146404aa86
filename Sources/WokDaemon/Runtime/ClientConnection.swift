internal import Glibc
internal import WokCore

/// One client of the control socket: bytes in, lines out, bounded both ways.
struct ClientConnection {
    /// A subscriber that falls this far behind is dropped rather than allowed to grow memory.
    static let maxPendingOutputBytes = 1 << 20

    let descriptor: Int32
    let peer: Peer
    private(set) var inbound: [UInt8] = []
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    var isSubscribed = false
    /// Set when the connection must end once what is queued has been sent.
    var closeAfterFlush = false
    /// Set when the connection must end now.
    var isBroken = false

    init(descriptor: Int32, peer: Peer) {
        self.descriptor = descriptor
        self.peer = peer
    }

    var hasPendingOutput: Bool { outboundOffset < outbound.count }
    var pendingOutputBytes: Int { outbound.count - outboundOffset }

    /// Reads what is waiting and returns the complete lines. A line over the protocol's limit
    /// comes back as `.tooLong` and the rest of the input is dropped.
    mutating func receive() -> [ReceivedLine] {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var lines: [ReceivedLine] = []
        // Bounded reads per wake-up, so one chatty client cannot starve the control loop.
        for _ in 0..<4 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                inbound += chunk[0..<count]
            } else if count == 0 {
                closeAfterFlush = true
                break
            } else {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { isBroken = true }
                break
            }
            if count < chunk.count { break }
        }
        while let newline = inbound.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(inbound[..<newline])
            inbound.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.count > ControlProtocol.maxRequestBytes {
                lines.append(.tooLong)
                continue
            }
            if !line.isEmpty { lines.append(.line(String(decoding: line, as: UTF8.self))) }
        }
        if inbound.count > ControlProtocol.maxRequestBytes {
            inbound = []
            lines.append(.tooLong)
        }
        return lines
    }

    /// Queues one line; false when the client is too far behind to keep.
    @discardableResult
    mutating func send(_ line: String) -> Bool {
        if outboundOffset > 0 && outboundOffset == outbound.count {
            outbound = []
            outboundOffset = 0
        }
        outbound += line.utf8
        outbound.append(UInt8(ascii: "\n"))
        return pendingOutputBytes <= Self.maxPendingOutputBytes
    }

    /// Writes what the socket takes without blocking.
    mutating func flush() {
        while hasPendingOutput {
            let written = outbound.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress.map { $0 + outboundOffset }, raw.count - outboundOffset)
            }
            if written > 0 {
                outboundOffset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                if written < 0 && errno != EAGAIN && errno != EWOULDBLOCK { isBroken = true }
                return
            }
        }
        if outboundOffset > 64 * 1024 {
            outbound.removeSubrange(..<outboundOffset)
            outboundOffset = 0
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

enum ReceivedLine: Equatable {
    case line(String)
    case tooLong
}
