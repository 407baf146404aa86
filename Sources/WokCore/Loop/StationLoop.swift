/// What one tick did, for watchers, traces and history.
public struct TickReport: Sendable {
    public var nowSeconds: Double
    /// The reading the tick trusted; nil when there was none.
    public var measuredC: Double?
    public var targetC: Double?
    public var duty: Double
    /// What the relay was actually set to after the safety gate.
    public var burner: BurnerCommand
    public var state: CookState
    public var stageIndex: Int?
    public var events: [CookEvent]
    /// Whether the shut-off valve is open; nil without a valve, or when its state is unknown.
    public var valveOpen: Bool?
    /// The reading as people are shown it, trusted by control or not (a fault latched); nil when
    /// none decoded. Equal to `measuredC`, trusted, whenever control used the reading.
    public var shownReading: ShownReading? = nil
}

/// The one control loop, one tick at a time:
/// read thermocouple -> safety check -> cook session step -> controller -> relay modulator
/// -> safety gate -> relay. The same code runs against simulated and real devices; the shell
/// decides when ticks happen and what `now` is.
public struct StationLoop: Sendable {
    public let station: Station
    public private(set) var safety: SafetyMonitor
    public private(set) var session: CookSession?
    public private(set) var controller: Controller
    public private(set) var modulator: RelayModulator
    /// Events from commands (start, confirm, hold, ...) waiting to go out with the next tick.
    private var pendingEvents: [CookEvent] = []
    /// What the valve was last set to; nil when unknown (never set, or a failed attempt).
    private var valveOpen: Bool?
    /// Whether heating with the burner off, after another fault, has been alarmed.
    private var alarmedHeatingAfterLatch = false
    /// The latched fault already announced, so each is announced once.
    private var announcedFault: SafetyFault?
    /// The fault a person acknowledged last, until the next cook starts (status says what it was).
    public private(set) var lastFault: SafetyFault?

    public init(station: Station, controllerKind: ControllerKind? = nil) {
        self.station = station
        safety = SafetyMonitor(station: station)
        controller = Controller(kind: controllerKind ?? station.control.controller, station: station)
        modulator = RelayModulator(timing: station.relay)
    }

    // Inlined wherever the loop reads it: a call would take the whole loop by value, and the
    // tick (which holds the loop in place) would copy all of it first, as it would for the two
    // helpers below.
    @inline(__always)
    public var state: CookState {
        if safety.latched != nil { return .fault }
        // A cook a fault ended is over once the fault is acknowledged: the station is idle.
        guard let state = session?.state, state != .fault else { return .idle }
        return state
    }

    /// Starts a cook, at its first stage or (continuing an interrupted cook) at `stageIndex`;
    /// refused while a fault is latched or another cook runs.
    public mutating func start(recipe: Recipe, nowSeconds now: Double, atStage stageIndex: Int = 0) throws(StartError) {
        if let fault = safety.latched { throw .faultLatched(fault) }
        if let session, session.isRunning { throw .busy(recipe: session.recipe.name) }
        let problems = RecipeCheck.problems(recipe, on: station)
        guard problems.isEmpty else { throw .recipeRejected(problems) }
        guard recipe.stages.indices.contains(stageIndex) else {
            throw .recipeRejected([
                ConfigProblem(
                    location: "field \"stages\"", message: "has no stage \(stageIndex + 1) to continue from")
            ])
        }
        lastFault = nil
        var fresh = CookSession(recipe: recipe, station: station, nowSeconds: now)
        pendingEvents += fresh.begin(atStage: stageIndex)
        session = fresh
        controller = Controller(kind: controller.kind, station: station)
        // The relay is the same: the switches of the cook before still count against its wear.
        modulator = RelayModulator(timing: station.relay, budget: modulator.budget)
    }

    public mutating func confirm(nowSeconds now: Double) throws(SessionError) {
        guard var current = session else { throw .notRunning }
        pendingEvents += try current.confirm(nowSeconds: now)
        session = current
    }

    public mutating func hold(nowSeconds now: Double) throws(SessionError) {
        guard var current = session else { throw .notRunning }
        pendingEvents += try current.hold(nowSeconds: now)
        session = current
    }

    public mutating func resume(nowSeconds now: Double) throws(SessionError) {
        guard var current = session else { throw .notRunning }
        pendingEvents += try current.resume(nowSeconds: now)
        session = current
    }

    /// Gives the current stage more time (see `CookSession.extend`).
    public mutating func extend(bySeconds seconds: Double, nowSeconds now: Double) throws(SessionError) {
        guard var current = session else { throw .notRunning }
        pendingEvents += try current.extend(bySeconds: seconds, nowSeconds: now)
        session = current
    }

    /// Ends a timed stage now (see `CookSession.finish`).
    public mutating func finish(nowSeconds now: Double) throws(SessionError) {
        guard var current = session else { throw .notRunning }
        pendingEvents += try current.finish(nowSeconds: now)
        session = current
    }

    /// Ends the cook; the next tick drives the relay off (callers that can should also tick at once).
    public mutating func abort(reason: String, nowSeconds now: Double) {
        guard var current = session else { return }
        pendingEvents += current.abort(reason: reason)
        session = current
        modulator.forceOff(nowSeconds: now)
    }

