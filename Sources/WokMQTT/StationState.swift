public import WokCore
public import WokWire

/// The station as the state topic carries it: one retained JSON object, flat so that Home
/// Assistant's templates read each field as `value_json.<name>`. Numbers are rounded to what a
/// person reads (0.1 °C, whole seconds), so noise alone does not make a new message.
public struct StationState: Sendable, Equatable {
    public var state: String
    public var recipe: String?
    public var stage: String?
    public var stageIndex: Int?
    public var timeLeftSeconds: Int?
    /// The reading, only when the sensor is believed; nil shows as unknown, never as a good number.
    public var temperatureC: Double?
    public var targetC: Double?
    public var burnerOn: Bool
    /// The latched fault (`kind: reason`), else nil.
    public var fault: String?
    /// The latched fault, else the one acknowledged last, else `none`.
    public var lastFault: String
    public var prompt: String?

    public init(_ snapshot: StationSnapshot) {
        state = snapshot.state.rawValue
        recipe = snapshot.recipe
        stage = snapshot.stage?.name
        stageIndex = snapshot.stage?.index
        timeLeftSeconds = snapshot.stage?.remainingSeconds.map { Int($0.rounded(.up)) }
        temperatureC = snapshot.shownReading.flatMap { $0.trusted ? ($0.celsius * 10).rounded() / 10 : nil }
        targetC = snapshot.targetC.map { ($0 * 10).rounded() / 10 }
        burnerOn = snapshot.burnerOn
        fault = snapshot.fault.map { Self.text(of: $0) }
        lastFault = (snapshot.fault ?? snapshot.lastFault).map { Self.text(of: $0) } ?? "none"
        prompt = snapshot.prompt.map { Self.cut($0) }
    }

    /// Whether the cook is under way: readings are then published more often.
    public var isCooking: Bool { !["idle", "done", "fault"].contains(state) }

    /// The same state with the quantities that drift all the time set aside: what must be
    /// published at once when it changes.
    public var discretePart: StationState {
        var copy = self
        copy.temperatureC = nil
        copy.timeLeftSeconds = nil
        return copy
    }

    public var json: JSONValue {
        .object([
            "state": .string(state),
            "recipe": recipe.map(JSONValue.string) ?? .null,
            "stage": stage.map(JSONValue.string) ?? .null,
            "stage_index": stageIndex.map { .number(Double($0)) } ?? .null,
            "time_left": timeLeftSeconds.map { .number(Double($0)) } ?? .null,
            "temperature": temperatureC.map(JSONValue.number) ?? .null,
            "target": targetC.map(JSONValue.number) ?? .null,
            "burner": .string(burnerOn ? "ON" : "OFF"),
            "fault": fault.map(JSONValue.string) ?? .null,
            "last_fault": .string(lastFault),
            "prompt": prompt.map(JSONValue.string) ?? .null,
        ])
    }

    /// Home Assistant keeps a sensor's state to 255 characters.
    static func cut(_ text: String) -> String { text.count <= 255 ? text : String(text.prefix(252)) + "..." }

    static func text(of fault: StationSnapshot.Fault) -> String { cut("\(fault.kind): \(fault.reason)") }
}

/// When to publish the state: at once when something a person acts on changes (the state, the
/// stage, the burner, a fault, a prompt), and at most once a period when only the reading or the
/// clock moved. Time is passed in.
public struct StateThrottle: Sendable {
    public var cookingPeriodSeconds: Double
    public var idlePeriodSeconds: Double
    public private(set) var lastPublished: StationState?
    private var lastPublishedAt = -Double.infinity

    public init(cookingPeriodSeconds: Double, idlePeriodSeconds: Double) {
        self.cookingPeriodSeconds = cookingPeriodSeconds
        self.idlePeriodSeconds = idlePeriodSeconds
    }

    /// Whether `state` should go out now; when it should, it is recorded as published.
    public mutating func shouldPublish(_ state: StationState, now: Double, force: Bool = false) -> Bool {
        let due: Bool
        if force || lastPublished == nil {
            due = true
        } else if state == lastPublished {
            due = false
        } else if state.discretePart != lastPublished?.discretePart {
            due = true
        } else {
            due = now - lastPublishedAt >= (state.isCooking ? cookingPeriodSeconds : idlePeriodSeconds)
        }
        if due {
            lastPublished = state
            lastPublishedAt = now
        }
        return due
    }

    /// After a reconnect nothing is known to be on the broker.
    public mutating func forget() {
        lastPublished = nil
        lastPublishedAt = -Double.infinity
    }
}
