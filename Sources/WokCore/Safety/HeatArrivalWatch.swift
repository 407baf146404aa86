/// Watches that the burner's heat arrives at the wok, from the energy balance of the steel rather
/// than from a timer, so it neither depends on how a controller drives the burner nor on how long
/// a load holds the wok down.
///
/// The steel's heating rate is the burner's rate while the flame is lit, less the load (the
/// kitchen's losses and the food). The load can only grow in two ways: the wok gets hotter (losses
/// and the food's draw rise with the steel's temperature), or food lands (the recipe says when).
/// Food already in the wok only ever draws less as it warms or its water boils away. So, from any
/// moment on, the steel can do no worse than a lower bound: the net rate it had then, plus the
/// burner's rate whenever the flame is lit and was not, less the burner's rate whenever it is off
/// and was lit (each at the end of its tolerance that makes the bound lower), less a load growing
/// at most `loadGrowthPerSecondPerC` for every degree above where it started. The bound runs
/// through the same delay and lag as the thermocouple, and the reading must not fall below it.
///
/// A flame that goes out, or never lights, takes the burner's whole rate away at once; a probe off
/// the steel falls towards the room whatever the burner does. Either drops the reading under a
/// bound started before it within a few seconds, whether the wok was rising, flat at boiling, or
/// falling under cold food. A bound started after the fault has the fault in its start: bounds are
/// started once a second and kept for `horizonSeconds`, long enough for the older ones to see it.
///
/// Food landing also pulls the reading under every bound. While a stage that adds food is within
/// its landing window, the first such fall is taken as the food (and any more within
/// `landingLotsSeconds`, a cook tipping it in by the handful); the bounds restart once the
/// observer has taken in the new load. A flame that went out just before or just after the food
/// landed would hide in that fall, so the flame then owes a proof: the wok rising (nothing but
/// heat raises it), or, if it has not risen by the time the bounds are back, a short burner-off
/// pulse in which the wok must cool faster than it did with the burner on (`FlameProof`).
struct HeatArrivalWatch: Sendable {
    /// The figures the bounds are built from, all from the station file.
    struct Figures: Sendable, Equatable {
        var periodSeconds: Double
        var sensorLagSeconds: Double
        var sensorDeadTimeSeconds: Double
        var ignitionDelaySeconds: Double
        /// The burner's full-power heating rate of the empty wok (°C/s), as measured or guessed.
        var burnerRateCPerSecond: Double
        /// How far the true rate may be from that figure, as a share of it.
        var burnerRateTolerance: Double
        /// Whether an ignition controller proves the flame (`devices.flameSense`): then the flame
        /// owes no proof of its own, and the burner is never held off for one.
        var flameIsProvenByInput: Bool

        init(station: Station) {
            periodSeconds = station.control.periodSeconds
            sensorLagSeconds = station.control.sensorLagSeconds
            sensorDeadTimeSeconds = station.control.sensorDeadTimeSeconds
            ignitionDelaySeconds = station.control.burnerIgnitionDelaySeconds
            burnerRateCPerSecond = station.safety.burnerRateCPerSecond
            burnerRateTolerance = station.safety.burnerRateTolerance
            flameIsProvenByInput = station.devices?.flameSense != nil
        }

        /// The least the lit burner adds to the steel's rate.
        var lowRate: Double { burnerRateCPerSecond * max(0, 1 - burnerRateTolerance) }
        /// The most it adds (so the most it takes away when it goes out or off).
        var highRate: Double { burnerRateCPerSecond * (1 + burnerRateTolerance) }
    }

