public import WokCore
public import WokHardware
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
    /// The stove's button presses since the last call (a bounded batch, never waiting), and
    /// the lines that could not be read.
    mutating func pollButtons(nowSeconds: Double) -> ButtonPoll
    /// Whether there is a buzzer to drive.
    var hasBuzzer: Bool { get }
    /// Sounds or silences the buzzer.
    mutating func setBuzzer(_ on: Bool, nowSeconds: Double) throws(GPIOError)
    /// Silences the buzzer and gives the buttons' and buzzer's lines back, at shutdown.
    mutating func releaseStove()
}

/// Devices without buttons or a buzzer.
extension DaemonDevices {
    public mutating func pollButtons(nowSeconds: Double) -> ButtonPoll { ButtonPoll() }
    public var hasBuzzer: Bool { false }
    public mutating func setBuzzer(_ on: Bool, nowSeconds: Double) throws(GPIOError) {}
    public mutating func releaseStove() {}
}

/// The simulated station as the daemon's devices: the plant, the register-level chip behind the
/// real MCP9600 driver, the relay, a shut-off valve, and a helper at the stove who puts each
/// stage's ingredients in the wok a few seconds after the prompt and plates the food when the cook
/// ends, so every cook starts with an empty wok (the person still confirms stages, through
/// wokctl). Stepped by `SimulatedStationStepper`, exactly as `wokctl simulate` steps its cook.
/// Injected faults strike at their time from the start of the first cook and
/// clear after their duration, if they have one; each strikes once however many cooks follow.
///
/// It has the three buttons and a buzzer: a test presses through `buttons` and reads `buzzer`;
/// `wokd --simulate --press BUTTON@SECONDS` plans presses timed as the faults are.
public struct SimulatedDaemonDevices: DaemonDevices {
    private var stepper: SimulatedStationStepper
    /// The stove's buttons (a shared reference a test presses).
    public let buttons: SimulatedButtons
    /// The buzzer (a shared reference a test reads).
    public let buzzer: SimulatedBuzzer

    public init(
        plant: PlantParameters, seed: UInt64, faults: [FaultInjection] = [], presses: [PlannedPress] = []
    ) throws(SimulationError) {
        stepper = try SimulatedStationStepper(
            plant: plant, seed: seed, faults: faults, hasValve: true, cookConfirmsStages: false,
            platesFoodWhenCookEnds: true)
        buttons = SimulatedButtons(planned: presses)
        buzzer = SimulatedBuzzer()
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
    public var summary: String {
        "simulated station (\(stepper.world.plantParameters.name)) with a shut-off valve, buttons next, hold and stop, and a buzzer"
    }

    public mutating func pollButtons(nowSeconds now: Double) -> ButtonPoll {
        ButtonPoll(
            presses: buttons.take(nowSeconds: now, originSeconds: stepper.faultOriginSeconds),
            failures: buttons.readFailure.map { [$0] } ?? [])
    }

    public var hasBuzzer: Bool { true }

    public mutating func setBuzzer(_ on: Bool, nowSeconds now: Double) throws(GPIOError) {
        try buzzer.set(on, atSeconds: now)
    }

    public mutating func releaseStove() {
        try? buzzer.set(false, atSeconds: stepper.world.worldSeconds)
    }
}
