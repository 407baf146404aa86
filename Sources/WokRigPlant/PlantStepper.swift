// One step of the plant: relay level in, thermal model forward, registers out. No clock, no files.
public import WokCore
internal import WokHardware
public import WokSimulator

/// What the plant saw over its run, printed when it stops.
public struct PlantSummary: Sendable, Equatable {
    /// Steps taken.
    public var steps = 0
    /// Steps that started after their deadline (the VM stalled or the host was busy).
    public var lateSteps = 0
    /// Times the relay changed state.
    public var relaySwitches = 0
    /// Steps whose line level could not be read (each taken as off).
    public var unreadableLine = 0
    /// Times the flame-proven input changed (lit, or gone out).
    public var flameChanges = 0
    /// Writes of the flame-proven input's pull that failed.
    public var failedFlameWrites = 0
    /// Batches of food the rig tipped in.
    public var foodAdded = 0
    /// The hottest the steel got, °C.
    public var maxWokC = -Double.infinity
    /// How long the loop ran.
    public var seconds = 0.0

    /// An empty summary.
    public init() {}
}

/// The wok's thermal model driven by the relay line's level, writing what an MCP9600 would show.
///
/// The reading written is the thermocouple's lagged view of the steel plus seeded noise; STATUS
/// carries "T_H updated" and, while the flags say so, the open- or short-circuit bit. While
/// `frozen` is set the temperatures stay as they were and STATUS loses the "updated" bit, as a
/// hung converter's would; while `flameOut` is set the flame is out whatever the relay does.
public struct PlantStepper: Sendable {
    /// The thermal model.
    public private(set) var plant: WokPlant
    /// A relay module that closes on a low line.
    public let activeLow: Bool
    /// The relay's state after the last step.
    public private(set) var relayOn = false
    /// Counts so far (the loop fills in timing).
    public private(set) var summary = PlantSummary()
    private var noise: SplitMix64

    /// Standard deviation of the cold-junction reading's noise, °C (a board sensor is quiet).
    static let coldJunctionNoiseC = 0.05

    /// A stepper over `plant`, its noise drawn from `seed`.
    public init(plant: WokPlant, activeLow: Bool, seed: UInt64) {
        self.plant = plant
        self.activeLow = activeLow
        noise = SplitMix64(seed: seed)
    }

    /// Takes one step at `nowSeconds` of plant time: `lineLevel` nil means unreadable.
    public mutating func step<Writer>(
        atSeconds nowSeconds: Double, lineLevel: Int?, flags: PlantFlags, chip: inout StubChip<Writer>
    ) {
        let on: Bool
        if let lineLevel {
            on = (lineLevel == 1) != activeLow
        } else {
            // An unreadable line is taken as off: the plant must never light a burner it cannot see.
            summary.unreadableLine += 1
            on = false
        }
        if on != relayOn { summary.relaySwitches += 1 }
        relayOn = on
        plant.setRelay(closed: on)
        plant.flameOut = flags.flameOut
        plant.advance(to: nowSeconds)
        summary.maxWokC = max(summary.maxWokC, plant.wokC)
        let status = Self.status(flags)
        if flags.frozen {
            chip.writeStatus(status & ~MCP9600Registers.Status.temperatureUpdatedMask)
        } else {
            let hotC = plant.sensedC + plant.parameters.sensor.noiseC * noise.gaussian()
            let coldC = plant.parameters.ambientC + Self.coldJunctionNoiseC * noise.gaussian()
            chip.writeConversion(hotC: hotC, coldC: coldC, status: status)
        }
        summary.steps += 1
    }

    /// STATUS as the flags make it: "updated", plus bit 4 for an open and bit 5 for a short circuit.
    public static func status(_ flags: PlantFlags) -> UInt8 {
        var status = MCP9600Registers.Status.temperatureUpdatedMask
        if flags.openCircuit { status |= MCP9600Registers.Status.inputRangeOrOpenCircuitMask }
        if flags.shortCircuit { status |= MCP9600Registers.Status.shortCircuitMask }
        return status
    }

    /// Whether a flame burns now, as the ignition controller's flame-proven output would say.
    public var flameBurning: Bool { plant.isFlameBurning }

    /// Food lands in the wok at `nowSeconds` of plant time.
    public mutating func add(_ addition: Addition, atSeconds nowSeconds: Double) {
        plant.advance(to: nowSeconds)
        plant.add(addition)
        summary.foodAdded += 1
    }

    mutating func countLateStep() { summary.lateSteps += 1 }

    mutating func countFlameChange(written: Bool) {
        if written { summary.flameChanges += 1 } else { summary.failedFlameWrites += 1 }
    }

    mutating func finish(afterSeconds seconds: Double) { summary.seconds = seconds }
}
