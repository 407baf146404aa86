import Foundation
import Testing

/// The bridge's unit passes systemd's checker and keeps the hardening the docs promise.
@Suite struct UnitFileTests {
    @Test func theBridgesUnitPassesSystemdAnalyzeVerifyAndIsHardened() throws {
        let analyzer = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is part of Debian's systemd")
        let unit = try String(contentsOf: Built.repositoryRoot.appendingPathComponent("systemd/wokmqtt.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/wokmqtt --config /etc/wok/mqtt.json\n"))
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/wokmqtt.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/wokmqtt", with: Built.product("wokmqtt"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runToEnd(analyzer, ["verify", "--man=no", path])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(!(result.out + result.err).contains("wokmqtt.service"), "warnings about the unit: \(result.out)\(result.err)")
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for line in [
            "User=wokmqtt", "SupplementaryGroups=wok", "DevicePolicy=closed", "PrivateDevices=yes", "NoNewPrivileges=yes",
            "CapabilityBoundingSet=", "ProtectSystem=strict", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "MemoryMax=64M",
            "LoadCredential=mqtt-password:/etc/wok/credentials/mqtt-password",
        ] {
            #expect(lines.contains(line), "missing the line \(line)")
        }
        // No device of the station's: not the I2C bus, not the GPIO lines.
        #expect(!unit.contains("DeviceAllow"))
        #expect(!unit.contains("gpio") && !unit.contains("i2c"))
    }

    @Test func aConfigThatCannotBeReadStopsTheBridgeWithItsPath() throws {
        let result = try runToEnd(Built.product("wokmqtt"), ["--config", "/nonexistent/mqtt.json"])
        #expect(result.status == 2)
        #expect(result.err.contains("/nonexistent/mqtt.json"))
    }
}