    /// How fast the load may grow as the steel warms, per second per °C above a bound's start.
    /// An empty wok's losses grow about 0.006 /s per °C at 250 °C (convection plus radiation's T³);
    /// food couples to the steel at about 25 W/(kg·K), so 1.5 kg of it on a light 0.6 kJ/K wok
    /// adds 0.06. 0.1 keeps a margin over both together: the bound flattens out within about ten
    /// seconds of rising, where a healthy wok keeps rising.
    static let loadGrowthPerSecondPerC = 0.1
    /// A new bound starts this often: fine enough that one starts soon before any fault.
    static let boundEverySeconds = 1.0
    /// Most bounds kept (memory stays fixed whatever the figures).
    static let maxBounds = 64
    /// Readings under a bound must persist this long before it trips: one stray reading is noise.
    static let confirmSeconds = 1.0
    /// The reading's noise counts this many times its root mean square in the allowance.
    static let noiseMultiple = 5.0
    /// A bound started while the observer still misses the reading by more than its noise (its
    /// model of the wok not yet back on it after a change) allows this many times the excess.
    static let unsettledMissMultiple = 2.0
    /// How far back the load and the noise are kept: the noise's quietest minute.
    static let historySeconds = 60.0
    /// The load's trend before a flame proof is measured over this long: a few of the observer's
    /// load times, so its wobble averages out.
    static let loadTrendSeconds = 6.0
    /// A first reading within this of the converter's board is a wok at rest. Near the room a wok
    /// cools or warms by a tenth of a degree a second at most (a few watts against 600 J/K or more).
    static let atRestC = 15.0
    /// What a wok taken to be at rest may in fact drift by before the observer has caught it.
    static let atRestDriftC = 1.0
    /// How long into a stage that adds food a fall may be its food landing: the prompt asks for it
    /// as the stage starts, and a cook at the stove tips it in within half a minute (the virtual
    /// cook takes 3 to 8 s). Later, a fall is a fault: the longer this, the longer a flame out or
    /// a fallen probe at the start of such a stage can pass for the food.
    static let landingWindowSeconds = 30.0
    /// After food is taken as landing, more falls within this long are the rest of it.
    static let landingLotsSeconds = 10.0

    let figures: Figures
    /// How long a flame proof's pulse lasts (`FlameProof.Pulse.length`).
    let pulseLengthSeconds: Double
    /// How long a bound lives: the dead time and three lags for a fall to show through the
    /// sensor, plus the time the lowest burner rate takes to open a gap of the allowance, twice.
    let horizonSeconds: Double
    /// How long the observer needs to take in a new load (after food lands, or at the start).
    let settleSeconds: Double

    private var observer: WokObserver?
    /// The live bounds, oldest first, in fixed storage (see `HeatBoundRing`).
    private var bounds: HeatBoundRing
    private var proof: FlameProof?
    /// The observer's load and noise, once a second over the last `historySeconds`: a pulse is fair only
    /// once it has stopped rising (a flame that just went out is still being taken in).
    private var loadHistory: [(seconds: Double, load: Double, missRMS: Double)] = []
    /// Whether the observer started from a wok at rest (bounds started before it settled carry the
    /// allowance for a wok that was in fact drifting slightly).
    private var startedAtRest = false
    private var observerSettledAtSeconds = -Double.infinity
    /// Whether the running cook has been judged since it started.
    private var judgedCook = false
    private var lastCookElapsedSeconds = 0.0
    private var lastSeconds: Double?
    private var lastBoundSeconds = -Double.infinity
    /// No bounds start before this (the observer is still taking in a load).
    private var quietUntilSeconds = -Double.infinity
    /// Whether the relay is closed, and since when (the flame lights an ignition delay later).
    private var burnerOn = false
    private var burnerOnSinceSeconds = 0.0
    private var lastSwitchSeconds = -Double.infinity
    /// Since when the reading has been under a bound (nil: it is not).
    private var underSinceSeconds: Double?
    /// The stage whose food has been taken as landed, and until when more of it may land.
    private var landedStage: Int?
    private var landingLotsUntilSeconds = -Double.infinity

    init(figures: Figures) {
        self.figures = figures
        let lag = figures.sensorLagSeconds
        pulseLengthSeconds = FlameProof.Pulse.length(figures)
        settleSeconds = figures.sensorDeadTimeSeconds + 4 * lag + 2 * WokObserver.loadSeconds
        let gapSeconds = Self.allowanceFloorC(figures) / max(figures.lowRate, 0.1)
        horizonSeconds = min(
            figures.sensorDeadTimeSeconds + 3 * lag + 2 * gapSeconds + Self.confirmSeconds,
            Double(Self.maxBounds) * Self.boundEverySeconds)
        bounds = HeatBoundRing(
            capacity: Self.maxBounds,
            lineLength: WokObserver.delaySlots(deadTimeSeconds: figures.sensorDeadTimeSeconds, periodSeconds: figures.periodSeconds),
            periodSeconds: figures.periodSeconds)
    }

    /// What the reading may fall under a bound without meaning anything, before noise: the
    /// observer's start can be off by what a wrong burner figure does before the load catches up
    /// (tolerance × rate × the observer's load time), and a flame may light an ignition delay late.
    static func allowanceFloorC(_ figures: Figures) -> Double {
        figures.burnerRateTolerance * figures.burnerRateCPerSecond * WokObserver.loadSeconds + figures.highRate
            * figures.ignitionDelaySeconds
    }

