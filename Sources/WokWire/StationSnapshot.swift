public import WokCore

/// Everything a client sees of the station at one moment: the result of `status`, of every
/// command, and the `snapshot` lines pushed to subscribers (docs/protocol.md lists each member).
/// The daemon builds one; clients decode one; one JSON mapping serves both.
public struct StationSnapshot: Sendable, Equatable {
    public struct StageProgress: Sendable, Equatable {
        public var index: Int
        public var name: String
        public var elapsedSeconds: Double
        /// Least time the stage has left; nil while it waits on a target or a person.
        public var remainingSeconds: Double?
        /// For a `confirm` stage not yet confirmed: how long until the heat drops to the safe hold.
        public var untilSafeHoldSeconds: Double?
        /// Extra time people gave the stage (`extend`).
        public var extraSeconds: Double

        public init(
            index: Int, name: String, elapsedSeconds: Double, remainingSeconds: Double?, untilSafeHoldSeconds: Double? = nil,
            extraSeconds: Double = 0
        ) {
            self.index = index
            self.name = name
            self.elapsedSeconds = elapsedSeconds
            self.remainingSeconds = remainingSeconds
            self.untilSafeHoldSeconds = untilSafeHoldSeconds
            self.extraSeconds = extraSeconds
        }
    }

    public struct PlannedStage: Sendable, Equatable {
        public var name: String
        /// Nil for a stage with the burner off.
        public var targetC: Double?

        public init(name: String, targetC: Double?) {
            self.name = name
            self.targetC = targetC
        }
    }

    public struct Fault: Sendable, Equatable {
        public var kind: String
        public var reason: String
        public var detectedAtSeconds: Double

        public init(kind: String, reason: String, detectedAtSeconds: Double) {
            self.kind = kind
            self.reason = reason
            self.detectedAtSeconds = detectedAtSeconds
        }

        var json: JSONValue {
            .object(["kind": .string(kind), "reason": .string(reason), "detectedAtSeconds": .number(detectedAtSeconds)])
        }

        init(_ object: WireReader) throws(WireDecodingError) {
            self.init(kind: try object.string("kind"), reason: try object.string("reason"), detectedAtSeconds: try object.number("detectedAtSeconds"))
        }
    }

    /// A cook the daemon found interrupted at start-up, offered for `resume`.
    public struct InterruptedCook: Sendable, Equatable {
        public var recipe: String
        public var stageIndex: Int
        public var stageName: String
        public var atUnixSeconds: Double
        public var resumableForSeconds: Double

        public init(recipe: String, stageIndex: Int, stageName: String, atUnixSeconds: Double, resumableForSeconds: Double) {
            self.recipe = recipe
            self.stageIndex = stageIndex
            self.stageName = stageName
            self.atUnixSeconds = atUnixSeconds
            self.resumableForSeconds = resumableForSeconds
        }
    }

    /// How punctual the control loop has been.
    public struct LoopFigures: Sendable, Equatable {
        public var ticks: Int
        public var missedDeadlines: Int
        public var latenessP50Ms: Double?
        public var latenessP99Ms: Double?
        public var latenessMaxMs: Double?

        public init(ticks: Int, missedDeadlines: Int, latenessP50Ms: Double?, latenessP99Ms: Double?, latenessMaxMs: Double?) {
            self.ticks = ticks
            self.missedDeadlines = missedDeadlines
            self.latenessP50Ms = latenessP50Ms
            self.latenessP99Ms = latenessP99Ms
            self.latenessMaxMs = latenessMaxMs
        }
    }

