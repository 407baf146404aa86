public import WokCore
public import WokSimulator

/// The devices one daemon drives: real ones on a Pi, or the simulated station. The loop never
/// knows which; each kind only says how one tick meets its devices.
public protocol DaemonDevices {
    /// Runs one tick of `loop` against these devices at `nowSeconds`; nil when the loop did not
    /// run (a simulated stall).
    mutating func tick(_ loop: inout StationLoop, nowSeconds: Double) -> TickReport?
    /// Drives the relay off directly, outside the loop: at start-up and at shutdown.
    mutating func switchBurnerOff() throws(RelayFailure)
    /// What the burner is actually set to, as far as the devices know.
    var burnerIsOn: Bool { get }
    /// The wok's true temperature, where a simulation knows it; nil on real hardware.
    var trueTemperatureC: Double? { get }
    /// One line for logs: what these devices are.
    var summary: String { get }
}

/// The simulated station as the daemon's devices: the plant, the register-level chip behind the
/// real MCP9600 driver, the relay, a shut-off valve, and a helper at the stove who puts each
/// stage's ingredients in the wok a few seconds after the prompt (the person still confirms
/// stages, through wokctl). Injected faults strike at their time from the cook's start and clear
/// after their duration, if they have one.
public struct SimulatedDaemonDevices: DaemonDevices {
    public private(set) var world: SimulatedStation
    private var helper: VirtualCook
    private var pendingFaults: [FaultInjection]
    private var activeFaults: [(kind: InjectedFaultKind, clearsAtSeconds: Double)] = []
    /// The cook's clock starts at the first tick that has a session; faults are timed from it.
    private var cookOriginSeconds: Double?

    public init(plant: PlantParameters, seed: UInt64, faults: [FaultInjection] = []) throws(SimulationError) {
        world = try SimulatedStation(plant: plant, seed: seed)
        helper = VirtualCook(seed: seed)
        pendingFaults = faults.sorted { $0.atSeconds < $1.atSeconds }
    }

    public mutating func tick(_ loop: inout StationLoop, nowSeconds now: Double) -> TickReport? {
        for addition in helper.additionsDue(nowSeconds: now) { world.add(addition, at: now) }
        strikeAndClearFaults(now: now, cookRunning: loop.session != nil)
        world.advance(to: now)
        // A stalled loop is not ticked at all; a jumped clock hands the loop the wrong time.
        guard let loopNow = world.loopSeconds(atWorldSeconds: now) else {
            world.applyRelay()
            return nil
        }
        let report = loop.tick(nowSeconds: loopNow, sensor: &world.sensor, relay: &world.relay, valve: &world.valve)
        world.applyRelay()
        for event in report.events {
            if case .stageStarted(let index, _, _) = event, let recipe = loop.session?.recipe,
                recipe.stages.indices.contains(index)
            {
                helper.stageStarted(recipe.stages[index], nowSeconds: now)
            }
        }
        return report
    }

    private mutating func strikeAndClearFaults(now: Double, cookRunning: Bool) {
        if cookOriginSeconds == nil, cookRunning { cookOriginSeconds = now }
        guard let origin = cookOriginSeconds else { return }
        while let fault = pendingFaults.first, origin + fault.atSeconds <= now {
            pendingFaults.removeFirst()
            if fault.kind == .cookAway {
                helper.isAway = true
            } else {
                world.inject(fault.kind, durationSeconds: fault.durationSeconds)
            }
            if let duration = fault.durationSeconds, fault.kind != .loopStall {
                activeFaults.append((fault.kind, now + duration))
            }
        }
        for (index, active) in activeFaults.enumerated().reversed() where active.clearsAtSeconds <= now {
            if active.kind == .cookAway { helper.isAway = false } else { world.clear(active.kind) }
            activeFaults.remove(at: index)
        }
    }

    public mutating func switchBurnerOff() throws(RelayFailure) {
        var valveFailure: ValveFailure?
        do { try world.valve.set(open: false) } catch { valveFailure = error }
        try world.relay.set(.off)
        world.applyRelay()
        if let valveFailure { throw RelayFailure(reason: "relay off, but the valve: \(valveFailure.reason)") }
    }

    public var burnerIsOn: Bool { world.relay.command.isOn }
    public var trueTemperatureC: Double? { world.plant.wokC }
    public var summary: String { "simulated station (\(world.plantParameters.name)) with a shut-off valve" }
}
