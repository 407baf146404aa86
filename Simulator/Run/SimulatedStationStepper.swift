public import WokCore
public import WokHardware

/// The simulated kitchen around a control loop: the station (plant, chip, relay, valve, clock),
/// the virtual cook who adds each stage's food, and the planned faults. `step` moves it all one
/// control tick, in one fixed order, for every runner of the simulated station: the offline
/// `CookSimulation` (`wokctl simulate`, the tests, the fault campaign, `wok-bench`) and the
/// daemon's `SimulatedDaemonDevices` (`wokd --simulate`).
///
/// One step at world time `now`:
/// 1. the food due now lands in the wok;
/// 2. the world advances to `now` under the relay's last state, and the chip shows a fresh reading;
/// 3. the faults due strike, and those whose duration is over clear;
/// 4. unless the loop is stalled: the cook confirms a `confirm` stage if they judge it done (when
///    `cookConfirmsStages`), the loop ticks against the devices, the relay and valve act;
/// 5. the cook reacts to the tick's events: a stage's food is planned; when a cook starts the wok
///    is emptied of any earlier cook's food, and (when `platesFoodWhenCookEnds`) when a cook ends.
///
/// Faults are timed from the cook's start: the world time of the first step that finds a cook in
/// the loop (0 for an offline cook). In a station that runs cook after cook that is the first
/// cook's start: each planned fault strikes once, at its time from then (in that cook, between
/// cooks or in a later one), and later cooks meet whatever is still active.
public struct SimulatedStationStepper {
    /// What one step did, for a runner that keeps figures.
    public struct Step {
        /// The loop's report; nil when the loop was stalled and did not tick.
        public var report: TickReport?
        /// The plant just after each batch of food landed this step (usually none).
        public var foodLanded: [WokPlant] = []
        /// Faults that struck this step, as indices into `faults`, with whether a cook was
        /// running, unfaulted, at that moment.
        public var struck: [(index: Int, cookWasRunning: Bool)] = []
        /// Faults whose duration ended this step, as indices into `faults`.
        public var cleared: [Int] = []
    }

    public private(set) var world: SimulatedStation
    public private(set) var cook: VirtualCook
    /// The planned faults, in the order given; times count from `faultOriginSeconds`.
    public let faults: [FaultInjection]
    /// Whether the station has a safety shut-off valve the loop drives; without one the gas line
    /// is plain (the valve stays open).
    public let hasValve: Bool
    /// Whether the virtual cook confirms `confirm` stages (offline); in the daemon a person does.
    public let cookConfirmsStages: Bool
    /// Whether the cook takes the food out of the wok, and forgets what was still to be added, as
    /// soon as a cook ends (completed, aborted or faulted). The daemon's helper does, so the next
    /// cook starts with an empty wok; an offline cook leaves the wok as it was for the idle tail
    /// that watches the aftermath of a fault. Either way a new cook starts with an empty wok.
    public let platesFoodWhenCookEnds: Bool
    /// The world time the fault times count from; nil until a cook is first seen.
    public private(set) var faultOriginSeconds: Double?
    /// Indices into `faults` not struck yet, by time.
    private var pendingFaults: [Int]
    /// Struck faults with a duration, and when they clear.
    private var pendingClears: [(atSeconds: Double, index: Int)] = []

    public init(
        plant: PlantParameters, chipModel: MCP9600Model = .mcp9600, seed: UInt64, faults: [FaultInjection] = [],
        hasValve: Bool = true, cookConfirmsStages: Bool, platesFoodWhenCookEnds: Bool
    ) throws(SimulationError) {
        world = try SimulatedStation(plant: plant, chipModel: chipModel, seed: seed)
        cook = VirtualCook(seed: seed)
        self.faults = faults
        self.hasValve = hasValve
        self.cookConfirmsStages = cookConfirmsStages
        self.platesFoodWhenCookEnds = platesFoodWhenCookEnds
        pendingFaults = faults.indices.sorted { faults[$0].atSeconds < faults[$1].atSeconds }
        if !hasValve {
            // No valve: the gas line is plain. A fresh simulated valve has no failure set.
            try? world.valve.set(open: true)
        }
    }

