import Foundation
import Testing

/// The built `wokmqtt` between a real mosquitto on loopback and a real `wokd --simulate`, driven as
/// Home Assistant and a cook would. Waits are generous polls on conditions; nothing asserts speed.
@Suite(.serialized) struct BridgeProcessTests {
    final class Station {
        let directory = temporaryDirectory()
        let broker: Broker
        let wokd: Wokd
        var bridge: Process?
        let envFile: String

        init(speed: Double, secured: Bool = false) throws {
            broker = try Broker(directory: directory, secured: secured)
            wokd = try Wokd(directory: directory, speed: speed)
            envFile = directory + "/notified.txt"
        }

        var bridgeLog: String { fileText(directory + "/wokmqtt.log") }

        var secondBridge: Process?
        var secondBridgeLog: String { fileText(directory + "/wokmqtt-2.log") }

        /// Another bridge with the very same config: the same station id, as on a copied SD card.
        func startSecondBridge() throws {
            secondBridge = try launch(
                Built.product("wokmqtt"), ["--config", directory + "/mqtt.json", "--socket", wokd.socket], log: directory + "/wokmqtt-2.log")
        }

        func startBridge(notifyTimeoutSeconds: Double = 2) throws {
            // Records its environment, then outstays its timeout: it must be killed and change nothing.
            let script = directory + "/notify.sh"
            try "#!/bin/sh\nenv | grep '^WOK_' | sort >> \"$1\"\necho --- >> \"$1\"\nexec sleep 600\n".write(
                toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            // Credentials from files, as systemd's LoadCredential would give them (here by path).
            var login = ""
            if broker.secured {
                try "test\n".write(toFile: directory + "/mqtt-username", atomically: true, encoding: .utf8)
                try "\(Broker.passwords["test"] ?? "")\n".write(toFile: directory + "/mqtt-password", atomically: true, encoding: .utf8)
                login = ", \"usernameFile\": \"\(directory)/mqtt-username\", \"passwordFile\": \"\(directory)/mqtt-password\""
            }
            let config = """
                {"schema": 1, "station": "test", "name": "Test wok",
                 "mqtt": {"host": "127.0.0.1", "port": \(broker.port), "maxBackoffSeconds": 2, "cookingPeriodSeconds": 0.5\(login)},
                 "remote": {"recipes": ["reheat", "caramelised-pork-mince"]},
                 "notify": {"command": ["\(script)", "\(envFile)"], "timeoutSeconds": \(notifyTimeoutSeconds), "maxRunning": 2, "perMinute": 30}}
                """
            try config.write(toFile: directory + "/mqtt.json", atomically: true, encoding: .utf8)
            bridge = try launch(
                Built.product("wokmqtt"), ["--config", directory + "/mqtt.json", "--socket", wokd.socket], log: directory + "/wokmqtt.log")
        }

        deinit {
            if let bridge { stop(bridge, signal: SIGKILL) }
            if let secondBridge { stop(secondBridge, signal: SIGKILL) }
        }

        func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static let state = "wok/test/state"
    static let availability = "wok/test/availability"
    static let result = "wok/test/result"
    static let discovery = "homeassistant/device/test/config"

    func results(_ subscriber: Subscriber, _ command: String) -> [[String: Any]] {
        subscriber.objects(Self.result).filter { $0["command"] as? String == command }
    }

    @Test func aCookTravelsThroughTheBrokerAndButtonsReachWokd() throws {
        let station = try Station(speed: 20)
        let watcher = try Subscriber(broker: station.broker, topics: ["wok/test/#", "homeassistant/#"], name: "watcher")
        try station.startBridge()
        let log = { "bridge log:\n\(station.bridgeLog)" }

        // Discovery, then online.
        #expect(eventually { watcher.payloads(Self.availability).last == "online" }, "\(log())")
        let discovery = watcher.objects(Self.discovery).last
        #expect((discovery?["cmps"] as? [String: Any])?.count == 13, "\(String(describing: discovery))")
        #expect((discovery?["dev"] as? [String: Any])?["name"] as? String == "Test wok")
        #expect(eventually { watcher.objects(Self.state).last?["state"] as? String == "idle" })

        // Home Assistant restarts: the device is announced again.
        let announced = watcher.payloads(Self.discovery).count
        try station.broker.publish("homeassistant/status", "online")
        #expect(eventually { watcher.payloads(Self.discovery).count > announced })

        // A remote start is the station's choice, and this one has not made it.
        try station.broker.publish("wok/test/command/start", "reheat")
        #expect(eventually { results(watcher, "start").first?["reason"] as? String == "not-allowed" })
        #expect(results(watcher, "start").first?["accepted"] as? Bool == false)
        // Nonsense gets a clear refusal and breaks nothing.
        try station.broker.publish("wok/test/command/hold", "{\"please\": true}")
        try station.broker.publish("wok/test/command/ignite", "PRESS")
        #expect(eventually { results(watcher, "hold").first?["reason"] as? String == "invalid" })
        #expect(eventually { (results(watcher, "ignite").first?["message"] as? String)?.contains("unknown command") == true })
        #expect(try station.wokd.status()["state"] as? String == "idle")

        // A cook started at the station shows on the broker.
        let start = try station.wokd.wokctl(["start", "caramelised-pork-mince"])
        #expect(start.status == 0, "\(start.err)")
        #expect(
            eventually {
                watcher.objects(Self.state).contains {
                    $0["recipe"] as? String != nil && ["preheating", "cooking"].contains($0["state"] as? String ?? "") && $0["temperature"] is Double
                }
            }, "\(log())")

        // Next, pressed in Home Assistant, reaches wokd and is echoed.
        try station.wokd.wait("the caramel to wait for the cook") { $0["state"] as? String == "waiting-for-cook" }
        try station.broker.publish("wok/test/command/next", "PRESS")
        #expect(eventually { results(watcher, "next").first?["accepted"] as? Bool == true }, "\(log())")
        try station.wokd.wait("the pork stage") { (($0["stage"] as? [String: Any])?["index"] as? Int ?? 0) >= 2 }
        // Hold: accepted, echoed as the state at once, and true at wokd.
        try station.broker.publish("wok/test/command/hold", "PRESS")
        #expect(eventually { results(watcher, "hold").contains { $0["accepted"] as? Bool == true } }, "\(log())")
        #expect(eventually { watcher.objects(Self.state).contains { $0["state"] as? String == "holding" } })
        #expect(try station.wokd.status()["state"] as? String == "holding")

        // The broker dies mid-cook: the cook carries on as if nothing happened.
        station.broker.kill()
        #expect(try station.wokd.wokctl(["resume"]).status == 0)
        let aromatics = try station.wokd.wait("the aromatics stage, broker down") { (($0["stage"] as? [String: Any])?["index"] as? Int ?? 0) >= 3 }
        #expect(aromatics["fault"] is NSNull)
        #expect(station.bridge?.isRunning == true, "\(log())")

        // It comes back, and so does the bridge, with everything published afresh.
        try station.broker.start()
        let second = try Subscriber(broker: station.broker, topics: ["wok/test/#"], name: "second")
        #expect(eventually { second.payloads(Self.availability).last == "online" }, "\(log())")
        #expect(eventually { second.objects(Self.state).contains { ($0["stage_index"] as? Int ?? 0) >= 3 } }, "\(log())")

        // The cook finishes, burner off, whatever the broker and the notifications did.
        let done = try station.wokd.wait("the cook to finish") { $0["state"] as? String == "done" }
        #expect(done["burner"] as? String == "off")
        #expect(eventually { second.objects(Self.state).last?["state"] as? String == "done" })

        // The prompt reached the notification command, with the station in its environment; the
        // command outstayed its timeout and was killed.
        let notified = fileText(station.envFile)
        // The first record: the cook's first prompt.
        let first = notified.components(separatedBy: "---\n").first ?? ""
        var environment: [String: String] = [:]
        for line in first.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
        #expect(environment["WOK_EVENT"] == "prompt", "\(notified)")
        #expect(environment["WOK_STATION"] == done["station"] as? String)
        #expect(environment["WOK_RECIPE"] == done["recipe"] as? String)
        #expect(environment["WOK_STAGE"]?.isEmpty == false)
        #expect(environment["WOK_MESSAGE"]?.isEmpty == false)
        #expect(environment["WOK_TEMPERATURE_C"].flatMap(Double.init) != nil, "\(notified)")
        #expect(eventually { station.bridgeLog.contains("was killed") }, "\(log())")

        // Killed outright, the bridge is declared offline by the broker (its last will).
        if let bridge = station.bridge { stop(bridge, signal: SIGKILL) }
        #expect(eventually { second.payloads(Self.availability).last == "offline" })
        #expect(try station.wokd.status()["state"] as? String == "done")
        station.cleanUp()
    }

