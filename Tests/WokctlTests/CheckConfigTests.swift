import Foundation
import Testing

/// `wokd --check-config`, the packaged unit's ExecCondition: 0 for a station with devices, 1 for
/// one that names none yet (the packaged default), 3 for an invalid file; nothing is opened.
@Suite struct CheckConfigTests {
    func checkConfig(_ stationText: String) throws -> (status: Int32, out: String, err: String) {
        let directory = NSTemporaryDirectory() + "wokd-check-config-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/station.json"
        try stationText.write(toFile: path, atomically: true, encoding: .utf8)
        return try runProcess(DaemonProcess.wokd, ["--check-config", "--config", path])
    }

    var documentedStation: String {
        get throws { try String(contentsOf: Wokctl.repositoryRoot.appendingPathComponent("config/station.json"), encoding: .utf8) }
    }

    @Test func aStationWithDevicesIsReadyAndSaysWhatItFound() throws {
        // The devices of config/station.json are not on this machine: the check does not open them.
        let result = try checkConfig(try documentedStation)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("thermocouple at /dev/i2c-1 address 0x67, relay gpiochip0 line 17; ready to start"), "\(result.out)")
    }

    @Test func aStationWithoutDevicesIsNotReadyYet() throws {
        var station = try #require(try JSONSerialization.jsonObject(with: Data(try documentedStation.utf8)) as? [String: Any])
        station["devices"] = nil
        let text = String(decoding: try JSONSerialization.data(withJSONObject: station), as: UTF8.self)
        let result = try checkConfig(text)
        #expect(result.status == 1)
        #expect(result.err.contains("names no devices yet"), "\(result.err)")
    }

    @Test func anInvalidStationFails() throws {
        let result = try checkConfig("{\"schema\": 1, \"levels\": \"hot\"}")
        #expect(result.status == 3)
    }

    @Test func anUnknownDaemonGroupFails() throws {
        var station = try #require(try JSONSerialization.jsonObject(with: Data(try documentedStation.utf8)) as? [String: Any])
        station["daemon"] = ["group": "no-such-group-for-wok"]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: station), as: UTF8.self)
        let result = try checkConfig(text)
        #expect(result.status == 3)
        #expect(result.err.contains("no-such-group-for-wok"), "\(result.err)")
    }
}