    public var state: CookState
    public var recipe: String?
    public var stage: StageProgress?
    public var stages: [PlannedStage]
    public var targetC: Double?
    /// The latest reading control used: nil while a fault is latched or the sensor is unreadable.
    public var temperatureC: Double?
    /// The latest reading as people are shown it, a fault latched or not, and whether the sensor
    /// is believed; nil when none decoded (`reading` on the wire).
    public var shownReading: ShownReading?
    public var burnerOn: Bool
    public var duty: Double
    public var fault: Fault?
    /// The fault acknowledged last, until the next cook starts.
    public var lastFault: Fault?
    /// What the cook must do now, in words.
    public var prompt: String?
    /// The food still to go into the wok, to have ready ("Have ready: ..."), until it starts going in.
    public var haveReady: String?
    /// Seconds since the running cook started; the clock of its events and chart.
    public var cookElapsedSeconds: Double?
    /// The portions the cook was started for.
    public var serves: Int?
    public var interrupted: InterruptedCook?
    /// Station seconds since the daemon started.
    public var timeSeconds: Double
    public var station: String
    public var simulated: Bool
    public var speed: Double
    /// The history's state as its writer reports it (members in docs/protocol.md); null when none.
    public var historyStore: JSONValue
    /// The simulated wok's true temperature; nil on real hardware.
    public var trueTemperatureC: Double?
    /// Nil in a command's answer built before the runner added it.
    public var loop: LoopFigures?

    public init(
        state: CookState, recipe: String? = nil, stage: StageProgress? = nil, stages: [PlannedStage] = [], targetC: Double? = nil,
        temperatureC: Double? = nil, burnerOn: Bool = false, duty: Double = 0, fault: Fault? = nil, prompt: String? = nil,
        interrupted: InterruptedCook? = nil, timeSeconds: Double = 0, station: String = "", simulated: Bool = false,
        speed: Double = 1, historyStore: JSONValue = .null, trueTemperatureC: Double? = nil, loop: LoopFigures? = nil,
        shownReading: ShownReading? = nil, lastFault: Fault? = nil
    ) {
        self.state = state
        self.recipe = recipe
        self.stage = stage
        self.stages = stages
        self.targetC = targetC
        self.temperatureC = temperatureC
        self.burnerOn = burnerOn
        self.duty = duty
        self.fault = fault
        self.prompt = prompt
        self.interrupted = interrupted
        self.timeSeconds = timeSeconds
        self.station = station
        self.simulated = simulated
        self.speed = speed
        self.historyStore = historyStore
        self.trueTemperatureC = trueTemperatureC
        self.loop = loop
        self.shownReading = shownReading
        self.lastFault = lastFault
    }

    /// Whether the history reports a problem, and which.
    public var historyProblem: String? {
        guard let store = historyStore.objectValue, store["ok"]?.boolValue == false else { return nil }
        return store["error"]?.stringValue ?? "not being written"
    }

    // MARK: JSON

    /// A member as the wire carries it (`snapshot["state"]`), for scripts' views and tests.
    public subscript(key: String) -> JSONValue? { jsonObject[key] }

    public var json: JSONValue { .object(jsonObject) }

    public var jsonObject: JSONObject {
        var members: [(String, JSONValue)] = [
            ("state", .string(state.rawValue)),
            ("recipe", optional(recipe)),
            (
                "stage",
                stage.map { stage in
                    .object([
                        "index": .number(Double(stage.index)), "name": .string(stage.name),
                        "elapsedSeconds": .number(stage.elapsedSeconds), "remainingSeconds": optional(stage.remainingSeconds),
                        "untilSafeHoldSeconds": optional(stage.untilSafeHoldSeconds), "extraSeconds": .number(stage.extraSeconds),
                    ])
                } ?? .null
            ),
            ("stages", .array(stages.map { .object(["name": .string($0.name), "targetC": optional($0.targetC)]) })),
            ("targetC", optional(targetC)),
            ("temperatureC", optional(temperatureC)),
            ("reading", shownReading.map { .object(["celsius": .number($0.celsius), "trusted": .bool($0.trusted)]) } ?? .null),
            ("burner", .string(burnerOn ? "on" : "off")),
            ("duty", .number(duty)),
            ("fault", fault.map(\.json) ?? .null),
            ("lastFault", lastFault.map(\.json) ?? .null),
            ("prompt", optional(prompt)),
            ("haveReady", optional(haveReady)),
            ("cookElapsedSeconds", optional(cookElapsedSeconds)),
            ("serves", serves.map { .number(Double($0)) } ?? .null),
            (
                "interrupted",
                interrupted.map { cook in
                    .object([
                        "recipe": .string(cook.recipe), "stageIndex": .number(Double(cook.stageIndex)), "stageName": .string(cook.stageName),
                        "atUnixSeconds": .number(cook.atUnixSeconds), "resumableForSeconds": .number(cook.resumableForSeconds),
                    ])
                } ?? .null
            ),
            ("timeSeconds", .number(timeSeconds)),
            ("station", .string(station)),
            ("simulated", .bool(simulated)),
            ("speed", .number(speed)),
            ("historyStore", historyStore),
        ]
        if let trueTemperatureC { members.append(("trueTemperatureC", .number(trueTemperatureC))) }
        if let loop {
            members.append(
                (
                    "loop",
                    .object([
                        "ticks": .number(Double(loop.ticks)), "missedDeadlines": .number(Double(loop.missedDeadlines)),
                        "latenessP50Ms": optional(loop.latenessP50Ms), "latenessP99Ms": optional(loop.latenessP99Ms),
                        "latenessMaxMs": optional(loop.latenessMaxMs),
                    ])
                ))
        }
        return JSONObject(members)
    }