    public mutating func acknowledge() throws(AcknowledgeError) {
        let fault = safety.latched
        let kind = try safety.acknowledge()
        lastFault = fault
        pendingEvents.append(.faultAcknowledged(kind: kind))
    }

    /// Runs one tick against the devices. Every path out of here has set the relay; every
    /// failure to set it off is retried and latched.
    public mutating func tick<Sensor: TemperatureSensor, Relay: BurnerRelay>(
        nowSeconds now: Double, sensor: inout Sensor, relay: inout Relay
    ) -> TickReport {
        var none = NoShutoffValve()
        var noFlame = NoFlameSensor()
        return run(nowSeconds: now, sensor: &sensor, relay: &relay, valve: &none, hasValve: false, flame: &noFlame, hasFlame: false)
    }

    /// Runs one tick on a station with a safety shut-off valve: the valve is open only while a
    /// cook runs with nothing latched, and closes (after the relay opens) on any fault.
    public mutating func tick<Sensor: TemperatureSensor, Relay: BurnerRelay, Valve: ShutoffValve>(
        nowSeconds now: Double, sensor: inout Sensor, relay: inout Relay, valve: inout Valve
    ) -> TickReport {
        var noFlame = NoFlameSensor()
        return run(nowSeconds: now, sensor: &sensor, relay: &relay, valve: &valve, hasValve: true, flame: &noFlame, hasFlame: false)
    }

    /// Runs one tick on a station with a flame-proven input (and a shut-off valve when `valve` is
    /// given): the input is read with the thermocouple and judged by the safety monitor.
    public mutating func tick<Sensor: TemperatureSensor, Relay: BurnerRelay, Valve: ShutoffValve, Flame: FlameSensor>(
        nowSeconds now: Double, sensor: inout Sensor, relay: inout Relay, valve: inout Valve?, flame: inout Flame
    ) -> TickReport {
        guard var present = valve else {
            var none = NoShutoffValve()
            return run(nowSeconds: now, sensor: &sensor, relay: &relay, valve: &none, hasValve: false, flame: &flame, hasFlame: true)
        }
        defer { valve = present }
        return run(nowSeconds: now, sensor: &sensor, relay: &relay, valve: &present, hasValve: true, flame: &flame, hasFlame: true)
    }

    private mutating func run<Sensor: TemperatureSensor, Relay: BurnerRelay, Valve: ShutoffValve, Flame: FlameSensor>(
        nowSeconds now: Double, sensor: inout Sensor, relay: inout Relay, valve: inout Valve, hasValve: Bool,
        flame: inout Flame, hasFlame: Bool
    ) -> TickReport {
        var events = pendingEvents
        pendingEvents = []
        let context = safetyContext(nowSeconds: now)
        let verdict = safety.check(
            nowSeconds: now, reading: sensor.read(), context: context, flame: hasFlame ? flame.read() : nil)
        noteNewFault(&events, hasValve: hasValve)

        var measured: Double?
        if case .trusted(let celsius) = verdict { measured = celsius }
        var duty = 0.0
        var wanted = BurnerCommand.off
        // The session is stepped and read in place: a copy out and back each tick costs more
        // than the step.
        if session?.isRunning == true {
            events += session?.step(nowSeconds: now, measuredC: measured) ?? []
            if let measured, let input = session?.controlInput(nowSeconds: now, measuredC: measured) {
                duty = controller.drive(input, modulator: &modulator)
                // Off means off now: the relay's minimum on time protects the windows of a heat,
                // never a stage whose heat is off.
                if input.targetC == nil { modulator.forceOff(nowSeconds: now) }
                wanted = modulator.command
            }
        }
        var command = safety.gate(wanted, verdict: verdict)

        // Gas first when lighting: the valve opens before the relay may close.
        if hasValve && valveShouldBeOpen && valveOpen != true {
            do {
                try valve.set(open: true)
                valveOpen = true
            } catch {
                valveOpen = nil
                command = .off
                latch(SafetyFault(kind: .valveFailure, reason: "it would not open: \(error)", detectedAtSeconds: now), &events, hasValve: hasValve)
            }
        }
        // When the gate overrules the modulator, a tick without a reading skips it, or no cook
        // drives it, the modulator must know the relay is off: its minimum off time and its count
        // of switches are the relay's.
        if command != modulator.command || !(session?.isRunning ?? false) { modulator.forceOff(nowSeconds: now) }

        do {
            try relay.set(command)
        } catch {
            command = .off
            // Whatever failed, the last thing attempted is off.
            let retried: Bool
            do {
                try relay.set(.off)
                retried = true
            } catch { retried = false }
            let fault = SafetyFault(
                kind: .relayFailure,
                reason: "\(error)\(retried ? "; it then accepted off" : "; setting it off failed too")",
                detectedAtSeconds: now)
            latch(fault, &events, hasValve: hasValve)
            if !retried { events.append(.alarm(reason: "the burner relay cannot be switched off: \(Self.closeTheGas(hasValve))")) }
            modulator.forceOff(nowSeconds: now)
        }
        safety.recordBurner(command, nowSeconds: now)

        // Gas last when stopping: the relay is off, now the valve closes behind it.
        if hasValve && !valveShouldBeOpen && valveOpen != false {
            do {
                try valve.set(open: false)
                valveOpen = false
                if let fault = safety.latched { events.append(.valveClosed(reason: "fault \(fault.kind.rawValue)")) }
            } catch {
                if valveOpen != nil || safety.latched != nil {
                    events.append(.alarm(reason: "the shut-off valve would not close (\(error)): close the gas by hand now"))
                }
                valveOpen = nil
            }
        }

        let report = TickReport(
            nowSeconds: now, measuredC: measured, targetC: session?.isRunning == true ? session?.targetC : nil,
            duty: command == .off && duty > 0 && safety.latched != nil ? 0 : duty, burner: command, state: state,
            stageIndex: session?.isRunning == true ? session?.stageIndex : nil, events: events,
            valveOpen: hasValve ? valveOpen : nil, shownReading: safety.shownReading)
        return report
    }

