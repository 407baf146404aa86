public import WokCore

/// One cook event as subscribers receive it (`{"v":1,"event":{...}}`).
public struct WireEvent: Sendable, Equatable {
    /// The event's kind (`stage-started`, `fault`, `prompt`, ...), stable for scripts.
    public var name: String
    /// The event in words.
    public var message: String
    /// Station seconds.
    public var timeSeconds: Double
    public var stageIndex: Int?
    /// For a latched fault: its kind and reason.
    public var faultKind: String?
    public var faultReason: String?
    /// For a prompt: the text the cook should read.
    public var prompt: String?

    public init(
        name: String, message: String, timeSeconds: Double, stageIndex: Int? = nil, faultKind: String? = nil,
        faultReason: String? = nil, prompt: String? = nil
    ) {
        self.name = name
        self.message = message
        self.timeSeconds = timeSeconds
        self.stageIndex = stageIndex
        self.faultKind = faultKind
        self.faultReason = faultReason
        self.prompt = prompt
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("message", .string(message)), ("timeSeconds", .number(timeSeconds))]
        if let stageIndex { members.append(("stageIndex", .number(Double(stageIndex)))) }
        if let faultKind { members.append(("fault", .object(["kind": .string(faultKind), "reason": optional(faultReason)]))) }
        if let prompt { members.append(("prompt", .string(prompt))) }
        return .object(JSONObject(members))
    }

    public init(json: JSONValue) throws(WireDecodingError) {
        let reader = try WireReader(json, path: "event")
        name = try reader.string("name")
        message = try reader.string("message")
        timeSeconds = try reader.number("timeSeconds")
        stageIndex = try reader.optionalInteger("stageIndex")
        if let fault = try reader.optionalObject("fault") {
            faultKind = try fault.string("kind")
            faultReason = try fault.optionalString("reason")
        }
        prompt = try reader.optionalString("prompt")
    }
}

/// One point of the recent-temperature record a new subscriber receives.
public struct TemperaturePoint: Sendable, Equatable {
    public var timeSeconds: Double
    /// The reading as people are shown it (during a fault too); nil when none decoded.
    public var temperatureC: Double?
    public var targetC: Double?
    public var burnerOn: Bool
    /// False when the reading is shown but the sensor is not believed (its own fault is latched).
    public var trusted: Bool

    public init(timeSeconds: Double, temperatureC: Double?, targetC: Double?, burnerOn: Bool, trusted: Bool = true) {
        self.timeSeconds = timeSeconds
        self.temperatureC = temperatureC
        self.targetC = targetC
        self.burnerOn = burnerOn
        self.trusted = trusted
    }

    /// `[time, temperature|null, target|null, burnerOn]`, compact as there may be hundreds; a
    /// reading not trusted adds a fifth element, `false`.
    public var json: JSONValue {
        var fields: [JSONValue] = [.number(timeSeconds), optional(temperatureC), optional(targetC), .bool(burnerOn)]
        if !trusted { fields.append(.bool(false)) }
        return .array(fields)
    }

    public init(json: JSONValue, path: String) throws(WireDecodingError) {
        guard let fields = json.arrayValue, fields.count == 4 || fields.count == 5, let time = fields[0].numberValue,
            let burner = fields[3].boolValue
        else {
            throw WireDecodingError(path, "expected [time, temperature, target, burnerOn] or [time, temperature, target, burnerOn, trusted]")
        }
        timeSeconds = time
        temperatureC = fields[1].numberValue
        targetC = fields[2].numberValue
        burnerOn = burner
        guard fields.count == 5 else {
            trusted = true
            return
        }
        guard let trusted = fields[4].boolValue else { throw WireDecodingError(path + "[4]", "expected true or false") }
        self.trusted = trusted
    }
}

/// The answer to `subscribe`: the snapshot now and the last minutes of temperature, so a watcher
/// that joins mid-cook draws its chart at once.
public struct Subscription: Sendable, Equatable {
    public var snapshot: StationSnapshot
    public var history: [TemperaturePoint]

    public init(snapshot: StationSnapshot, history: [TemperaturePoint]) {
        self.snapshot = snapshot
        self.history = history
    }

    /// The snapshot's members plus `history`.
    public var json: JSONValue {
        var object = snapshot.jsonObject
        object.members.append(("history", .array(history.map(\.json))))
        return .object(object)
    }

    public init(json: JSONValue) throws(WireDecodingError) {
        snapshot = try StationSnapshot(json: json)
        var points: [TemperaturePoint] = []
        for (index, value) in (json.objectValue?["history"]?.arrayValue ?? []).enumerated() {
            points.append(try TemperaturePoint(json: value, path: "snapshot.history[\(index)]"))
        }
        history = points
    }
}
