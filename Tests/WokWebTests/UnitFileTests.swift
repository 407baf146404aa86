import Foundation
import Testing

/// wokweb's unit passes systemd's own checker and keeps the hardening the issue asks for.
@Suite struct UnitFileTests {
    @Test func theUnitPassesSystemdAnalyzeVerifyAndIsHardened() throws {
        let analyzer = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is part of Debian's systemd")
        let unit = try String(contentsOf: Built.repositoryRoot.appendingPathComponent("systemd/wokweb.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/wokweb "))
        let directory = NSTemporaryDirectory() + "wokweb-unit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/wokweb.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/wokweb", with: Built.directory.appendingPathComponent("wokweb").path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (status, text) = try runTool(analyzer, ["verify", "--man=no", path])
        #expect(status == 0, "\(text)")
        #expect(!text.contains("wokweb.service"), "warnings about the unit: \(text)")
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for line in [
            "User=wokweb", "Group=wok", "PrivateDevices=yes", "DevicePolicy=closed", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
            "NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=", "StateDirectory=wokweb", "StateDirectoryMode=0700",
        ] {
            #expect(lines.contains(line), "missing the line \(line)")
        }
        #expect(unit.contains("--socket /run/wokd/control.sock"))
        #expect(!lines.contains("PrivateNetwork=yes"), "wokweb is the part with a network")
        #expect(!unit.contains("DeviceAllow="))
    }
}