    /// The valve may pass gas only while a cook runs and nothing is latched.
    @inline(__always)
    private var valveShouldBeOpen: Bool { safety.latched == nil && (session?.isRunning ?? false) }

    /// What the monitor needs to know about the cook, as of the start of this tick.
    @inline(__always)
    private func safetyContext(nowSeconds now: Double) -> SafetyContext {
        session?.safetyContext(nowSeconds: now) ?? .idle
    }

    /// Tells the cook and the watchers about a fault the monitor has just latched; and, once, when
    /// a wok latched for another fault is then seen heating with the burner off (a welded relay
    /// first seen as heat that did not arrive when the burner was told on).
    private mutating func noteNewFault(_ events: inout [CookEvent], hasValve: Bool) {
        if let fault = safety.latched, fault.kind != .heatingWhileOff, safety.heatingSeenWhileOff, !alarmedHeatingAfterLatch {
            alarmedHeatingAfterLatch = true
            events.append(.alarm(reason: "the wok keeps heating with the burner off: \(Self.closeTheGas(hasValve))"))
        }
        if safety.latched == nil { alarmedHeatingAfterLatch = false }
        guard let fault = safety.latched, fault != announcedFault else { return }
        announcedFault = fault
        events.append(.faultLatched(fault))
        if fault.kind == .heatingWhileOff {
            events.append(.alarm(reason: "the wok keeps heating with the burner off: \(Self.closeTheGas(hasValve))"))
        }
        if fault.kind == .flameWhileOff {
            events.append(.alarm(reason: "a flame burns with the burner off: \(Self.closeTheGas(hasValve))"))
        }
        if var current = session, current.isRunning {
            current.fault(fault)
            session = current
        }
    }

    private mutating func latch(_ fault: SafetyFault, _ events: inout [CookEvent], hasValve: Bool) {
        safety.trip(fault)
        noteNewFault(&events, hasValve: hasValve)
    }

    private static func closeTheGas(_ hasValve: Bool) -> String {
        hasValve
            ? "the shut-off valve is being closed; also close the gas at the bottle or tap and check the relay"
            : "there is no shut-off valve: close the gas at the bottle or tap now and check the relay"
    }
}

/// Stands in for the valve on a station without one.
private struct NoShutoffValve: ShutoffValve {
    mutating func set(open: Bool) throws(ValveFailure) {}
}

/// Stands in for the flame-proven input on a station without one; never read.
private struct NoFlameSensor: FlameSensor {
    mutating func read() -> Result<FlameState, FlameSenseFailure> { .success(.absent) }
}

/// Why a cook could not start.
public enum StartError: Error, Sendable, Equatable, CustomStringConvertible {
    case faultLatched(SafetyFault)
    case busy(recipe: String)
    case recipeRejected([ConfigProblem])

    public var description: String {
        switch self {
        case .faultLatched(let fault): "a fault is latched (\(fault)); acknowledge it first"
        case .busy(let recipe): "a cook of \"\(recipe)\" is running"
        case .recipeRejected(let problems): problems.map(\.description).joined(separator: "; ")
        }
    }
}

extension CookSession {
    /// What the controller is told this tick (nil once the cook has ended).
    func controlInput(nowSeconds now: Double, measuredC: Double) -> ControlInput? {
        guard isRunning else { return nil }
        return ControlInput(
            nowSeconds: now, measuredC: measuredC, targetC: targetC, expectedLoadGrams: expectedLoadGrams,
            stageIndex: stageIndex, stageSecondsLeftAtLeast: remainingSeconds)
    }

    /// What the safety monitor needs to know about the cook.
    func safetyContext(nowSeconds now: Double) -> SafetyContext {
        guard isRunning else { return .idle }
        return SafetyContext(
            cookRunning: true, targetC: targetC, stageIndex: stageIndex, stageAddsFood: stageAddsFood,
            stageElapsedSeconds: stageElapsedSeconds, confirmOverdueSeconds: confirmOverdueSeconds,
            cookElapsedSeconds: now - startedAtSeconds, cookPlannedSeconds: plannedSeconds)
    }
}
