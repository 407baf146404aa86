public import WokCore
internal import WokWire

/// The bridge's version, in the discovery message's origin and device.
public enum BridgeVersion {
    public static let current = "0.1.0"
    public static let supportURL = "https://example.invalid/wok-station/docs/mqtt.md"
}

/// Home Assistant's device-based discovery: one retained message that describes the station and
/// every entity of it (`dev`, `o`, `cmps`), so the whole device appears, changes and goes at once.
public enum Discovery {
    /// The message for `homeassistant/device/<station>/config`.
    public static func payload(stationID: String, deviceName: String, topics: Topics, policy: RemotePolicy) -> JSONValue {
        func id(_ suffix: String) -> String { "wok_\(stationID)_\(suffix)" }
        func sensor(_ name: String, _ field: String, extra: [(String, JSONValue)] = []) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("p", "sensor"), ("name", .string(name)), ("unique_id", .string(id(field))), ("state_topic", .string(topics.state)),
                ("value_template", .string("{{ value_json.\(field) }}")),
            ]
            members += extra
            return .object(JSONObject(members))
        }
        func button(_ verb: RemoteVerb, _ name: String, icon: String) -> (String, JSONValue) {
            (
                id(verb.rawValue),
                .object([
                    "p": "button", "name": .string(name), "unique_id": .string(id(verb.rawValue)),
                    "command_topic": .string(topics.command(verb)), "payload_press": .string(CommandParser.press), "icon": .string(icon),
                ])
            )
        }
        let temperature: [(String, JSONValue)] = [
            ("device_class", "temperature"), ("unit_of_measurement", "°C"), ("state_class", "measurement"),
        ]
        var components: [(String, JSONValue)] = [
            (id("temperature"), sensor("Wok temperature", "temperature", extra: temperature)),
            (id("target"), sensor("Target temperature", "target", extra: temperature)),
            (id("stage"), sensor("Stage", "stage", extra: [("icon", "mdi:format-list-numbered")])),
            (
                id("time_left"),
                sensor("Stage time left", "time_left", extra: [("device_class", "duration"), ("unit_of_measurement", "s")])
            ),
            (
                id("state"),
                sensor(
                    "State", "state",
                    extra: [
                        ("device_class", "enum"), ("options", .array(CookState.allCases.map { .string($0.rawValue) })),
                        ("json_attributes_topic", .string(topics.state)),
                    ])
            ),
            (id("last_fault"), sensor("Last fault", "last_fault", extra: [("icon", "mdi:alert-circle-outline")])),
            (
                id("burner"),
                .object([
                    "p": "binary_sensor", "name": "Burner", "unique_id": .string(id("burner")), "state_topic": .string(topics.state),
                    "value_template": "{{ value_json.burner }}", "payload_on": "ON", "payload_off": "OFF", "device_class": "heat",
                ])
            ),
        ]
        // A select needs at least one option; a station that offers none has no select.
        if !policy.recipes.isEmpty {
            components.append(
                (
                    id("recipe"),
                    .object([
                        "p": "select", "name": "Recipe", "unique_id": .string(id("recipe")), "command_topic": .string(topics.command(.start)),
                        "options": .array(policy.recipes.map { .string($0) }),
                        // Shown only where the station allows a remote start; Home Assistant
                        // hides it otherwise (a press would only be refused).
                        "enabled_by_default": .bool(policy.start), "icon": "mdi:chef-hat",
                    ])
                ))
        }
        let buttons: [(RemoteVerb, String, String)] = [
            (.next, "Next", "mdi:skip-next"), (.hold, "Hold", "mdi:pause"), (.resume, "Resume", "mdi:play"),
            (.extend, "Extend \(policy.extendSeconds) s", "mdi:timer-plus-outline"), (.abort, "Abort", "mdi:stop"),
        ]
        for (verb, name, icon) in buttons where policy.allows(verb) { components.append(button(verb, name, icon: icon)) }

        return .object([
            "dev": .object([
                "ids": .array([.string("wok_\(stationID)")]), "name": .string(deviceName), "mf": "Wok station project", "mdl": "Wok station",
                "sw": .string(BridgeVersion.current),
            ]),
            "o": .object(["name": "wokmqtt", "sw": .string(BridgeVersion.current), "url": .string(BridgeVersion.supportURL)]),
            "availability_topic": .string(topics.availability),
            "payload_available": "online",
            "payload_not_available": "offline",
            "qos": 1,
            "cmps": .object(JSONObject(components)),
        ])
    }
}