    /// What the watch found this tick.
    enum Finding: Sendable, Equatable {
        /// The reading fell this far under what the steel can do, for `seconds`; `flameExpected`
        /// says whether the burner was lit (a flame out) or off (only a probe off the steel).
        case heatMissing(shortfallC: Double, seconds: Double, flameExpected: Bool)
        /// The burner was held off to prove the flame, and the wok cooled no faster than before.
        case noFlameInProof(expectedDropC: Double, droppedC: Double, pulseSeconds: Double)
    }

    /// The relay's command that holds until the next reading.
    mutating func burnerCommanded(_ command: BurnerCommand, nowSeconds now: Double) {
        if command.isOn != burnerOn { lastSwitchSeconds = now }
        if command.isOn, !burnerOn { burnerOnSinceSeconds = now }
        burnerOn = command.isOn
    }

    /// Forgets everything, the observer too (a gap in the readings, an unreadable sensor).
    mutating func reset() {
        observer = nil
        loadHistory.removeAll(keepingCapacity: true)
        lastSeconds = nil
        forgetCook()
    }

    /// Forgets what was judged of a cook; the observer keeps following the wok.
    private mutating func forgetCook() {
        bounds.removeAll()
        proof = nil
        underSinceSeconds = nil
        landedStage = nil
        landingLotsUntilSeconds = -.infinity
    }

    /// Whether the watch is holding the burner off to prove the flame.
    var holdsBurnerOff: Bool { proof?.isPulsing ?? false }

    /// One trusted reading. The observer follows the wok always, so it has settled when a cook
    /// starts; a cook is judged only while `judging` (one runs and nothing is latched).
    /// `boardC` is the converter's own (cold-junction) temperature, when it reads one.
    mutating func observe(celsius: Double, boardC: Double? = nil, nowSeconds now: Double, context: SafetyContext, judging: Bool) -> Finding? {
        let dt = lastSeconds.map { now - $0 } ?? 0
        // A gap the loop did not run (or a clock that went back) leaves nothing to compare with.
        if dt < 0 || dt > 4 * figures.periodSeconds + 1e-9 { reset() }
        lastSeconds = now

        let flame = flameSeconds(overSeconds: dt, endingAt: now)
        // Updated in place: a copy out and back would share the model's delay line with the
        // copy, and the update would then copy the line too, every tick.
        if observer != nil {
            observer?.update(measuredC: celsius, seconds: dt, flameSeconds: flame)
        } else {
            observer = WokObserver(
                lagSeconds: figures.sensorLagSeconds, deadTimeSeconds: figures.sensorDeadTimeSeconds,
                periodSeconds: figures.periodSeconds, fullPowerRateCPerSecond: figures.burnerRateCPerSecond, startC: celsius)
            // A wok at the board's temperature is at rest: the model's start (no heat flowing) is
            // right, and bounds may start at once.
            let atRest = boardC.map { abs(celsius - $0) <= Self.atRestC } ?? false
            quietUntilSeconds = atRest ? now : now + settleSeconds
            observerSettledAtSeconds = now + settleSeconds
            startedAtRest = atRest
            return nil
        }
        recordLoad(now: now)
        guard judging, context.cookRunning else {
            forgetCook()
            judgedCook = false
            return nil
        }
        // A cook that follows another without an idle tick between starts its clock again.
        if judgedCook, context.cookElapsedSeconds < lastCookElapsedSeconds {
            forgetCook()
            judgedCook = false
        }
        lastCookElapsedSeconds = context.cookElapsedSeconds
        if !judgedCook {
            judgedCook = true
            // A cook that starts before the observer has settled has no sound bound yet: a flame
            // that never lights, or a probe already off the steel, would be taken as normal.
            if now < quietUntilSeconds { proof = .owed(lowestC: nil) }
        }
        let share = dt > 0 ? flame / dt : (flameLit(at: now) ? 1 : 0)
        bounds.advance(seconds: dt, flameShare: share, figures: figures)
        // Bounds start in time order (a clock that goes back resets the watch), so those past the
        // horizon are the oldest.
        while let oldest = bounds.first, now - oldest.startedAtSeconds > horizonSeconds { bounds.removeOldest() }

        if let finding = judge(celsius: celsius, now: now, context: context) { return finding }
        if let finding = followProof(celsius: celsius, now: now, seconds: dt) { return finding }
        startBoundIfDue(now: now)
        return nil
    }

