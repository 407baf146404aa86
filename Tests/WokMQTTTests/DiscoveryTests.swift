import Testing
import WokCore
import WokMQTT

/// The discovery message, checked key by key against Home Assistant's documented device-based
/// schema: `dev` (ids, name, mf, mdl, sw), `o` (name, sw, url; required for device discovery),
/// `cmps` (each with `p` and a `unique_id`), shared availability and qos.
@Suite struct DiscoveryTests {
    let topics = Topics(stationID: "kitchen", topicPrefix: "wok", discoveryPrefix: "homeassistant")

    func payload(_ policy: RemotePolicy = RemotePolicy()) -> JSONObject {
        Discovery.payload(stationID: "kitchen", deviceName: "Kitchen wok", topics: topics, policy: policy).objectValue ?? JSONObject()
    }

    func component(_ object: JSONObject, _ key: String) -> JSONObject? {
        object["cmps"]?.objectValue?["wok_kitchen_\(key)"]?.objectValue
    }

    @Test func theTopicsAreTheStationsOwn() {
        #expect(topics.discovery == "homeassistant/device/kitchen/config")
        #expect(topics.state == "wok/kitchen/state")
        #expect(topics.availability == "wok/kitchen/availability")
        #expect(topics.result == "wok/kitchen/result")
        #expect(topics.command(.hold) == "wok/kitchen/command/hold")
        #expect(topics.commandFilter == "wok/kitchen/command/+")
        #expect(topics.homeAssistantStatus == "homeassistant/status")
        #expect(topics.verbName(ofCommandTopic: "wok/kitchen/command/next") == "next")
        #expect(topics.verbName(ofCommandTopic: "wok/other/command/next") == nil)
    }

    @Test func theDeviceAndOriginBlocksCarryWhatHomeAssistantRequires() {
        let object = payload()
        #expect(Set(object.keys) == ["dev", "o", "availability_topic", "payload_available", "payload_not_available", "qos", "cmps"])
        let device = object["dev"]?.objectValue
        #expect(device?["ids"] == .array(["wok_kitchen"]))
        #expect(device?["name"] == "Kitchen wok")
        #expect(device?["mf"]?.stringValue?.isEmpty == false)
        #expect(device?["mdl"] == "Wok station")
        #expect(device?["sw"] == .string(BridgeVersion.current))
        let origin = object["o"]?.objectValue
        #expect(Set(origin?.keys ?? []) == ["name", "sw", "url"])
        #expect(origin?["name"] == "wokmqtt")
        #expect(origin?["sw"] == .string(BridgeVersion.current))
        #expect(origin?["url"]?.stringValue?.hasPrefix("https://") == true)
        #expect(object["availability_topic"] == "wok/kitchen/availability")
        #expect(object["payload_available"] == "online")
        #expect(object["payload_not_available"] == "offline")
        #expect(object["qos"] == 1)
    }

    @Test func everyComponentHasAPlatformAUniqueIDAndItsOwnTopics() {
        let components = payload()["cmps"]?.objectValue ?? JSONObject()
        // Default policy: start off and no recipes offered, so no select.
        #expect(
            Set(components.keys)
                == Set(
                    ["temperature", "target", "stage", "time_left", "state", "last_fault", "burner", "next", "hold", "resume", "extend", "abort"].map
                    {
                        "wok_kitchen_\($0)"
                    }))
        var uniqueIDs = Set<String>()
        for (key, value) in components.members {
            let component = value.objectValue
            #expect(["sensor", "binary_sensor", "button", "select"].contains(component?["p"]?.stringValue ?? ""), "\(key)")
            #expect(component?["unique_id"]?.stringValue == key)
            #expect(component?["name"]?.stringValue?.isEmpty == false)
            uniqueIDs.insert(component?["unique_id"]?.stringValue ?? "")
            let hasState = component?["state_topic"] != nil
            let hasCommand = component?["command_topic"] != nil
            #expect(hasState != hasCommand, "\(key): a sensor reads, a button or select writes")
            if hasState {
                #expect(component?["state_topic"] == "wok/kitchen/state")
                #expect(component?["value_template"]?.stringValue?.hasPrefix("{{ value_json.") == true)
            }
        }
        #expect(uniqueIDs.count == components.count)
    }

    @Test func theTemperatureSensorsAreInDegreesCelsius() {
        let object = payload()
        for key in ["temperature", "target"] {
            let sensor = component(object, key)
            #expect(sensor?["p"] == "sensor")
            #expect(sensor?["device_class"] == "temperature")
            #expect(sensor?["unit_of_measurement"] == "°C")
            #expect(sensor?["state_class"] == "measurement")
            #expect(sensor?["value_template"] == .string("{{ value_json.\(key) }}"))
        }
        let timeLeft = component(object, "time_left")
        #expect(timeLeft?["device_class"] == "duration")
        #expect(timeLeft?["unit_of_measurement"] == "s")
        #expect(timeLeft?["value_template"] == "{{ value_json.time_left }}")
        #expect(component(object, "stage")?["value_template"] == "{{ value_json.stage }}")
        #expect(component(object, "last_fault")?["value_template"] == "{{ value_json.last_fault }}")
        let state = component(object, "state")
        #expect(state?["device_class"] == "enum")
        #expect(state?["options"] == .array(CookState.allCases.map { .string($0.rawValue) }))
        #expect(state?["json_attributes_topic"] == "wok/kitchen/state")
    }

    @Test func theBurnerIsABinarySensorForHeat() {
        let burner = component(payload(), "burner")
        #expect(burner?["p"] == "binary_sensor")
        #expect(burner?["device_class"] == "heat")
        #expect(burner?["payload_on"] == "ON")
        #expect(burner?["payload_off"] == "OFF")
        #expect(burner?["value_template"] == "{{ value_json.burner }}")
    }

    @Test func buttonsPressOnTheirOwnCommandTopics() {
        let object = payload()
        for verb in ["next", "hold", "resume", "extend", "abort"] {
            let button = component(object, verb)
            #expect(button?["p"] == "button")
            #expect(button?["command_topic"] == .string("wok/kitchen/command/\(verb)"))
            #expect(button?["payload_press"] == "PRESS")
        }
    }

    @Test func buttonsTheStationForbidsAreNotOffered() {
        var policy = RemotePolicy()
        policy.next = false
        policy.extend = false
        let object = payload(policy)
        #expect(component(object, "next") == nil)
        #expect(component(object, "extend") == nil)
        #expect(component(object, "hold") != nil)
        #expect(component(object, "abort") != nil)
    }

    @Test func theRecipeSelectListsTheOfferedRecipesAndIsHiddenWhileStartIsOff() {
        var policy = RemotePolicy()
        policy.recipes = ["reheat", "egg-fried-rice"]
        var select = component(payload(policy), "recipe")
        #expect(select?["p"] == "select")
        #expect(select?["command_topic"] == "wok/kitchen/command/start")
        #expect(select?["options"] == .array(["reheat", "egg-fried-rice"]))
        #expect(select?["enabled_by_default"] == false)
        policy.start = true
        select = component(payload(policy), "recipe")
        #expect(select?["enabled_by_default"] == true)
    }

    @Test func theMessageIsValidJSONThatReadsBack() throws {
        let text = Discovery.payload(stationID: "kitchen", deviceName: "Kitchen \"wok\"", topics: topics, policy: RemotePolicy()).serialized()
        let back = try JSONParser.parse(text)
        #expect(back.objectValue?["dev"]?.objectValue?["name"] == "Kitchen \"wok\"")
    }
}
