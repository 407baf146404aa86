import Testing
import WokMQTT
import WokNotify

@Suite struct ConfigTests {
    @Test func aFullFileReadsBack() throws {
        let config = try BridgeConfig.parse(
            """
            {"schema": 1, "station": "kitchen-1", "name": "Kitchen", "socket": "/run/wokd/control.sock",
             "mqtt": {"host": "broker.lan", "port": 8883, "usernameFile": "mqtt-username", "passwordFile": "mqtt-password",
                      "tls": {"caFile": "mqtt-ca.pem"}, "cookingPeriodSeconds": 0.5},
             "remote": {"start": true, "next": false, "extendSeconds": 120, "recipes": ["reheat"]},
             "notify": {"command": ["apprise", "-b", "x"], "timeoutSeconds": 10, "maxRunning": 3, "perMinute": 4, "events": ["fault", "alarm"]}}
            """, source: "test")
        #expect(config.stationID == "kitchen-1")
        #expect(config.deviceName == "Kitchen")
        #expect(config.mqtt?.host == "broker.lan")
        #expect(config.mqtt?.port == 8883)
        #expect(config.mqtt?.tls == TLSFiles(caFile: "mqtt-ca.pem"))
        #expect(config.mqtt?.cookingPeriodSeconds == 0.5)
        #expect(config.remote.start && !config.remote.next && config.remote.resume)
        #expect(config.remote.extendSeconds == 120)
        #expect(config.remote.recipes == ["reheat"])
        #expect(config.notify?.command == ["apprise", "-b", "x"])
        #expect(config.notify?.kinds == [.fault, .alarm])
        #expect(config.notify?.maxRunning == 3)
    }

    @Test func defaultsKeepStartOffAndTheRestOn() throws {
        let config = try BridgeConfig.parse(#"{"station": "w", "mqtt": {}}"#, source: "test")
        #expect(config.mqtt == MQTTSettings())
        #expect(config.remote == RemotePolicy())
        #expect(!config.remote.start)
        #expect(config.notify == nil)
    }

    @Test func mistakesAreRefusedWithTheKeyNamed() {
        let cases: [(String, String)] = [
            (#"{"mqtt": {}}"#, "station is required"),
            (#"{"station": "Kitchen Wok"}"#, "station must be"),
            (#"{"station": "w", "mqt": {}}"#, "unknown key mqt"),
            (#"{"station": "w", "mqtt": {"port": 0}}"#, "mqtt.port"),
            (#"{"station": "w", "mqtt": {"topicPrefix": "wok/#"}}"#, "mqtt.topicPrefix"),
            (#"{"station": "w", "remote": {"abort": false}}"#, "remote.abort is always allowed"),
            (#"{"station": "w", "remote": {"hold": false}}"#, "remote.hold is always allowed"),
            (#"{"station": "w", "remote": {"recipes": ["../x"]}}"#, "not a recipe file name"),
            (#"{"station": "w", "notify": {"command": "curl x"}}"#, "notify.command must be a list"),
            (#"{"station": "w", "notify": {"command": []}}"#, "notify.command is required"),
            (#"{"station": "w", "notify": {"command": ["x"], "timeoutSeconds": 0}}"#, "notify.timeoutSeconds"),
            (#"{"station": "w", "notify": {"command": ["x"], "events": ["cook-started"]}}"#, "is not one of"),
            (#"{"station": "w", "mqtt": {"tls": {"caFile": "ca", "certFile": "c"}}}"#, "keyFile go together"),
            ("not json", "not JSON"),
        ]
        for (text, expected) in cases {
            do {
                _ = try BridgeConfig.parse(text, source: "test")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains(expected), "\(text): \(error)")
            }
        }
    }

    @Test func aShellCommandIsOneString() throws {
        let config = try BridgeConfig.parse(
            #"{"station": "w", "notify": {"shell": true, "command": "curl -d \"$WOK_MESSAGE\" ntfy.sh/x"}}"#, source: "t")
        #expect(config.notify?.shell == true)
        #expect(config.notify?.command == [#"curl -d "$WOK_MESSAGE" ntfy.sh/x"#])
    }
}

@Suite struct ShippedConfigTests {
    @Test func theExampleConfigInTheRepositoryLoads() throws {
        let config = try BridgeConfig.load(path: Built.repositoryRoot.appendingPathComponent("config/mqtt.json").path)
        #expect(config.stationID == "kitchen")
        #expect(config.mqtt?.tls != nil)
        #expect(!config.remote.start)
        #expect(config.notify?.shell == true)
    }
}
