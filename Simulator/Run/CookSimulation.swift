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
    /// Whether the station has a safety shut-off valve the loop drives.
    public var hasValve: Bool
    /// How long to keep the station ticking, idle, after the cook ends: faults near the end, and
    /// what the wok does after a fault, are watched this long.
    public var tailSeconds: Double

    public init(
        recipe: Recipe, station: Station = .standard, plant: PlantParameters = PlantParameters(),
        controller: ControllerKind? = nil, seed: UInt64 = 1, faults: [FaultInjection] = [],
        chipModel: MCP9600Model = .mcp9600, hasValve: Bool = true, tailSeconds: Double = 0
    ) {
        self.hasValve = hasValve
        self.tailSeconds = min(max(tailSeconds, 0), 3600)
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
    /// The default controller's model of the wok itself (nil for the baselines).
    public var modelledC: Double?
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
    /// The most relay switches in any minute of the run (a sliding 60 s), the tail included.
    public var mostSwitchesInAnyMinute: Int
    /// Intervals (world seconds) when a stage's food could be holding the wok down: from the start
    /// of a stage that adds food until, a minute on, the wok is back within 5 °C of its target.
    public var loadPhases: [ClosedRange<Double>]
    /// Whether the monitor latched any fault during the run, and when it first did.
    public var faultLatched: Bool
    public var firstFaultAtSeconds: Double?
    /// When the cook ended (completed, aborted or faulted); the idle tail follows.
    public var cookEndedAtSeconds: Double?
    /// The last tick at which the cook asked for heat (a target); nil if it never did.
    public var lastHeatWantedAtSeconds: Double?
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
/// wok, a register-level simulated chip, a simulated relay and valve, and a virtual cook who adds
/// the food and confirms. The kitchen is stepped by `SimulatedStationStepper`, as in
/// `wokd --simulate`; this adds the figures: per-stage metrics, what became of each fault, the trace.
public struct CookSimulation {
    public let config: SimulationConfig
    private var stepper: SimulatedStationStepper
    private var loop: StationLoop
    private var now = 0.0
    private var meter: StageMeter?
    private var finishedStages: [StageMetrics] = []
    private var faultOutcomes: [FaultOutcome]
    /// Faults struck but not yet seen by a tick of the loop.
    private var awaitingFirstTick: [Int] = []
    private var events: [(seconds: Double, event: CookEvent)] = []
    private var maxTrueC: Double
    private var maxMeasuredC = -Double.infinity
    private var lastBurner = BurnerCommand.off
    private var lastReport: TickReport?
    private var abortReason: String?
    private var isFinished = false
    private var tailUntilSeconds: Double?
    private let boundSeconds: Double
    private var loadPhases: [ClosedRange<Double>] = []
    private var loadPhaseStart: Double?
    private var stageStartSeconds = 0.0
    private var faultLatched = false
    /// When the relay was last commanded off, whether it is off now, and the steel's temperature
    /// once the reading had settled after that command.
    private var offCommandSeconds = 0.0
    private var lastRelayCommandOff = false
    private var settledTrueC: Double?
    private var firstFaultAtSeconds: Double?
    private var cookEndedAtSeconds: Double?
    private var lastHeatWantedAtSeconds: Double?
    private var busiestMinute = BusiestMinute()
    private var relaySwitchesSeen = 0

    public init(_ config: SimulationConfig) throws(SimulationError) {
        self.config = config
        // One cook: the food stays in the wok after it, for the idle tail to watch.
        stepper = try SimulatedStationStepper(
            plant: config.plant, chipModel: config.chipModel, seed: config.seed, faults: config.faults,
            hasValve: config.hasValve, cookConfirmsStages: true, platesFoodWhenCookEnds: false)
        loop = StationLoop(station: config.station, controllerKind: config.controller)
        faultOutcomes = config.faults.map {
            FaultOutcome(
                kind: $0.kind, injectedAtSeconds: $0.atSeconds, peakTrueCAfter: -Double.infinity,
                cookRunningAtInjection: false)
        }
        maxTrueC = stepper.world.plant.wokC
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
        CookSession.plannedSeconds(recipe, on: station) + station.safety.cookOverrunMarginSeconds + 600
    }

    public var isRunning: Bool { !isFinished }

    /// Runs one control tick (or, while the loop is stalled, one step of the world); nil once the
    /// cook and its tail are over.
    public mutating func step() -> TraceRow? {
        guard !isFinished else { return nil }
        // The kitchen moves: food lands, the wok heats under the last command, faults strike,
        // the cook confirms, the loop ticks.
        let step = stepper.step(&loop, worldSeconds: now)
        for plant in step.foodLanded {
            meter?.foodLanded(at: now, trueC: plant.wokC)
            if let target = meter?.targetC, let mustLeave = meter?.needsLeaveBand {
                // The reading answers the landing after its dead time and is most of the way a
                // lag later: the limit for a controller that reads it starts then.
                meter?.fullPowerSecondsToBand = fullPowerSecondsToBand(
                    from: plant, targetC: target, bandC: config.station.control.bandC, mustLeaveBand: mustLeave,
                    reactionSeconds: config.plant.sensor.deadTimeSeconds + config.plant.sensor.lagSeconds)
            }
        }
        noteFaults(step)

        guard let report = step.report else {
            // Stalled: no tick; the relay kept whatever it was last told.
            return finishStep(report: nil)
        }

        // A fault matters from the first tick that can see it (not during a stall).
        for index in awaitingFirstTick { faultOutcomes[index].activeFromSeconds = now }
        awaitingFirstTick.removeAll()

        observe(report)
        lastReport = report

        if tailUntilSeconds == nil {
            if !(loop.session?.isRunning ?? false) {
                endCook()
            } else if now >= boundSeconds {
                loop.abort(reason: "simulation ran past its time bound of \(formatNumber(boundSeconds)) s", nowSeconds: report.nowSeconds)
                _ = stepper.tick(&loop, loopSeconds: report.nowSeconds, worldSeconds: now)
                endCook()
            }
        }
        return finishStep(report: report)
    }

    /// What became of the faults that struck or cleared this step.
    private mutating func noteFaults(_ step: SimulatedStationStepper.Step) {
        for (index, cookWasRunning) in step.struck {
            let fault = config.faults[index]
            faultOutcomes[index].cookRunningAtInjection = cookWasRunning
            faultOutcomes[index].peakTrueCAfter = stepper.world.plant.wokC
            switch fault.kind {
            case .flameOut, .sensorDetached, .relayWelded, .cookAway: break
            case .loopStall: faultOutcomes[index].activeFromSeconds = now
            default: awaitingFirstTick.append(index)
            }
            if fault.kind == .loopStall {
                faultOutcomes[index].clearedAtSeconds = now + (fault.durationSeconds ?? SimulatedStation.defaultStallSeconds)
            }
        }
        for index in step.cleared { faultOutcomes[index].clearedAtSeconds = now }
    }

    private mutating func endCook() {
        closeMeter()
        closeLoadPhase()
        cookEndedAtSeconds = now
        tailUntilSeconds = now + config.tailSeconds
    }

    private mutating func finishStep(report: TickReport?) -> TraceRow {
        // The relay is read once: each read of a simulated device pays a run-time exclusivity check.
        let relay = stepper.world.relay.reading
        let burner = relay.command
        let row = TraceRow(
            timeSeconds: now, stageIndex: report?.stageIndex,
            stageName: report?.stageIndex.map { config.recipe.stages[$0].name }, state: report?.state ?? lastReport?.state ?? .idle,
            targetC: report?.targetC, measuredC: report?.measuredC, trueC: stepper.world.plant.wokC, burner: burner,
            duty: report?.duty ?? lastReport?.duty ?? 0, modelledC: loop.controller.estimatedWokC,
            events: report?.events ?? [])
        trackFaults(relay)
        busiestMinute.switched(relay.switchCount - relaySwitchesSeen, atSeconds: now)
        relaySwitchesSeen = relay.switchCount
        maxTrueC = max(maxTrueC, stepper.world.plant.wokC)
        if let until = tailUntilSeconds, now >= until { isFinished = true }
        now += config.station.control.periodSeconds
        return row
    }

    /// Per-tick bookkeeping of each injected fault: when it began to matter, when the burner
    /// went off after detection, and the hottest the wok got after it.
    private mutating func trackFaults(_ relay: SimulatedRelay.Reading) {
        let relayOn = relay.command.isOn
        if !relayOn && !lastRelayCommandOff { offCommandSeconds = now }
        lastRelayCommandOff = !relayOn
        // The steel's temperature once the monitor's settling after an off command is over: a
        // welded burner is judged by what it does after that, as the monitor judges it.
        let settle = config.station.control.sensorDeadTimeSeconds + 3 * config.station.control.sensorLagSeconds
        if relayOn || now < offCommandSeconds + settle { settledTrueC = nil } else if settledTrueC == nil { settledTrueC = stepper.world.plant.wokC }
        // An outcome's peak is set when its fault strikes; until then it is -infinity.
        for index in faultOutcomes.indices where faultOutcomes[index].peakTrueCAfter > -Double.infinity {
            faultOutcomes[index].peakTrueCAfter = max(faultOutcomes[index].peakTrueCAfter, stepper.world.plant.wokC)
            if faultOutcomes[index].activeFromSeconds == nil {
                let cleared = faultOutcomes[index].clearedAtSeconds != nil
                switch faultOutcomes[index].kind {
                case .flameOut, .sensorDetached:
                    if relayOn && !cleared { faultOutcomes[index].activeFromSeconds = now }
                case .relayWelded:
                    if !relayOn && relay.contactClosed && !cleared { faultOutcomes[index].activeFromSeconds = now }
                default: break
                }
            }
            let kind = faultOutcomes[index].kind
            if kind == .flameOut || kind == .sensorDetached, faultOutcomes[index].activeFromSeconds != nil, relayOn,
                faultOutcomes[index].heatOwedAtSeconds == nil
            {
                faultOutcomes[index].burnerOnSecondsSinceActive += config.station.control.periodSeconds
                if faultOutcomes[index].burnerOnSecondsSinceActive + 1e-9 >= DetectionBound.heatingFaultSeconds {
                    faultOutcomes[index].heatOwedAtSeconds = now
                }
            }
            if faultOutcomes[index].kind == .relayWelded, faultOutcomes[index].activeFromSeconds != nil,
                faultOutcomes[index].overheatedAtSeconds == nil, faultOutcomes[index].detectedAtSeconds == nil,
                !relayOn, relay.contactClosed, let settled = settledTrueC,
                stepper.world.plant.wokC >= settled + DetectionBound.weldedOverheatC
            {
                faultOutcomes[index].overheatedAtSeconds = now
            }
            if faultOutcomes[index].detectedAtSeconds != nil, faultOutcomes[index].burnerOffAtSeconds == nil,
                Self.softwareStoppedGas(relay, hasValve: config.hasValve, valve: stepper.world.valve)
            {
                faultOutcomes[index].burnerOffAtSeconds = now
            }
        }
    }

    /// Whether the software has done all it can to stop the gas: the relay told off and, on a
    /// station with one, the shut-off valve closed. (A welded relay on a station without a valve
    /// still feeds the burner: that is for the hardware's flame-failure device and cut-out.)
    /// Static: a method would copy the whole simulation to be called from a mutating one.
    private static func softwareStoppedGas(_ relay: SimulatedRelay.Reading, hasValve: Bool, valve: SimulatedValve) -> Bool {
        !relay.command.isOn && (!hasValve || !valve.isOpen)
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
                closeLoadPhase()
                let stage = config.recipe.stages[index]
                stageStartSeconds = now
                if !stage.add.isEmpty { loadPhaseStart = now }
                var fresh = StageMeter(
                    name: stage.name, targetC: target, bandC: config.station.control.bandC, startSeconds: now,
                    trueC: stepper.world.plant.wokC)
                fresh.fullPowerRateCPerSecond = config.plant.fullPowerRateCPerSecond
                fresh.ignitionDelaySeconds = config.plant.burner.ignitionDelaySeconds
                if let target {
                    fresh.fullPowerSecondsToBand = fullPowerSecondsToBand(
                        from: stepper.world.plant, targetC: target, bandC: config.station.control.bandC, mustLeaveBand: false)
                }
                meter = fresh
            case .confirmationOverdue:
                meter?.endHold()
                for index in faultOutcomes.indices
                where faultOutcomes[index].kind == .cookAway && faultOutcomes[index].activeFromSeconds == nil
                    && faultOutcomes[index].peakTrueCAfter > -Double.infinity
                {
                    faultOutcomes[index].activeFromSeconds = now
                }
            case .faultLatched(let fault):
                faultLatched = true
                if firstFaultAtSeconds == nil { firstFaultAtSeconds = now }
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
        if let start = loadPhaseStart, now - stageStartSeconds >= CookSession.loadExpectedSeconds,
            let target = report.targetC, let measured = report.measuredC, measured >= target - 5
        {
            loadPhases.append(start...now)
            loadPhaseStart = nil
        }
        if report.targetC != nil { lastHeatWantedAtSeconds = now }
        let command = stepper.world.relay.command
        if command != lastBurner { meter?.relaySwitched() }
        lastBurner = command
        meter?.observe(now: now, trueC: stepper.world.plant.wokC, relayOn: command.isOn)
        if let measured = report.measuredC { maxMeasuredC = max(maxMeasuredC, measured) }
    }

    private mutating func closeLoadPhase() {
        if let start = loadPhaseStart { loadPhases.append(start...max(start, now)) }
        loadPhaseStart = nil
    }

    private mutating func closeMeter() {
        if let meter { finishedStages.append(meter.finish(endSeconds: now)) }
        meter = nil
    }

    public var result: SimulationResult {
        var stages = finishedStages
        if let meter { stages.append(meter.finish(endSeconds: now)) }
        var phases = loadPhases
        if let start = loadPhaseStart { phases.append(start...max(start, now)) }
        var completed = false
        if case .completed? = loop.session?.outcome { completed = true }
        return SimulationResult(
            recipe: config.recipe.name, controller: config.controller, plant: config.plant.name, seed: config.seed,
            completed: completed, abortReason: completed ? nil : abortReason, simulatedSeconds: now, maxTrueC: maxTrueC,
            maxMeasuredC: maxMeasuredC.isFinite ? maxMeasuredC : stepper.world.plant.sensedC, stages: stages, faults: faultOutcomes,
            events: events, relaySwitches: stepper.world.relay.switchCount,
            mostSwitchesInAnyMinute: busiestMinute.most, loadPhases: phases, faultLatched: faultLatched,
            firstFaultAtSeconds: firstFaultAtSeconds, cookEndedAtSeconds: cookEndedAtSeconds,
            lastHeatWantedAtSeconds: lastHeatWantedAtSeconds)
    }
}
