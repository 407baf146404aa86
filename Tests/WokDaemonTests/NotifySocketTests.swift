import Glibc
import Testing
import WokSystem

/// systemd's notification protocol as wokd speaks it without libsystemd: datagrams to a path or an
/// abstract name, and the watchdog's timeout only for the process it was meant for.
@Suite struct NotifySocketTests {
    @Test func aMessageReachesASocketNamedByPath() throws {
        let path = "/tmp/wok-notify-test-\(getpid()).sock"
        let receiver = try DatagramReceiver(bindingPath: path)
        defer {
            receiver.close()
            unlink(path)
        }
        let socket = try #require(NotifySocket(environment: { $0 == "NOTIFY_SOCKET" ? path : nil }))
        #expect(socket.send("READY=1\nSTATUS=Idle"))
        #expect(receiver.receive() == "READY=1\nSTATUS=Idle")
    }

    @Test func aMessageReachesAnAbstractSocket() throws {
        let name = "wok-notify-test-\(getpid())"
        let receiver = try DatagramReceiver(bindingAbstract: name)
        defer { receiver.close() }
        let socket = try #require(NotifySocket(environment: { $0 == "NOTIFY_SOCKET" ? "@" + name : nil }))
        #expect(socket.send("WATCHDOG=1"))
        #expect(receiver.receive() == "WATCHDOG=1")
    }

    @Test(arguments: [nil, "", "relative/path", String(repeating: "/x", count: 60)])
    func noUsableAddressMeansNoSocket(address: String?) {
        #expect(NotifySocket(environment: { $0 == "NOTIFY_SOCKET" ? address : nil }) == nil)
    }

    @Test func aSocketNobodyListensOnRefusesQuietly() throws {
        let socket = try #require(NotifySocket(environment: { _ in "/tmp/wok-notify-nobody-\(getpid()).sock" }))
        #expect(!socket.send("READY=1"))
    }

    @Test func theWatchdogIsThisProcesssOnlyWhenItsPIDSaysSo() {
        func seconds(_ variables: [String: String]) -> Double? {
            NotifySocket.watchdogSeconds(environment: { variables[$0] }, processID: 4242)
        }
        #expect(seconds(["WATCHDOG_USEC": "2000000"]) == 2)
        #expect(seconds(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "4242"]) == 2)
        #expect(seconds(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "17"]) == nil, "inherited from a watched parent")
        #expect(seconds(["WATCHDOG_USEC": "0"]) == nil)
        #expect(seconds(["WATCHDOG_USEC": "soon"]) == nil)
        #expect(seconds([:]) == nil)
    }
}

/// A datagram socket standing in for systemd's end of the protocol.
private struct DatagramReceiver {
    let descriptor: Int32

    init(bindingPath path: String) throws {
        unlink(path)
        try self.init(address: Array(path.utf8) + [0])
    }

    init(bindingAbstract name: String) throws {
        try self.init(address: [0] + Array(name.utf8))
    }

    private init(address bytes: [UInt8]) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0, "bind: errno \(errno)")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count >= 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    func close() { Glibc.close(descriptor) }
}