    @Test func aBridgeStoppedPoliteSaysOfflineItselfAndABrokerLateAtBootIsWaitedFor() throws {
        let station = try Station(speed: 10)
        station.broker.kill()
        try station.startBridge()
        // No broker yet: the bridge waits and retries; it does not exit.
        #expect(eventually(limitSeconds: 10) { station.bridgeLog.contains("cannot connect") })
        #expect(station.bridge?.isRunning == true)
        try station.broker.start()
        let watcher = try Subscriber(broker: station.broker, topics: ["wok/test/#"], name: "watcher")
        #expect(eventually { watcher.payloads(Self.availability).last == "online" }, "\(station.bridgeLog)")
        if let bridge = station.bridge { stop(bridge, signal: SIGTERM) }
        #expect(station.bridge?.terminationStatus == 0)
        #expect(eventually { watcher.payloads(Self.availability).last == "offline" })
        station.cleanUp()
    }

    @Test func withTheShippedACLAStationLogsInFromFilesAndWritesOnlyItsOwnTopics() throws {
        let station = try Station(speed: 10, secured: true)
        let homeAssistant = try Subscriber(broker: station.broker, topics: ["wok/#", "homeassistant/device/#"], name: "ha")
        try station.startBridge()
        // The bridge logged in with its credential files, announced itself and is online.
        #expect(eventually { homeAssistant.payloads(Self.availability).last == "online" }, "\(station.bridgeLog)")
        #expect(eventually { !homeAssistant.objects(Self.discovery).isEmpty })
        // Home Assistant's button reaches the bridge and wokd (which refuses a hold when idle).
        try station.broker.publish("wok/test/command/hold", "PRESS")
        #expect(eventually { results(homeAssistant, "hold").first?["reason"] as? String == "refused" }, "\(station.bridgeLog)")

        // The station's own login cannot forge another station's state or discovery, nor press buttons.
        try station.broker.publish("wok/other/state", "{\"state\":\"forged\"}", as: "test")
        try station.broker.publish("wok/other/command/abort", "PRESS", as: "test")
        try station.broker.publish("wok/test/command/abort", "PRESS", as: "test")
        try station.broker.publish("homeassistant/device/other/config", "{}", as: "test")
        // A message it may send, published last, shows the ones before it had their chance.
        try station.broker.publish("wok/test/result", "marker", as: "test")
        #expect(eventually { homeAssistant.payloads(Self.result).contains("marker") })
        #expect(homeAssistant.payloads("wok/other/state").isEmpty)
        #expect(homeAssistant.payloads("wok/other/command/abort").isEmpty)
        #expect(homeAssistant.payloads("wok/test/command/abort").isEmpty)
        #expect(homeAssistant.payloads("homeassistant/device/other/config").isEmpty)
        // The other station may write its own.
        try station.broker.publish("wok/other/state", "{}", as: "other")
        #expect(eventually { homeAssistant.payloads("wok/other/state") == ["{}"] })
        station.cleanUp()
    }

