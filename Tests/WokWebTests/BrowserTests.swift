import Foundation
import Testing

/// Debian's Chromium, headless, driving the real page against a real wokd and wokweb through
/// Tests/WokWebTests/Browser/drive_page.py (the DevTools protocol on a pipe).
@Suite(.serialized) struct BrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count > 24, data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return (0, 0) }
        func word(_ offset: Int) -> Int { data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    /// Runs drive_page.py against `station`; what it printed, decoded.
    static func drive(_ station: Station, _ arguments: [String]) throws -> (seen: [String: Any], output: String, status: Int32) {
        let shots = station.directory + "/shots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        driver.arguments =
            [Built.repositoryRoot.appendingPathComponent("Tests/WokWebTests/Browser/drive_page.py").path, chromium, station.origin + "/", shots]
            + arguments
        driver.environment = ["WOKWEB_BROWSER_PROFILE": station.directory + "/chromium", "PATH": "/usr/bin:/bin", "HOME": station.directory]
        let output = Pipe()
        driver.standardOutput = output
        try driver.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        driver.waitUntilExit()
        let seen = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        if let keep = ProcessInfo.processInfo.environment["WOKWEB_KEEP_SCREENSHOTS"] {
            for path in (seen["screenshots"] as? [String: String] ?? [:]).values {
                let target = keep + "/" + (path as NSString).lastPathComponent
                try? FileManager.default.removeItem(atPath: target)
                try? FileManager.default.copyItem(atPath: path, toPath: target)
            }
        }
        return (seen, text, driver.terminationStatus)
    }

    @Test func aFaultShowsItsReasonWhatToDoAndTheTemperature() throws {
        // The thermocouple stays open from 30 s into the cook: a fault latches and stays.
        let station = try Station(speed: 20, daemonExtra: ["--fault", "sensor-open@30"])
        #expect(try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#).status == 200)
        var reason = ""
        #expect(
            try eventually(limitSeconds: 120) {
                let status = try station.status()
                reason = (status["fault"] as? [String: Any])?["reason"] as? String ?? ""
                return status["state"] as? String == "fault" && !reason.isEmpty
            })
        let run = try Self.drive(
            station, ["--prefix", "fault-", "--read", "fault", "--read", "fault-reason", "--read", "fault-temperature", "--read", "do-ack"])
        #expect(run.status == 0, "\(run.output)")
        let read = run.seen["read"] as? [String: [String: Any]] ?? [:]
        #expect(read["fault"]?["shown"] as? Bool == true)
        #expect(read["fault-reason"]?["text"] as? String == reason)
        #expect(read["do-ack"]?["shown"] as? Bool == true, "Acknowledge is offered")
        let temperature = read["fault-temperature"]?["text"] as? String ?? ""
        #expect(temperature.contains("°C") || temperature == "no reading", "\(temperature)")
        let stopped = station.finish()
        #expect(stopped.web == 0)
    }

    @Test func screenshotsAtThreeSizesThenAClickOnNextReachesTheDaemon() throws {
        let station = try Station(speed: 20)
        let start = try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#)
        #expect(start.status == 200, "\(start.body)")
        // The caramel stage waits for the cook: the prompt is up when the page is photographed.
        #expect(
            try eventually(limitSeconds: 120) {
                let status = try station.status()
                return status["state"] as? String == "waiting-for-cook" && (status["stage"] as? [String: Any])?["index"] as? Int == 1
            })
        let run = try Self.drive(station, ["--click", "do-next", "--wait-text", "stage", "Stage 3/6", "--recipes"])
        #expect(run.status == 0, "\(run.output)")
        let seen = run.seen
        let text = run.output
        let live = seen["live"] as? [String: Bool] ?? [:]
        let paths = seen["screenshots"] as? [String: String] ?? [:]
        let sizes = ["phone": (390, 844), "tablet-landscape": (1024, 768), "tablet-portrait": (768, 1024), "tablet-landscape-dark": (1024, 768)]
        for (name, size) in sizes {
            #expect(live[name] == true, "the page at \(name) showed the live station")
            let path = try #require(paths[name])
            let found = try Self.pngSize(path)
            #expect(found.width == size.0 && found.height == size.1, "\(name): \(found)")
        }
        // The click went through the page, wokweb and wokd: the pork stage started, and the page shows it.
        #expect(seen["clicked"] as? Bool == true)
        #expect((seen["texts"] as? [String: Any])?["stage"] as? String == "Stage 3/6: Brown the pork", "\(text)")
        #expect((try station.status()["stage"] as? [String: Any])?["index"] as? Int == 2)
        // The Start view, reached by keyboard, lists the recipes and hides the cook.
        #expect((seen["recipes"] as? [String])?.contains("Vietnamese caramelised pork mince") == true, "\(text)")
        #expect(seen["cook-view-shown"] as? Bool == false)
        let stopped = station.finish()
        #expect(stopped.web == 0)
    }
}