    /// Moves the kitchen to world time `now` and runs one tick of `loop` against it (see the type's
    /// description for the order).
    public mutating func step(_ loop: inout StationLoop, worldSeconds now: Double) -> Step {
        var step = Step()
        for addition in cook.additionsDue(nowSeconds: now) {
            world.add(addition, at: now)
            step.foodLanded.append(world.plant)
        }
        world.advance(to: now)
        strikeAndClearFaults(
            cookSeen: loop.session != nil, cookRunningUnfaulted: (loop.session?.isRunning ?? false) && loop.safety.latched == nil, now: now,
            into: &step)

        // A stalled loop is not ticked at all: the relay keeps whatever it was last told.
        guard let loopNow = world.loopSeconds(atWorldSeconds: now) else {
            world.applyRelay()
            return step
        }
        // One read of the session: binding it, or reading it field by field, copies it each time.
        if cookConfirmsStages, let clock = loop.session?.confirmStageClockSeconds, cook.wantsToConfirm(stageClockSeconds: clock) {
            do {
                try loop.confirm(nowSeconds: loopNow)
                cook.confirmed()
            } catch {
                // Refused (say, before the stage's minimum): the cook tries again next tick.
            }
        }
        step.report = tick(&loop, loopSeconds: loopNow, worldSeconds: now)
        return step
    }

    /// One tick of `loop` at loop time `loopSeconds` against the devices, without moving the world
    /// (`step` calls it; a runner may call it again at once, say after aborting); the relay and
    /// valve then act and the cook reacts to the tick's events.
    public mutating func tick(_ loop: inout StationLoop, loopSeconds: Double, worldSeconds now: Double) -> TickReport {
        let report: TickReport
        if loop.station.devices?.flameSense != nil {
            // The station file has a flame-proven input: the loop reads the plant's flame too.
            var valve = hasValve ? world.valve : nil
            report = loop.tick(
                nowSeconds: loopSeconds, sensor: &world.sensor, relay: &world.relay, valve: &valve, flame: &world.flameSense)
        } else if hasValve {
            report = loop.tick(nowSeconds: loopSeconds, sensor: &world.sensor, relay: &world.relay, valve: &world.valve)
        } else {
            report = loop.tick(nowSeconds: loopSeconds, sensor: &world.sensor, relay: &world.relay)
        }
        world.applyRelay()
        for event in report.events {
            switch event {
            case .cookStarted:
                clearUp(at: now)
            case .stageStarted(let index, _, _):
                if let recipe = loop.session?.recipe, recipe.stages.indices.contains(index) {
                    cook.stageStarted(recipe.stages[index], nowSeconds: now)
                }
            case .cookCompleted, .cookAborted, .faultLatched:
                if platesFoodWhenCookEnds { clearUp(at: now) }
            default:
                break
            }
        }
        return report
    }

    /// Drives the relay off and closes the valve directly, outside the loop (a daemon's start
    /// and shutdown). The relay is tried even when the valve fails; either failure is thrown.
    public mutating func switchBurnerOff() throws(RelayFailure) {
        var valveFailure: ValveFailure?
        do { try world.valve.set(open: false) } catch { valveFailure = error }
        try world.relay.set(.off)
        world.applyRelay()
        if let valveFailure { throw RelayFailure(reason: "relay off, but the valve: \(valveFailure.reason)") }
    }

    /// The cook plates the food and drops whatever was still to come of the cook.
    private mutating func clearUp(at now: Double) {
        world.plateFood(at: now)
        cook.cookEnded()
    }

    /// Strikes (and clears) the faults whose time has come, in time order. It is told what it needs
    /// of the loop (whether it has a cook; whether that cook runs with nothing latched) rather
    /// than given the loop, which would be copied whole every tick.
    private mutating func strikeAndClearFaults(cookSeen: Bool, cookRunningUnfaulted: Bool, now: Double, into step: inout Step) {
        if faultOriginSeconds == nil, cookSeen { faultOriginSeconds = now }
        guard let origin = faultOriginSeconds else { return }
        while let index = pendingFaults.first, origin + faults[index].atSeconds <= now {
            pendingFaults.removeFirst()
            let fault = faults[index]
            if fault.kind == .cookAway {
                cook.isAway = true
            } else {
                world.inject(fault.kind, durationSeconds: fault.durationSeconds)
            }
            step.struck.append((index, cookRunningUnfaulted))
            // A stall's duration is the stall itself (the station ends it); others clear here.
            if let duration = fault.durationSeconds, fault.kind != .loopStall {
                pendingClears.append((now + duration, index))
            }
        }
        for (offset, clear) in pendingClears.enumerated().reversed() where clear.atSeconds <= now {
            pendingClears.remove(at: offset)
            let kind = faults[clear.index].kind
            if kind == .cookAway { cook.isAway = false } else { world.clear(kind) }
            step.cleared.append(clear.index)
        }
    }
}
