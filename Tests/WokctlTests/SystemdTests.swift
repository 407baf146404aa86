import Foundation
import Testing

/// The unit file passes systemd's own checker, and the daemon speaks sd_notify to a real socket.
@Suite(.serialized) struct SystemdTests {
    @Test func theUnitFilePassesSystemdAnalyzeVerify() throws {
        let analyzer = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is part of Debian's systemd")
        // Verify the unit as installed, with ExecStart pointing at the binary this build made.
        let unit = try String(contentsOf: Wokctl.repositoryRoot.appendingPathComponent("systemd/wokd.service"), encoding: .utf8)
        // As the package installs it (docs/packaging.md): the binary in /usr/bin, the start skipped
        // while the station file names no devices, the man page as its documentation.
        #expect(unit.contains("ExecStart=/usr/bin/wokd "))
        #expect(unit.contains("ExecCondition=/usr/bin/wokd --check-config "))
        #expect(unit.contains("Documentation=man:wokd(8)"))
        let directory = NSTemporaryDirectory() + "wokd-unit-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/wokd.service"
        try unit.replacingOccurrences(of: "/usr/bin/wokd", with: DaemonProcess.wokd.path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyzer)
        process.arguments = ["verify", "--man=no", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(!text.contains("wokd.service"), "warnings about the unit: \(text)")
        for key in [
            "Type=notify", "WatchdogSec=", "Restart=on-failure", "RuntimeDirectory=wokd", "StateDirectory=wokd", "ConfigurationDirectory=wok",
            "User=wokd", "SupplementaryGroups=gpio i2c", "DeviceAllow=char-i2c rw", "DeviceAllow=char-gpiochip rw",
        ] {
            #expect(unit.contains(key), "missing \(key)")
        }
        // The station's group reads the history: the daemon runs in it, the state directory is
        // 0750 and what it creates there is kept from others (docs/history.md, "Who may read it").
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for line in ["Group=wok", "StateDirectoryMode=0750", "UMask=0027"] {
            #expect(lines.contains(line), "missing the line \(line)")
        }
    }

    @Test func theDaemonSaysReadyFeedsTheWatchdogReportsStatusAndSaysStopping() throws {
        let socketPath = "/tmp/wokd-notify-\(getpid()).sock"
        let receiver = try NotifyReceiver(path: socketPath)
        defer { receiver.close() }
        let daemon = try DaemonProcess(
            speed: 20, environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "1000000"])
        var messages = receiver.collect(seconds: 1)
        let ready = try #require(messages.first { $0.contains("READY=1") }, "\(messages)")
        #expect(ready.contains("STATUS=Idle; burner off"))
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 2, "the loop pings at a quarter of the watchdog's 1 s: \(messages)")

        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        messages = receiver.collect(seconds: 0.5)
        #expect(messages.contains { $0.hasPrefix("STATUS=preheating: stage 1/6") }, "\(messages)")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        messages = receiver.collect(seconds: 0.3)
        #expect(messages.contains { $0.hasPrefix("STOPPING=1") && $0.contains("burner off") }, "\(messages)")
        daemon.cleanUp()
    }
}

/// A datagram socket standing in for systemd's notification socket.
final class NotifyReceiver {
    let path: String
    let descriptor: Int32

    init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Every datagram that arrives within `seconds`.
    func collect(seconds: Double) -> [String] {
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 20) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
        }
        return messages
    }

    func close() {
        Foundation.close(descriptor)
        unlink(path)
    }
}