    public init(json: JSONValue) throws(WireDecodingError) {
        let reader = try WireReader(json, path: "snapshot")
        let stateName = try reader.string("state")
        guard let state = CookState(rawValue: stateName) else {
            throw WireDecodingError("snapshot.state", "unknown state \"\(String(stateName.prefix(40)))\"")
        }
        self.state = state
        recipe = try reader.optionalString("recipe")
        if let stage = try reader.optionalObject("stage") {
            self.stage = StageProgress(
                index: try stage.integer("index"), name: try stage.string("name"), elapsedSeconds: try stage.number("elapsedSeconds"),
                remainingSeconds: try stage.optionalNumber("remainingSeconds"),
                untilSafeHoldSeconds: try stage.optionalNumber("untilSafeHoldSeconds"),
                extraSeconds: try stage.optionalNumber("extraSeconds") ?? 0)
        }
        var stages: [PlannedStage] = []
        for (index, value) in try reader.array("stages").enumerated() {
            let stage = try WireReader(value, path: reader.element("stages", index))
            stages.append(PlannedStage(name: try stage.string("name"), targetC: try stage.optionalNumber("targetC")))
        }
        self.stages = stages
        targetC = try reader.optionalNumber("targetC")
        temperatureC = try reader.optionalNumber("temperatureC")
        let burner = try reader.string("burner")
        guard burner == "on" || burner == "off" else { throw WireDecodingError("snapshot.burner", "expected \"on\" or \"off\"") }
        burnerOn = burner == "on"
        duty = try reader.number("duty")
        if let fault = try reader.optionalObject("fault") { self.fault = try Fault(fault) }
        if let fault = try reader.optionalObject("lastFault") { lastFault = try Fault(fault) }
        // A daemon from before `reading` showed only what control used.
        if let shown = try reader.optionalObject("reading") {
            shownReading = ShownReading(celsius: try shown.number("celsius"), trusted: try shown.bool("trusted"))
        } else {
            shownReading = temperatureC.map { ShownReading(celsius: $0, trusted: true) }
        }
        prompt = try reader.optionalString("prompt")
        haveReady = try reader.optionalString("haveReady")
        cookElapsedSeconds = try reader.optionalNumber("cookElapsedSeconds")
        serves = try reader.optionalInteger("serves")
        if let cook = try reader.optionalObject("interrupted") {
            interrupted = InterruptedCook(
                recipe: try cook.string("recipe"), stageIndex: try cook.integer("stageIndex"), stageName: try cook.string("stageName"),
                atUnixSeconds: try cook.number("atUnixSeconds"), resumableForSeconds: try cook.number("resumableForSeconds"))
        }
        timeSeconds = try reader.number("timeSeconds")
        station = try reader.string("station")
        simulated = try reader.bool("simulated")
        speed = try reader.number("speed")
        historyStore = reader.object["historyStore"] ?? .null
        trueTemperatureC = try reader.optionalNumber("trueTemperatureC")
        if let loop = try reader.optionalObject("loop") {
            self.loop = LoopFigures(
                ticks: try loop.integer("ticks"), missedDeadlines: try loop.integer("missedDeadlines"),
                latenessP50Ms: try loop.optionalNumber("latenessP50Ms"), latenessP99Ms: try loop.optionalNumber("latenessP99Ms"),
                latenessMaxMs: try loop.optionalNumber("latenessMaxMs"))
        }
    }
}