    /// Moves the flame's proof on; a finding when a pulse showed no flame.
    /// The proof is stepped in place: a copy out and back would copy its pulse's model too.
    private mutating func followProof(celsius: Double, now: Double, seconds: Double) -> Finding? {
        guard proof != nil, observer != nil else { return nil }
        if figures.flameIsProvenByInput {
            proof = nil
            return nil
        }
        // Only what the wok does once the bounds are back counts: a flame that went out before
        // then is in every bound's start. And only while the flame should burn: a rise is owed
        // from the burner, and a pulse needs a flame to put out.
        guard now >= quietUntilSeconds else { return nil }
        if proof?.isOwed == true, !flameLit(at: now) {
            proof = .owed(lowestC: nil)
            return nil
        }
        guard let stepped = proof?.step(celsius: celsius, nowSeconds: now, seconds: seconds, figures: figures) else { return nil }
        switch stepped {
        case .proven:
            proof = nil
            return nil
        case .noFlame(let expectedDropC, let droppedC, let pulseSeconds):
            proof = nil
            return .noFlameInProof(expectedDropC: expectedDropC, droppedC: droppedC, pulseSeconds: pulseSeconds)
        case .waiting:
            // Owed and not shown by a rise in the time the sensor takes to show one: pulse, once
            // the observer has taken in whatever changed last.
            let litFor = now - max(quietUntilSeconds, burnerOnSinceSeconds + figures.ignitionDelaySeconds)
            if proof?.isOwed == true, litFor + 1e-9 >= figures.sensorLagSeconds + figures.sensorDeadTimeSeconds,
                !loadIsRising(now: now), loadIsSteady(forPulseOf: pulseLengthSeconds), let observer
            {
                proof = .pulsing(FlameProof.Pulse(observer: observer, startedAtSeconds: now, figures: figures))
            }
            return nil
        }
    }

    private mutating func judge(celsius: Double, now: Double, context: SafetyContext) -> Finding? {
        // The worst shortfall under any bound old enough for its start to be sound.
        var worst: (shortfall: Double, allowance: Double)?
        for bound in bounds {
            let shortfall = bound.junctionC - celsius
            let allowance = bound.allowanceC + bound.driftCPerSecond * (now - bound.startedAtSeconds)
            if shortfall > allowance, shortfall - allowance > (worst.map { $0.shortfall - $0.allowance } ?? 0) {
                worst = (shortfall, allowance)
            }
        }
        guard let worst else {
            underSinceSeconds = nil
            return nil
        }
        if takesAsLanding(now: now, context: context) {
            bounds.removeAll()
            underSinceSeconds = nil
            quietUntilSeconds = now + settleSeconds
            proof = .owed(lowestC: nil)
            return nil
        }
        let since = underSinceSeconds ?? now
        underSinceSeconds = since
        guard now - since + 1e-9 >= Self.confirmSeconds else { return nil }
        return .heatMissing(shortfallC: worst.shortfall, seconds: now - since, flameExpected: flameLit(at: now))
    }

    /// Whether a fall under the bounds now is the stage's food landing.
    private mutating func takesAsLanding(now: Double, context: SafetyContext) -> Bool {
        if now < landingLotsUntilSeconds { return true }
        guard context.stageAddsFood, let stage = context.stageIndex, landedStage != stage,
            context.stageElapsedSeconds < Self.landingWindowSeconds
        else { return false }
        landedStage = stage
        landingLotsUntilSeconds = now + Self.landingLotsSeconds
        return true
    }

    /// Whether the observer's load has risen by a quarter of the burner's lowest rate over the
    /// time a change takes to show through the sensor and be taken in.
    private func loadIsRising(now: Double) -> Bool {
        guard let observer else { return true }
        let since = now - settleSeconds
        let lowest = loadHistory.filter { $0.seconds >= since }.map(\.load).min() ?? observer.loadCPerSecond
        return observer.loadCPerSecond - lowest > figures.lowRate / 4
    }

    /// Whether the load is steady enough for a pulse of `seconds` to be judged against a steady
    /// wok: food warming up, or a wok cooling towards its food, eases the load, and a pulse judged
    /// while it eases fast would miss a lit flame's drop. A quarter of the burner's lowest rate
    /// over the pulse is the most it may change.
    private func loadIsSteady(forPulseOf seconds: Double) -> Bool {
        abs(loadTrend()) * seconds <= figures.lowRate / 4
    }

    /// The observer's load's slope (°C/s each second) over the last `loadTrendSeconds`.
    private func loadTrend() -> Double {
        guard let last = loadHistory.last else { return 0 }
        let recent = loadHistory.filter { last.seconds - $0.seconds <= Self.loadTrendSeconds }
        guard recent.count >= 3 else { return 0 }
        let meanT = recent.map(\.seconds).reduce(0, +) / Double(recent.count)
        let meanL = recent.map(\.load).reduce(0, +) / Double(recent.count)
        let spread = recent.map { ($0.seconds - meanT) * ($0.seconds - meanT) }.reduce(0, +)
        guard spread > 0 else { return 0 }
        return recent.map { ($0.seconds - meanT) * ($0.load - meanL) }.reduce(0, +) / spread
    }

