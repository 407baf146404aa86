public import WokCore
public import WokHardware

/// Everything that defines one simulated cook; the same configuration and seed give the same run.
public struct SimulationConfig: Sendable {
    public var recipe: Recipe
    public var station: Station
    public var plant: PlantParameters
    public var controller: ControllerKind
    public var seed: UInt64
    public var faults: [FaultInjection]
    public var chipModel: MCP9600Model

    public init(
        recipe: Recipe, station: Station = .standard, plant: PlantParameters = PlantParameters(),
        controller: ControllerKind? = nil, seed: UInt64 = 1, faults: [FaultInjection] = [],
        chipModel: MCP9600Model = .mcp9600
    ) {
        self.recipe = recipe
        self.station = station
        self.plant = plant
        self.controller = controller ?? station.control.controller
        self.seed = seed
        self.faults = faults
        self.chipModel = chipModel
    }
}

/// One control tick of a simulated cook, as a trace row.
public struct TraceRow: Sendable {
    public var timeSeconds: Double
    public var stageIndex: Int?
    public var stageName: String?
    public var state: CookState
    public var targetC: Double?
    public var measuredC: Double?
    public var trueC: Double
    public var burner: BurnerCommand
    public var duty: Double
    public var events: [CookEvent]
}

/// How a simulated cook ended and how each stage went.
public struct SimulationResult: Sendable {
    public var recipe: String
    public var controller: ControllerKind
    public var plant: String
    public var seed: UInt64
    public var completed: Bool
    public var abortReason: String?
    public var simulatedSeconds: Double
    public var maxTrueC: Double
    public var maxMeasuredC: Double
    public var stages: [StageMetrics]
    public var faults: [FaultOutcome]
    /// Every event with the simulated time it happened.
    public var events: [(seconds: Double, event: CookEvent)]
    public var relaySwitches: Int
}

public enum SimulationError: Error, Sendable, CustomStringConvertible {
    case recipeRejected([ConfigProblem])
    case sensorDidNotOpen(String)

    public var description: String {
        switch self {
        case .recipeRejected(let problems): "recipe rejected: " + problems.map(\.description).joined(separator: "; ")
        case .sensorDidNotOpen(let why): "simulated sensor did not open: \(why)"
        }
    }
}

/// A whole cook in virtual time: the real core and the real MCP9600 driver against a simulated
/// wok, a register-level simulated chip, a simulated relay and a virtual cook.
public struct CookSimulation {
    public let config: SimulationConfig
    private var world: SimulatedStation
    private var loop: StationLoop
    private var cook: VirtualCook
    private var now = 0.0
    private var meter: StageMeter?
    private var finishedStages: [StageMetrics] = []
    private var faultOutcomes: [FaultOutcome]
    private var pendingFaults: [FaultInjection]
    private var events: [(seconds: Double, event: CookEvent)] = []
    private var maxTrueC: Double
    private var maxMeasuredC = -Double.infinity
    private var lastBurner = BurnerCommand.off
    private var abortReason: String?
    private var isFinished = false
    private let boundSeconds: Double

    public init(_ config: SimulationConfig) throws(SimulationError) {
        self.config = config
        world = try SimulatedStation(plant: config.plant, chipModel: config.chipModel, seed: config.seed)
        loop = StationLoop(station: config.station, controllerKind: config.controller)
        cook = VirtualCook(seed: config.seed)
        faultOutcomes = config.faults.map {
            FaultOutcome(kind: $0.kind, injectedAtSeconds: $0.atSeconds, detectedAtSeconds: nil, burnerOffAtSeconds: nil)
        }
        pendingFaults = config.faults.sorted { $0.atSeconds < $1.atSeconds }
        maxTrueC = world.plant.wokC
        boundSeconds = Self.timeBound(config.recipe, config.station)
        do {
            try loop.start(recipe: config.recipe, nowSeconds: 0)
        } catch {
            if case .recipeRejected(let problems) = error { throw .recipeRejected(problems) }
            throw .recipeRejected([ConfigProblem(location: "", message: error.description)])
        }
    }

    /// Longest a cook of this recipe can legitimately take, plus a margin: a simulation that runs
    /// past it has a bug, and is stopped rather than left to spin.
    static func timeBound(_ recipe: Recipe, _ station: Station) -> Double {
        recipe.stages.reduce(600) { total, stage in
            let wait = stage.maxSeconds ?? max(station.limits.reachTimeoutSeconds, station.limits.confirmTimeoutSeconds)
            return total + max(stage.seconds ?? 0, 0) + wait
        }
    }

    public var isRunning: Bool { !isFinished }