    @Test func twoBridgesOfOneStationKeepTheirSessionsAndWarnOfEachOther() throws {
        let station = try Station(speed: 10)
        let watcher = try Subscriber(broker: station.broker, topics: ["wok/test/#"], name: "watcher")
        try station.startBridge()
        #expect(eventually { watcher.payloads(Self.availability).last == "online" }, "\(station.bridgeLog)")
        try station.startSecondBridge()
        let warning = "another wokmqtt for station \"test\" is connected"
        #expect(eventually { station.bridgeLog.contains(warning) }, "the first bridge hears of the second: \(station.bridgeLog)")
        #expect(eventually { station.secondBridgeLog.contains(warning) }, "and the second of the first: \(station.secondBridgeLog)")

        // Each has its own client id, so the broker threw neither out.
        let instances = [station.bridgeLog, station.secondBridgeLog].map { log in
            log.range(of: "this bridge is instance ").map { String(log[$0.upperBound...].prefix { $0 != " " }) } ?? ""
        }
        #expect(instances[0].hasPrefix("test-") && instances[1].hasPrefix("test-") && instances[0] != instances[1], "\(instances)")
        #expect(station.bridgeLog.contains(instances[1]) && station.secondBridgeLog.contains(instances[0]))
        // A command still reaches wokd (both bridges pass it on: the reason for the warning).
        try station.broker.publish("wok/test/command/hold", "PRESS")
        #expect(eventually { results(watcher, "hold").count == 2 }, "\(watcher.lines.suffix(5))")
        let mosquittoLog = fileText(station.directory + "/mosquitto.log")
        #expect(!mosquittoLog.contains("already connected"), "\(mosquittoLog)")
        #expect(station.bridgeLog.components(separatedBy: "mqtt: connected to").count == 2, "one connect each: \(station.bridgeLog)")
        #expect(station.secondBridgeLog.components(separatedBy: "mqtt: connected to").count == 2, "\(station.secondBridgeLog)")
        // The stored claim names the newer bridge.
        let claims = watcher.objects("wok/test/bridge").compactMap { $0["instance"] as? String }
        #expect(claims.contains(instances[0]) && claims.contains(instances[1]))
        #expect(station.bridge?.isRunning == true && station.secondBridge?.isRunning == true)
        station.cleanUp()
    }
}