    /// The reading's noise: the observer's quietest root-mean-square miss over the load history.
    /// Its latest is swollen by any change it is still taking in (food, a flame going out), which
    /// would make the bounds started then blind to the very thing they are for.
    private func quietNoiseC(_ observer: WokObserver) -> Double {
        loadHistory.lazy.map(\.missRMS).min() ?? observer.missRMSC
    }

    private mutating func recordLoad(now: Double) {
        guard let observer, now - (loadHistory.last?.seconds ?? -.infinity) + 1e-9 >= Self.boundEverySeconds else { return }
        loadHistory.append((now, observer.loadCPerSecond, observer.missRMSC))
        if let first = loadHistory.first, now - first.seconds > Self.historySeconds { loadHistory.removeFirst() }
        if loadHistory.count > Int(Self.historySeconds / Self.boundEverySeconds) + 1 { loadHistory.removeFirst() }
    }

    private mutating func startBoundIfDue(now: Double) {
        guard let observer, now >= quietUntilSeconds, now - lastBoundSeconds + 1e-9 >= Self.boundEverySeconds else { return }
        lastBoundSeconds = now
        let noise = quietNoiseC(observer)
        var allowance =
            Self.allowanceFloorC(figures) + Self.noiseMultiple * noise + Self.unsettledMissMultiple * max(0, observer.missRMSC - noise)
        if startedAtRest, now < observerSettledAtSeconds { allowance += Self.atRestDriftC }
        // A full ring ages its oldest bound out to take the new one.
        bounds.append(
            HeatBound(
                observer: observer, flameLit: flameLit(at: now), startedAtSeconds: now, allowanceC: allowance,
                driftCPerSecond: startRateUncertainty(now: now)),
            from: observer)
    }

    /// How wrong the observer's rate may still be from the last switch: a burner figure off by its
    /// tolerance puts the model's rate off by that much at each switch, until the sensor has shown
    /// it (dead time and lag) and the load has taken it in (its time constant). A bound started
    /// then keeps that error, so its allowance grows by it every second.
    private func startRateUncertainty(now: Double) -> Double {
        let shown = now - lastSwitchSeconds - figures.sensorDeadTimeSeconds - figures.sensorLagSeconds
        let left = shown <= 0 ? 1 : Self.decay(shown / WokObserver.loadSeconds)
        return figures.burnerRateTolerance * figures.burnerRateCPerSecond * left
    }

    /// e^(-x) for x ≥ 0, from its halvings (WokCore has no maths library).
    static func decay(_ x: Double) -> Double {
        guard x < 40 else { return 0 }
        var halvings = max(0, x) / 0.693_147_180_559_945_3
        var value = 1.0
        while halvings >= 1 {
            value /= 2
            halvings -= 1
        }
        // 2^-h for the remaining 0 ≤ h < 1, to within a percent: plenty for an allowance.
        return value * (1 - 0.5 * halvings - 0.09 * halvings * (1 - halvings))
    }

    /// Whether the flame should be burning at `time`: the relay closed an ignition delay ago.
    private func flameLit(at time: Double) -> Bool {
        burnerOn && time - burnerOnSinceSeconds + 1e-9 >= figures.ignitionDelaySeconds
    }

    /// Seconds the flame should have burnt in the tick just ended.
    private func flameSeconds(overSeconds dt: Double, endingAt now: Double) -> Double {
        guard burnerOn, dt > 0 else { return 0 }
        let litFrom = burnerOnSinceSeconds + figures.ignitionDelaySeconds
        return min(dt, max(0, now - max(litFrom, now - dt)))
    }
}

/// What the heat-arrival check promises, for the fault campaign and the docs.
public enum HeatArrivalPromise {
    /// The longest a flame out or a fallen probe that strikes as a stage's food lands can pass for
    /// the food: the landing window and the rest of the food after it, the observer taking in the
    /// new load, then the flame's proof (a lag for a rise to show, and the pulse).
    public static func landingAllowanceSeconds(_ station: Station) -> Double {
        let watch = HeatArrivalWatch(figures: HeatArrivalWatch.Figures(station: station))
        return HeatArrivalWatch.landingWindowSeconds + HeatArrivalWatch.landingLotsSeconds + watch.settleSeconds
            + station.control.sensorDeadTimeSeconds + station.control.sensorLagSeconds + watch.pulseLengthSeconds
            + HeatArrivalWatch.confirmSeconds
    }

    /// How long into a stage that adds food a fall may be taken as the food.
    public static let landingWindowSeconds = HeatArrivalWatch.landingWindowSeconds
}