    /// Runs one control tick; nil once the cook is over.
    public mutating func step() -> TraceRow? {
        guard !isFinished else { return nil }
        let period = config.station.control.periodSeconds

        // The world moves first: food lands, faults strike, the wok heats under the last command.
        for addition in cook.additionsDue(nowSeconds: now) {
            world.add(addition, at: now)
            meter?.foodLanded(at: now, trueC: world.plant.wokC)
            if let target = meter?.targetC, let mustLeave = meter?.needsLeaveBand {
                meter?.fullPowerSecondsToBand = fullPowerSecondsToBand(
                    from: world.plant, targetC: target, bandC: config.station.control.bandC, mustLeaveBand: mustLeave)
            }
        }
        while let fault = pendingFaults.first, fault.atSeconds <= now {
            pendingFaults.removeFirst()
            world.inject(fault.kind)
        }
        world.advance(to: now)

        if let session = loop.session, session.isRunning, session.stage.advance == .confirm,
            cook.wantsToConfirm(stageClockSeconds: session.stageClockSeconds)
        {
            if (try? loop.confirm(nowSeconds: now)) != nil { cook.confirmed() }
        }

        let report = loop.tick(nowSeconds: now, sensor: &world.sensor, relay: &world.relay)
        world.applyRelay()
        observe(report)

        let row = TraceRow(
            timeSeconds: now, stageIndex: report.stageIndex,
            stageName: report.stageIndex.map { config.recipe.stages[$0].name }, state: report.state,
            targetC: report.targetC, measuredC: report.measuredC, trueC: world.plant.wokC, burner: world.relay.command,
            duty: report.duty, events: report.events)
        if !(loop.session?.isRunning ?? false) {
            finish()
        } else if now >= boundSeconds {
            loop.abort(reason: "simulation ran past its time bound of \(formatNumber(boundSeconds)) s", nowSeconds: now)
            _ = loop.tick(nowSeconds: now, sensor: &world.sensor, relay: &world.relay)
            world.applyRelay()
            finish()
        }
        now += period
        return row
    }

    /// Runs to the end, calling `onTick` for every control tick.
    public mutating func run(onTick: (TraceRow) -> Void = { _ in }) -> SimulationResult {
        while let row = step() { onTick(row) }
        return result
    }

    private mutating func observe(_ report: TickReport) {
        for event in report.events {
            events.append((now, event))
            switch event {
            case .stageStarted(let index, _, let target):
                closeMeter()
                let stage = config.recipe.stages[index]
                var fresh = StageMeter(
                    name: stage.name, targetC: target, bandC: config.station.control.bandC, startSeconds: now,
                    trueC: world.plant.wokC)
                if let target {
                    fresh.fullPowerSecondsToBand = fullPowerSecondsToBand(
                        from: world.plant, targetC: target, bandC: config.station.control.bandC, mustLeaveBand: false)
                }
                meter = fresh
                cook.stageStarted(stage, nowSeconds: now)
            case .confirmationOverdue:
                meter?.endHold()
            case .faultLatched(let fault):
                for index in faultOutcomes.indices
                where faultOutcomes[index].detectedAtSeconds == nil && faultOutcomes[index].injectedAtSeconds <= now {
                    faultOutcomes[index].detectedAtSeconds = now
                    faultOutcomes[index].latchedKind = fault.kind
                }
                abortReason = "fault \(fault.kind.rawValue): \(fault.reason)"
            case .cookAborted(let reason):
                abortReason = reason
            default:
                break
            }
        }
        if world.relay.command != lastBurner { meter?.relaySwitched() }
        lastBurner = world.relay.command
        if world.relay.command == .off {
            for index in faultOutcomes.indices
            where faultOutcomes[index].detectedAtSeconds != nil && faultOutcomes[index].burnerOffAtSeconds == nil {
                faultOutcomes[index].burnerOffAtSeconds = now
            }
        }
        meter?.observe(now: now, trueC: world.plant.wokC)
        maxTrueC = max(maxTrueC, world.plant.wokC)
        if let measured = report.measuredC { maxMeasuredC = max(maxMeasuredC, measured) }
    }

    private mutating func closeMeter() {
        if let meter { finishedStages.append(meter.finish(endSeconds: now)) }
        meter = nil
    }

    private mutating func finish() {
        closeMeter()
        isFinished = true
    }

    public var result: SimulationResult {
        var stages = finishedStages
        if let meter { stages.append(meter.finish(endSeconds: now)) }
        var completed = false
        if case .completed? = loop.session?.outcome { completed = true }
        return SimulationResult(
            recipe: config.recipe.name, controller: config.controller, plant: config.plant.name, seed: config.seed,
            completed: completed, abortReason: completed ? nil : abortReason, simulatedSeconds: now, maxTrueC: maxTrueC,
            maxMeasuredC: maxMeasuredC.isFinite ? maxMeasuredC : world.plant.sensedC, stages: stages, faults: faultOutcomes,
            events: events, relaySwitches: world.relay.switchCount)
    }
}
