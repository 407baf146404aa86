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
/// stage's ingredients in the wok a few seconds after the prompt and plates the food when the cook
/// ends, so every cook starts with an empty wok (the person still confirms stages, through
/// wokctl). Stepped by `SimulatedStationStepper`, exactly as `wokctl simulate` steps its cook.
/// Injected faults strike at their time from the start of the first cook and
/// clear after their duration, if they have one; each strikes once however many cooks follow.
public struct SimulatedDaemonDevices: DaemonDevices {
    private var stepper: SimulatedStationStepper

    public init(plant: PlantParameters, seed: UInt64, faults: [FaultInjection] = []) throws(SimulationError) {
        stepper = try SimulatedStationStepper(
            plant: plant, seed: seed, faults: faults, hasValve: true, cookConfirmsStages: false,
            platesFoodWhenCookEnds: true)
    }

    /// The simulated station: its relay and valve are shared references a test may break.
    public var world: SimulatedStation { stepper.world }

    public mutating func tick(_ loop: inout StationLoop, nowSeconds now: Double) -> TickReport? {
        stepper.step(&loop, worldSeconds: now).report
    }

    public mutating func switchBurnerOff() throws(RelayFailure) {
        try stepper.switchBurnerOff()
    }

    public var burnerIsOn: Bool { stepper.world.relay.command.isOn }
    public var trueTemperatureC: Double? { stepper.world.plant.wokC }
    public var summary: String { "simulated station (\(stepper.world.plantParameters.name)) with a shut-off valve" }
}
