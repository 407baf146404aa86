public import WokCore
public import WokHardware

/// The whole simulated station as the control loop sees it: the wok plant, a register-level
/// MCP9600 read through the real driver, the relay, the shut-off valve, the clock the loop is
/// handed and the wall clock. The offline simulator and `wokd --simulate` both drive it, so the daemon cooks against
/// exactly the physics the tests measure, and faults are injected here for both.
public struct SimulatedStation {
    /// How fast a thermocouple that fell off the wok drifts to the room: a bare or thin sheathed
    /// junction in air near a hot burner has a time constant of seconds to a minute.
    public static let detachedProbeLagSeconds = 20.0
    /// How long `loop-stall` stops the loop when no duration is given.
    public static let defaultStallSeconds = 3.0
    /// Spikes step the reading by this much, up or down.
    public static let spikeMagnitudeC = 25.0...120.0
    /// The wall clock jumps back by up to this much...
    public static let clockBackSeconds = 1.0...120.0
    /// ...or leaps forward by this much (an NTP step, a person setting the clock, a Pi without a
    /// real-time clock set right once it reaches the network).
    public static let clockLeapSeconds = 30.0...3600.0

    public let plantParameters: PlantParameters
    public private(set) var plant: WokPlant
    /// The chip the driver talks to; sensor faults are injected here, at the register level.
    public let chip: SimulatedMCP9600
    /// The real MCP9600 driver over the simulated chip.
    public var sensor: MCP9600<SimulatedMCP9600>
    public var relay = SimulatedRelay()
    public var valve = SimulatedValve()
    /// The ignition controller's flame-proven input, fed from the plant's flame; the loop reads it
    /// on a station whose file has `devices.flameSense`.
    public var flameSense = SimulatedFlameSense()
    private var noise: SplitMix64
    /// Draws for fault magnitudes, apart from the noise so a fault does not shift the noise.
    private var faultRandom: SplitMix64
    private var lastAdvanceSeconds = 0.0
    /// The reading of a thermocouple that has fallen off the wok; nil while it is on.
    public private(set) var detachedProbeC: Double?
    /// Added to what the chip measures (a spike).
    public private(set) var spikeOffsetC = 0.0
    /// The loop gets no tick before this world time (a stall).
    public private(set) var stalledUntilSeconds: Double?
    /// The station's wall clock, which a jump steps; the loop's clock is the world's time.
    public let wallClock = SimulatedWallClock()

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
        faultRandom = SplitMix64(seed: seed ^ 0xFA17_FA17)
    }

    /// The world's time: the plant's clock.
    public var worldSeconds: Double { plant.timeSeconds }

    /// Moves the world to `now` under the relay's last state and shows the chip a fresh, noisy
    /// reading of whatever the thermocouple now touches.
    public mutating func advance(to now: Double) {
        plant.advance(to: now)
        let dt = max(0, now - lastAdvanceSeconds)
        lastAdvanceSeconds = max(lastAdvanceSeconds, now)
        var probeC = plant.sensedC
        if var detached = detachedProbeC {
            detached += (plantParameters.ambientC - detached) * min(1, dt / Self.detachedProbeLagSeconds)
            detachedProbeC = detached
            probeC = detached
        }
        // The cold junction sits on the board, a little above the room.
        chip.present(
            hotC: probeC + spikeOffsetC + plantParameters.sensor.noiseC * noise.gaussian(),
            coldC: plantParameters.ambientC + 3, atSeconds: now)
        flameSense.present(plant.isFlameBurning ? .proven : .absent)
    }

    /// Food lands in the wok at `now`.
    public mutating func add(_ addition: Addition, at now: Double) {
        plant.advance(to: now)
        plant.add(addition)
    }

    /// The cook takes the food out of the wok at `now` (see `WokPlant.plateFood()`).
    public mutating func plateFood(at now: Double) {
        plant.advance(to: now)
        plant.plateFood()
    }

    /// Hands the relay's contact and the valve's state to the burner.
    public mutating func applyRelay() {
        plant.gasShutOff = !valve.isOpen
        plant.setRelay(closed: relay.contactClosed)
    }

    /// Whether gas reaches a lit-able burner: the relay's contact closed and the valve open.
    public var burnerFed: Bool { relay.contactClosed && valve.isOpen }

    /// The time to hand the control loop at world time `now`, or nil while the loop is stalled.
    public mutating func loopSeconds(atWorldSeconds now: Double) -> Double? {
        if let until = stalledUntilSeconds {
            guard now >= until else { return nil }
            stalledUntilSeconds = nil
        }
        return now
    }

    /// Makes a fault happen in the simulated hardware or clock, now. `durationSeconds` only
    /// matters for a stall (how long the loop stops); other causes last until `clear(_:)`.
    public mutating func inject(_ kind: InjectedFaultKind, durationSeconds: Double? = nil) {
        switch kind {
        case .sensorOpen: chip.probe = .open
        case .sensorShort: chip.probe = .shorted
        case .i2cErrors: chip.busFailure = .timeout
        case .deviceGone: chip.isPresent = false
        case .frozen: chip.isFrozen = true
        case .spike:
            let magnitude = faultRandom.uniform(Self.spikeMagnitudeC)
            spikeOffsetC = faultRandom.unit() < 0.5 ? magnitude : -magnitude
        case .flameOut: plant.flameOut = true
        case .sensorDetached: detachedProbeC = detachedProbeC ?? plant.sensedC
        case .relayWelded: relay.isWelded = true
        case .loopStall: stalledUntilSeconds = worldSeconds + (durationSeconds ?? Self.defaultStallSeconds)
        case .clockJump:
            wallClock.step(
                by: faultRandom.unit() < 0.5
                    ? -faultRandom.uniform(Self.clockBackSeconds) : faultRandom.uniform(Self.clockLeapSeconds))
        case .cookAway: break  // the virtual cook's fault, not the station's
        }
    }

    /// The cause of a fault goes away: the probe is plugged back, the bus recovers, the relay is
    /// replaced, the clock is set right. Acknowledging the latched fault is then up to a person.
    public mutating func clear(_ kind: InjectedFaultKind) {
        switch kind {
        case .sensorOpen, .sensorShort: chip.probe = .connected
        case .i2cErrors: chip.busFailure = nil
        case .deviceGone: chip.isPresent = true
        case .frozen: chip.isFrozen = false
        case .spike: spikeOffsetC = 0
        case .flameOut: plant.flameOut = false
        case .sensorDetached: detachedProbeC = nil
        case .relayWelded: relay.repair()
        case .loopStall: stalledUntilSeconds = nil
        case .clockJump: wallClock.setRight()
        case .cookAway: break
        }
    }
}
