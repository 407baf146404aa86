public import WokCore
public import WokSimulator

/// The devices one daemon drives: real ones on a Pi, or the simulated station. The loop never
/// knows which; each kind only says how one tick meets its devices.
public protocol DaemonDevices {
    /// Runs one tick of `loop` against these devices at `nowSeconds`.
    mutating func tick(_ loop: inout StationLoop, nowSeconds: Double) -> TickReport
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
/// real MCP9600 driver, the relay, and a helper at the stove who puts each stage's ingredients
/// in the wok a few seconds after the prompt (the person still confirms stages, through wokctl).
public struct SimulatedDaemonDevices: DaemonDevices {
    public private(set) var world: SimulatedStation
    private var helper: VirtualCook
    private var pendingFaults: [FaultInjection]
    /// The cook's clock starts at the first tick that has a session; faults are timed from it.
    private var cookOriginSeconds: Double?

    public init(plant: PlantParameters, seed: UInt64, faults: [FaultInjection] = []) throws(SimulationError) {
        world = try SimulatedStation(plant: plant, seed: seed)
        helper = VirtualCook(seed: seed)
        pendingFaults = faults.sorted { $0.atSeconds < $1.atSeconds }
    }

    public mutating func tick(_ loop: inout StationLoop, nowSeconds now: Double) -> TickReport {
        for addition in helper.additionsDue(nowSeconds: now) { world.add(addition, at: now) }
        if cookOriginSeconds == nil, loop.session != nil { cookOriginSeconds = now }
        if let origin = cookOriginSeconds {
            while let fault = pendingFaults.first, origin + fault.atSeconds <= now {
                pendingFaults.removeFirst()
                world.inject(fault.kind)
            }
        }
        world.advance(to: now)
        let report = loop.tick(nowSeconds: now, sensor: &world.sensor, relay: &world.relay)
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

    public mutating func switchBurnerOff() throws(RelayFailure) {
        try world.relay.set(.off)
        world.applyRelay()
    }

    public var burnerIsOn: Bool { world.relay.command.isOn }
    public var trueTemperatureC: Double? { world.plant.wokC }
    public var summary: String { "simulated station (\(world.plantParameters.name))" }
}
