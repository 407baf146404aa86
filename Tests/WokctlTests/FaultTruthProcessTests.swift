import Foundation
import Testing
import WokCore
import WokDaemon
import WokHistory
import WokSimulator
import WokWire

/// What `wokctl` says during a fault and after it, against the real daemon and a real history.
@Suite(.serialized) struct FaultTruthProcessTests {
    @Test func statusAndWatchShowTheDoubtedReadingThenAnIdleStationWithItsLastFault() throws {
        // The thermocouple comes loose 20 s into the cook and is plugged back 15 s later.
        let daemon = try DaemonProcess(speed: 20, extra: ["--fault", "sensor-open@20+15"])
        let watcher = try daemon.startWokctl(["watch"], output: daemon.directory + "/watch.txt")
        #expect(eventually { !fileText(daemon.directory + "/watch.txt").isEmpty })
        #expect(try daemon.wokctl(["start", "caramelised-pork-mince"]).status == 0)
        try daemon.wait(stationSeconds: 60, "the fault") { $0.state == "fault" }
        // Plugged back: the reading decodes again, while the sensor's fault stays latched.
        let back = try daemon.wait(stationSeconds: 60, "a reading") { $0["reading"] is [String: Any] }
        #expect((back["reading"] as? [String: Any])?["trusted"] as? Bool == false)
        #expect(back["temperatureC"] is NSNull, "control uses nothing while the fault is latched")

        let during = try daemon.wokctl(["status"])
        #expect(during.status == 0)
        #expect(during.out.contains(" °C (sensor not trusted)"), "\(during.out)")
        #expect(during.out.contains("Fault:"))

        let deadline = Date().addingTimeInterval(60 / daemon.speed + 10)
        var acknowledged = false
        while !acknowledged && Date() < deadline {
            acknowledged = try daemon.wokctl(["ack"]).status == 0
            if !acknowledged { usleep(50_000) }
        }
        try #require(acknowledged)
        let after = try daemon.wokctl(["status"])
        #expect(after.out.hasPrefix("wokd: idle"), "\(after.out)")
        #expect(after.out.contains("Last fault: sensor-"), "\(after.out)")
        #expect(!after.out.contains("  Fault:"))
        #expect(!after.out.contains("not trusted"))
        let json = try daemon.status()
        #expect(json.state == "idle")
        #expect((json["lastFault"] as? [String: Any])?["kind"] as? String != nil)

        #expect(
            eventually {
                let seen = fileText(daemon.directory + "/watch.txt")
                return seen.contains("(sensor not trusted)") && seen.contains("\nidle;")
            }, "\(fileText(daemon.directory + "/watch.txt"))")
        watcher.terminate()
        watcher.waitUntilExit()

        #expect(try daemon.wokctl(["start", "reheat"]).status == 0)
        #expect(!(try daemon.wokctl(["status"]).out.contains("Last fault")), "a new cook starts afresh")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon.cleanUp()
    }

    @Test func theHistoryShowsAndPlotsTheWokAfterAFault() throws {
        let directory = NSTemporaryDirectory() + "wok-fault-history-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + HistoryReader.fileName
        // Cook 1: the probe comes loose and back, its readings then doubted; cook 2: a welded
        // relay, the wok believed after the fault.
        try FaultedVirtualCook.cook(into: path, fault: FaultInjection(kind: .sensorOpen, atSeconds: 30, durationSeconds: 10))
        try FaultedVirtualCook.cook(into: path, fault: FaultInjection(kind: .relayWelded, atSeconds: 30))
        let db = ["--db", path]

        let history = try Wokctl.run(["history"] + db)
        #expect(history.status == 0, "\(history.err)")
        let first = try #require(history.out.split(separator: "\n").first { $0.hasPrefix("     1") })
        #expect(first.contains("  0:30  fault: sensor-"), "the duration ends at the fault: \(first)")

        let csv = try Wokctl.run(["export", "1", "--csv"] + db)
        let rows = csv.out.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events
        let doubted = rows.filter { $0.count >= 9 && $0[3].isEmpty && !$0[7].isEmpty && $0[8] == "0" }
        #expect(doubted.count > 20, "the plugged-back readings, not trusted")
        #expect(doubted.allSatisfy { (Double($0[0]) ?? 0) > 30 })

        let show = try Wokctl.run(["show", "1"] + db)
        #expect(show.status == 0, "\(show.err)")
        #expect(show.out.contains("sensor not trusted ⠂ sparse"), "the chart marks the doubted readings")

        let svg1 = directory + "/cook1.svg"
        #expect(try Wokctl.run(["plot", "1", "-o", svg1] + db).status == 0)
        #expect(try PictureCheck.xmlProblem(svg1) == nil)
        #expect(try String(contentsOfFile: svg1, encoding: .utf8).contains("data-label=\"wok, sensor not trusted\""))

        let svg2 = directory + "/cook2.svg"
        #expect(try Wokctl.run(["plot", "2", "-o", svg2] + db).status == 0)
        let text = try String(contentsOfFile: svg2, encoding: .utf8)
        #expect(text.contains("data-label=\"wok after the fault\" d=\"M"), "the curve goes on after the fault")
        #expect(!text.contains("data-label=\"wok, sensor not trusted\""))
    }
}

/// A daemon core in virtual time that cooks into a history until `fault` latches, keeps it
/// latched half a minute, then acknowledges it once its cause has gone.
enum FaultedVirtualCook {
    static func cook(into path: String, fault: FaultInjection) throws {
        let writer = try HistoryWriter(path: path, nowUnixSeconds: 1_750_000_000)
        let core = try DaemonCore(
            station: .standard, devices: try SimulatedDaemonDevices(plant: PlantParameters(), seed: 5, faults: [fault]),
            recipeDirectories: [Wokctl.repositoryRoot.appendingPathComponent("recipes").path], speed: 1, isSimulated: true,
            records: MemoryCookRecordStore(), log: MemoryLog(), nowSeconds: 0, wallClock: { 1_750_000_000 }, journal: writer)
        let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
        _ = core.handle(ControlRequest(id: 1, method: .start, params: ["recipe": "caramelised-pork-mince"]), from: cook)
        var now = 0.0
        func run(seconds: Double) {
            let end = now + seconds
            while now < end {
                now += 0.25
                core.tick(nowSeconds: now)
                core.flushJournal(realSeconds: now)
            }
        }
        while now < 600, core.state != .fault { run(seconds: 0.25) }
        run(seconds: 30)
        var acknowledged = false
        while now < 900, !acknowledged {
            if case .success = core.handle(ControlRequest(id: 2, method: .ack, params: JSONObject()), from: cook) { acknowledged = true }
            run(seconds: 1)
        }
        _ = core.shutdown(reason: "test done")
    }
}
