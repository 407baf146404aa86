public import WokCore
public import WokHardware

/// The whole simulated station as the control loop sees it: the wok plant, a register-level
/// MCP9600 read through the real driver, and the relay. The offline simulator and `wokd
/// --simulate` both drive it, so the daemon cooks against exactly the physics the tests measure.
public struct SimulatedStation {
    public let plantParameters: PlantParameters
    public private(set) var plant: WokPlant
    /// The chip the driver talks to; faults are injected here, at the register level.
    public let chip: SimulatedMCP9600
    /// The real MCP9600 driver over the simulated chip.
    public var sensor: MCP9600<SimulatedMCP9600>
    public var relay = SimulatedRelay()
    private var noise: SplitMix64

    public init(
        plant parameters: PlantParameters, chipModel: MCP9600Model = .mcp9600, seed: UInt64
    ) throws(SimulationError) {
        plantParameters = parameters
        plant = WokPlant(parameters: parameters)
        chip = SimulatedMCP9600(model: chipModel)
        chip.present(hotC: plant.sensedC, coldC: parameters.ambientC)
        do {
            sensor = try MCP9600.open(device: chip, configuration: MCP9600Configuration())
        } catch {
            throw .sensorDidNotOpen("\(error)")
        }
        noise = SplitMix64(seed: seed)
    }

    /// Moves the world to `now` under the relay's last command and shows the chip a fresh,
    /// noisy reading of the sensor.
    public mutating func advance(to now: Double) {
        plant.advance(to: now)
        // The cold junction sits on the board, a little above the room.
        chip.present(
            hotC: plant.sensedC + plantParameters.sensor.noiseC * noise.gaussian(), coldC: plantParameters.ambientC + 3)
    }

    /// Food lands in the wok at `now`.
    public mutating func add(_ addition: Addition, at now: Double) {
        plant.advance(to: now)
        plant.add(addition)
    }

    /// Hands the relay's latest state to the burner.
    public mutating func applyRelay() {
        plant.setRelay(closed: relay.command.isOn)
    }

    /// Makes a fault happen in the simulated hardware.
    public mutating func inject(_ kind: InjectedFaultKind) {
        switch kind {
        case .sensorOpen: chip.probe = .open
        case .i2cErrors: chip.busFailure = .timeout
        }
    }
}
