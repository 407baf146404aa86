/// The default controller. A gas burner stores no heat: when it goes out, the wok stops gaining
/// at once. What makes a wok overshoot is the thermocouple lagging the steel. So this controller
///
/// 1. rises at full power, the physical limit;
/// 2. keeps a model of the wok (`WokObserver`) that knows when the burner is on, so it sees the
///    steel's temperature and the load on it without the sensor's lag, and cuts the burner as
///    the modelled steel meets the target;
/// 3. holds by planning each relay window as it starts: from the modelled temperature and
///    load, the burn that ends the window at the top of a ripple centred on the target (it
///    drives the station's relay modulator itself, so it knows when windows start and how each
///    kind of window is burnt), with the windows paced so that each stage stays within the
///    relay's switching budget, and each burn placed where the relay's wear budget
///    (`RelaySwitchBudget`, which the modulator enforces) has room for it;
/// 4. goes back to full power when food lands: the recipe says food is coming, and the load
///    the model sees jumps; without an announcement only a clear fall below the band does it.
public struct PredictiveController: Sendable {
    /// Heating rate assumed until the first rise measures it (°C/s at full power).
    public static let assumedFullPowerRateCPerSecond = 2.0
    /// Seconds of readings behind the slope that measures the full-power rate on the first rise.
    public static let slowSlopeSeconds = 8.0
    /// Below the target by more than this (modelled), holding gives way to full power even with
    /// no food announced.
    public static let recoverBelowC = 10.0
    /// A jump in the load, as a share of the burner's full-power rate, that counts as food
    /// landing when the recipe announces it: well above the model's own wobble (a few percent).
    public static let landingLoadShare = 0.12
    /// How many times the readings' noise the unexplained fall must sum to before it counts as
    /// food landing.
    public static let landingFallNoiseMultiple = 4.0
    /// Seconds over which the reference load (before food) is averaged.
    public static let referenceLoadSeconds = 10.0
    /// Share of the miss from the planned ripple a window corrects while the hold is unsettled
    /// (1 would be dead-beat; less keeps the model's errors from rocking the hold while the
    /// load is still moving).
    public static let windowGain = 0.5
    /// The same share once the hold has settled: the plan then uses the load averaged over the
    /// window just ended, which is steady enough to be taken whole, so each window ends where
    /// it was planned to instead of creeping there over several.
    public static let settledWindowGain = 1.0
    /// The ripple's top stays this close to the target: a wok whose ripple is wider than twice
    /// this holds its middle a little below the target rather than peaking far above it.
    public static let rippleTopC = 2.5
    /// Once a hold has settled (a regular window since it began, and no food on its way or the
    /// food seen to land), the ripple's top may come this close instead: the ripple is then
    /// centred on the target (the smallest mean error) unless it is wider than twice this. While
    /// food is on its way a burn under way is ended at `rippleTopC`, so the wok is not at a peak
    /// when the food lands.
    public static let settledRippleTopC = 4.0
    /// The lowest the ripple's middle goes below the target to keep its top low, as a share of
    /// the ripple: a ripple of width R whose middle is s below the target is on average
    /// R / 4 + s² / R from it, so a sixth of R costs a tenth more than a centred ripple. Narrow
    /// ripples never reach it; a strong burner's wide one (15 °C and more) is held about centred,
    /// peaks and all, rather than a third of it below the target.
    public static let deepestMiddleShare = 1.0 / 6
    /// Share of a window's mean error (of the modelled wok) carried into the next window's plan:
    /// it takes out what the model's shape gets wrong (the flame's ignition delay, a full-power
    /// rate measured a little low), which a model alone would leave as a steady offset.
    public static let meanErrorGain = 0.3
    /// Most the plan may be shifted by that correction.
    public static let maxBiasC = 4.0
    /// Announced food sends the burner to full power only when the wok is this far below the
    /// target: a smaller dip is cheaper to take out in the next window than with two extra clicks.
    public static let landingBurstBelowC = 3.0
    /// How far under the relay's wear limit the windows are paced, in switches a minute: a stage
    /// may end part-way through a window, just after its burn began, and still be within its
    /// budget.
    public static let paceMarginPerMinute = 0.1
    /// The longest a window is stretched to pay back switches, in station windows: a debt is
    /// spread over several windows, since a long window lets the wok fall far before its burn.
    public static let longestPacedWindow = 1.2
    /// Switches that may be saved up and spent at once (by a burst, say).
    public static let savedSwitchesAtMost = 1.0
    /// Control ticks a window must have lasted for its mean load to stand in for the present one.
    static let fewestSamplesForMeanLoad = 9
    /// The most the first arrival may raise the measured full-power rate by, as a share of it:
    /// the losses near the room are a small part of a burner's heat.
    public static let lossCorrectionAtMost = 0.25
    /// The first rise must have climbed this far past where its rate was measured for the losses
    /// it reveals to say anything about the losses at that point.
    public static let lossCorrectionClimbC = 40.0
    /// When cooling down to a lower target, the burner comes back this far below it: the first
    /// burn then starts as the wok turns, without first overshooting downwards.
    public static let coolingHandoverC = 1.0

    public let bandC: Double
    public let periodSeconds: Double
    public let relay: Station.RelayTiming
    let lagSeconds: Double
    let deadTimeSeconds: Double
    let ignitionDelaySeconds: Double

    private enum Mode: Sendable { case idle, rising, holding, cooling }
    private var mode = Mode.idle
    private var observer: WokObserver?
    private var slowSlope: SlopeEstimator
    private var windowDuty = 0.5
    /// The length asked of a window that starts this tick (nil: the station's).
    private var nextWindowSeconds: Double?
    /// The lowest the modelled wok was planned to fall in the window under way (at its burn).
    private var plannedLowestC: Double?
    /// The height of the ripple planned for the window under way.
    private var plannedRippleC = 0.0
    /// Switches the pace allows now: it grows at `pacedSwitchesPerMinute`, each switch spends one.
    private var switchAllowance = 0.0
    private var switchesSeen = 0
    /// The pace the windows keep: a little under the relay's wear limit, which is two switches
    /// a station window (12 a minute for 10 s windows).
    let pacedSwitchesPerMinute: Double
    /// The stage the last tick was in, and the least time it still had to run (nil: unknown).
    private var stageIndex: Int?
    private var stageSecondsLeft: Double?
    /// The modelled wok and its load summed over the window under way, for their means.
    private var windowSumC = 0.0
    private var windowLoadSum = 0.0
    private var windowSamples = 0
    /// Regular windows planned since the hold began (the mean error only counts after one).
    private var regularWindows = 0
    private var biasC = 0.0
    private var lastTarget: Double?
    private var lastExpectedGrams = 0.0
    private var lastTime: Double?
    private var risingSinceSeconds = 0.0
    private var hasMeasuredFullPowerRate = false
    /// The reading the first rise started from (the room, when the wok starts cold), and the
    /// reading at the middle of the slope that measured the burner: what the losses at the
    /// measurement are judged from at the first arrival.
    private var firstRiseFromC: Double?
    private var rateMeasuredAtC: Double?
    private var hasCorrectedRateForLosses = false
    /// Watching for announced food: armed when a stage says food is coming, spent by the burst
    /// it brings (or when the recipe stops expecting it).
    private var watchingForFood = false
    /// The announced food has been seen to land (with or without a burst): the hold no longer
    /// waits for it.
    private var foodSeen = false
    private var referenceLoad: Double?
    /// Running sum of how far readings fall below the model beyond their noise (a CUSUM test):
    /// food shows here a second or two before it shows in the load.
    private var unexplainedFallC = 0.0

    public init(settings: Station.ControlSettings, relay: Station.RelayTiming) {
        bandC = settings.bandC
        periodSeconds = settings.periodSeconds
        self.relay = relay
        lagSeconds = settings.sensorLagSeconds
        deadTimeSeconds = settings.sensorDeadTimeSeconds
        ignitionDelaySeconds = settings.burnerIgnitionDelaySeconds
        let wearLimitPerMinute = 2 * 60 / max(relay.windowSeconds, 1e-3)
        pacedSwitchesPerMinute = max(wearLimitPerMinute - Self.paceMarginPerMinute, wearLimitPerMinute / 2)
        slowSlope = SlopeEstimator(capacity: Int((Self.slowSlopeSeconds / settings.periodSeconds).rounded()))
    }

    /// The modelled temperature of the wok itself (nil before the first reading).
    public var estimatedWokC: Double? { observer?.wokC }
    /// The modelled load (losses and food) as a share of full power: the duty that holds.
    public var estimatedSteadyDuty: Double? { observer?.steadyDuty }
    /// The burner's heating at full power as the model has it (°C/s, before losses).
    public var estimatedFullPowerRateCPerSecond: Double? { observer?.fullPowerRateCPerSecond }

    /// One tick: updates the model, decides the duty and drives the station's relay modulator
    /// with it (choosing the length of a window that starts now, and ending a burn early while
    /// food is on its way). Returns the duty.
    public mutating func drive(_ input: ControlInput, modulator: inout RelayModulator) -> Double {
        let step = lastTime.map { max(0, input.nowSeconds - $0) } ?? 0
        lastTime = input.nowSeconds
        slowSlope.add(timeSeconds: input.nowSeconds, value: input.measuredC)
        if observer == nil {
            observer = WokObserver(
                lagSeconds: lagSeconds, deadTimeSeconds: deadTimeSeconds, periodSeconds: periodSeconds,
                fullPowerRateCPerSecond: Self.assumedFullPowerRateCPerSecond, startC: input.measuredC)
        }
        var flameSeconds = 0.0
        if modulator.command.isOn {
            let litAt = modulator.lastSwitchSeconds + ignitionDelaySeconds
            flameSeconds = min(step, max(0, input.nowSeconds - litAt))
        }
        // Updated in place: a copy out and back shares the model's delay line, and the update
        // then copies the line as well, every tick. What the tick decides from is the model as
        // it stands now (a correction of its rate during the decision is for the next tick).
        observer?.update(measuredC: input.measuredC, seconds: step, flameSeconds: flameSeconds)
        guard let model = observer else { return 0 }
        windowSumC += model.wokC
        windowLoadSum += model.loadCPerSecond
        windowSamples += 1

        switchAllowance += step * pacedSwitchesPerMinute / 60
        // Nothing is saved up beyond the cap while no window is under way (a rise, say).
        if mode != .holding { switchAllowance = min(switchAllowance, Self.savedSwitchesAtMost) }
        // Each stage's switches are counted against its own time (that is how a cook's relay
        // wear is judged): what the stage before saved is not spent here; what it owes is paid.
        if input.stageIndex != stageIndex { switchAllowance = min(switchAllowance, 0) }
        stageIndex = input.stageIndex
        stageSecondsLeft = input.stageSecondsLeftAtLeast
        nextWindowSeconds = nil
        let duty = decide(input: input, model: model, modulator: modulator)
        _ = modulator.output(duty: duty, nowSeconds: input.nowSeconds, windowSeconds: nextWindowSeconds)
        // While food is on its way, a burn is ended before the wok passes the ripple's top; the
        // next chance to end it is a tick away, so look a whole tick ahead. A ripple too wide to
        // keep its top that low keeps its middle no lower than the plan lets it sink (a sixth of
        // the ripple below the target), its top that much higher.
        let foodTopC = max(Self.rippleTopC, (0.5 - Self.deepestMiddleShare) * plannedRippleC)
        if mode == .holding, watchingForFood, !foodSeen, modulator.command.isOn, let target = input.targetC,
            model.projectedC(afterSeconds: periodSeconds, burnerOn: true) > target + foodTopC
        {
            modulator.endBurn(nowSeconds: input.nowSeconds)
        }
        switchAllowance -= Double(modulator.switchCount - switchesSeen)
        switchesSeen = modulator.switchCount
        return duty
    }

    private mutating func decide(input: ControlInput, model: WokObserver, modulator: RelayModulator) -> Double {
        guard let target = input.targetC else {
            mode = .idle
            lastTarget = nil
            watchingForFood = false
            return 0
        }
        let wokC = model.wokC
        if input.expectedLoadGrams > 0, input.expectedLoadGrams != lastExpectedGrams || target != lastTarget {
            watchingForFood = true
            foodSeen = false
        }
        if input.expectedLoadGrams <= 0 {
            watchingForFood = false
            foodSeen = false
        }
        lastExpectedGrams = input.expectedLoadGrams
        if target != lastTarget {
            lastTarget = target
            plannedLowestC = nil
            if wokC < target - bandC {
                enterRising(at: input.nowSeconds)
            } else if wokC > target + bandC {
                mode = .cooling
            } else if mode != .holding {
                mode = .holding
            }
        }
        // Food can land while the wok cools to a lower target, too: it is looked for then, though
        // only a hold answers it with full power.
        let lookingForFood = watchingForFood && (mode == .holding || mode == .cooling)
        if lookingForFood {
            unexplainedFallC = max(0, unexplainedFallC - model.lastMissC - model.missRMSC)
        } else {
            unexplainedFallC = 0
        }
        let fallSeen = unexplainedFallC > Self.landingFallNoiseMultiple * model.missRMSC
        let landingSeen = lookingForFood && (fallSeen || loadJumped(model))
        if landingSeen { foodSeen = true }
        let foodLanded = mode == .holding && landingSeen
        updateReferenceLoad(model)

        switch mode {
        case .idle:
            enterRising(at: input.nowSeconds)
            return 1
        case .rising:
            if firstRiseFromC == nil { firstRiseFromC = input.measuredC }
            learnFullPowerRate(nowSeconds: input.nowSeconds)
            // Cut when the wok itself will be at the target by the middle of the next tick.
            if model.projectedC(afterSeconds: periodSeconds / 2, burnerOn: true) < target { return 1 }
            mode = .holding
            correctRateForLosses(model: model)
            return plannedDuty(targetC: target, model: model, modulator: modulator, nowSeconds: input.nowSeconds)
        case .cooling:
            if model.projectedC(afterSeconds: periodSeconds / 2, burnerOn: false) > target - Self.coolingHandoverC { return 0 }
            mode = .holding
            return plannedDuty(targetC: target, model: model, modulator: modulator, nowSeconds: input.nowSeconds)
        case .holding:
            let below = target - wokC
            // A fall the plan did not expect brings full power: past the depth that always does,
            // or, on a burner whose planned ripple dips further than that, past the plan's own
            // lowest by the depth a landing must reach. A burst every window would wear the relay
            // and hold worse.
            let recoverDepthC = max(Self.recoverBelowC, plannedLowestC.map { target - $0 + Self.landingBurstBelowC } ?? 0)
            let unexpected = below > recoverDepthC
            if unexpected || (foodLanded && below > Self.landingBurstBelowC) {
                if foodLanded { watchingForFood = false }
                enterRising(at: input.nowSeconds)
                return 1
            }
            return plannedDuty(targetC: target, model: model, modulator: modulator, nowSeconds: input.nowSeconds)
        }
    }

    /// The duty for the window the modulator is about to start (or the one under way): the burn
    /// that brings the wok to the top of a ripple centred on the target by the window's end.
    private mutating func plannedDuty(
        targetC target: Double, model: WokObserver, modulator: RelayModulator, nowSeconds now: Double
    ) -> Double {
        let sampling = modulator.sampling(nowSeconds: now)
        let window = relay.windowSeconds
        let rate = model.fullPowerRateCPerSecond
        let settled = regularWindows >= 1 && (!watchingForFood || foodSeen)
        // The model's load swings with the relay (it learns from a reading that lags the
        // flame), so at a window's start it can be off by a tenth of a degree a second, which a
        // whole window turns into a degree. A settled hold plans with the load's mean over the
        // window just ended instead, and takes the whole correction, once the full-power rate
        // has been measured: with the assumed rate the load also soaks up the rate's error
        // during each burn, and only the slower correction of the mean keeps the hold centred.
        let planIsTrusted = settled && hasMeasuredFullPowerRate
        var loadNow = model.loadCPerSecond
        if planIsTrusted, sampling == .nextWindow, windowSamples >= Self.fewestSamplesForMeanLoad {
            loadNow = windowLoadSum / Double(windowSamples)
        }
        let load = min(max(loadNow, 0), rate)
        let steady = rate > 0 ? load / rate : 0
        var length = window
        if sampling == .nextWindow {
            length = pacedWindowSeconds(isOn: modulator.command.isOn)
            nextWindowSeconds = length
        }
        // Peak-to-peak ripple of a steady window at this load.
        let ripple = (rate - load) * steady * length
        let topC = target + (settled ? Self.settledRippleTopC : Self.rippleTopC)
        /// The ripple's middle for a ripple `ripple` wide: on the target, or lower to keep its top
        /// low, but never so low that it costs more than a tenth of the centred ripple's error.
        func middleC(ripple: Double) -> Double {
            max(min(target, topC - ripple / 2), target - Self.deepestMiddleShare * ripple)
        }
        let middleGoal = middleC(ripple: ripple)
        if sampling == .nextWindow {
            regularWindows += 1
            // The modelled wok's mean over the window just ended.
            if regularWindows >= 2, windowSamples > 0 {
                let mean = windowSumC / Double(windowSamples)
                biasC = min(max(biasC + Self.meanErrorGain * (middleGoal - mean), -Self.maxBiasC), Self.maxBiasC)
            }
        } else if sampling != .ignored {
            regularWindows = 0
        }
        if sampling != .ignored {
            windowSumC = 0
            windowLoadSum = 0
            windowSamples = 0
        }
        let wokC = model.wokC
        /// Where a window of `length` is planned to end: the top of its ripple.
        func peakGoalC(length: Double) -> Double {
            let ripple = (rate - load) * steady * length
            let peakGoal = middleC(ripple: ripple) + ripple / 2 + biasC
            // The window that follows full power is where overshoot is made: the correction learnt
            // in an earlier hold may lower its peak but never lift it past the cautious top.
            return sampling == .afterFullPower ? min(peakGoal, target + Self.rippleTopC) : peakGoal
        }
        /// Whether a whole window of `length` at full power keeps the wok below both the planned
        /// peak and the ripple's top (whatever correction the plan carries).
        func wholeWindowFits(length: Double) -> Bool {
            wokC + (rate - load) * length <= min(peakGoalC(length: length), topC)
        }
        /// The burn for a window of `length`, ending at `peakGoal` (by default, the one planned
        /// for that length).
        func burnSeconds(length: Double, peakGoal: Double? = nil) -> Double {
            let peakGoal = peakGoal ?? peakGoalC(length: length)
            var onSeconds: Double
            switch sampling {
            case .ignored, .nextWindow:
                // Off for `length - on`, then on: ends at wok - load × length + rate × on.
                let gain = planIsTrusted ? Self.settledWindowGain : Self.windowGain
                onSeconds = steady * length + gain * (peakGoal - wokC) / rate
            case .afterFullPower:
                // Off for half of `length - on`, then on.
                onSeconds = (peakGoal - wokC + load * length / 2) / max(rate - load / 2, 1e-6)
            case .afterOff:
                // On at once for `on`.
                onSeconds = (peakGoal - wokC) / max(rate - load, 1e-6)
            }
            // A burn that leaves less than the relay's shortest off fills the whole window. That is
            // allowed only if a whole window at full power would carry the wok neither past the
            // planned peak nor past the ripple's top (whatever correction the plan carries);
            // otherwise the window keeps its shortest off, so a wok climbing slowly under a heavy
            // load does not sail past its target.
            let fullest = length - relay.minOffSeconds
            if onSeconds > fullest { onSeconds = wholeWindowFits(length: length) ? length : fullest }
            // A burn shorter than the relay allows becomes the shortest burn or none, whichever
            // ends the window nearer its plan (the window's end moves in proportion to the burn);
            // left to the modulator it would be dropped, and a strong burner's wok, cooling fast
            // when it needs a short burn, would fall for a whole window. A wok handed over from
            // cooling gets its burn now: without it the next window would start with its off part.
            if onSeconds > 0 && onSeconds < relay.minOnSeconds {
                let rounds = sampling == .afterOff || onSeconds >= relay.minOnSeconds / 2
                onSeconds = rounds ? relay.minOnSeconds : 0
            }
            return min(max(onSeconds, 0), length)
        }
        if sampling == .ignored { return windowDuty }
        var onSeconds = burnSeconds(length: length)
        if sampling == .afterOff, onSeconds > 0 {
            // A burn at once, then off until the next, which a regular window would begin after
            // its off part: when the wear budget allows it only later, the burn is long enough for
            // the wok to fall as far below the target by then as it rose above it (sized for the
            // regular window alone, it would leave a fast-cooling wok falling the rest of the way).
            let gap = modulator.budget.nextBurnAllowedAtSeconds(afterBurnAt: now) - now
            if gap > onSeconds + length * (1 - steady) {
                let centred = (target - wokC + load * gap / 2) / max(rate - load / 2, 1e-6)
                onSeconds = min(max(onSeconds, centred), length - relay.minOffSeconds)
            }
        }
        if sampling == .nextWindow || sampling == .afterFullPower {
            // The burn comes at the window's end (after full power, halfway through the window's
            // off part), and needs room in the relay's wear budget by then (a burn under way that
            // fills the next window too needs none).
            let allowedAt = modulator.budget.burnAllowedAtSeconds(from: now)
            let isOn = modulator.command.isOn
            let offShare = sampling == .afterFullPower ? 0.5 : 1
            let startsTooSoon = { (length: Double, burn: Double) in
                burn > 0 && !(isOn && burn >= length) && now + offShare * (length - burn) < allowedAt - 1e-9
            }
            if startsTooSoon(length, onSeconds) && isOn && wholeWindowFits(length: length) {
                // A short off part the budget would stretch: the burn under way goes on instead
                // (the relay then spends nothing), since a whole window of it stays below the plan.
                onSeconds = length
            } else if startsTooSoon(length, onSeconds) {
                // Otherwise the window is lengthened until the burn has room, still ending at the
                // peak planned for it (a longer window's plan would aim higher, for a wider ripple):
                // started late and short instead, the burn would leave the wok far below the plan.
                // The burn grows with the window (a longer off part needs a longer burn), so the
                // shortest window whose burn starts late enough is found by halving.
                let peakGoal = peakGoalC(length: length)
                var early = length
                var late = RelayModulator.maxWindowMultiple * window
                if !startsTooSoon(late, burnSeconds(length: late, peakGoal: peakGoal)) {
                    for _ in 0..<12 {
                        let middle = (early + late) / 2
                        if startsTooSoon(middle, burnSeconds(length: middle, peakGoal: peakGoal)) { early = middle } else { late = middle }
                    }
                }
                length = late
                onSeconds = burnSeconds(length: length, peakGoal: peakGoal)
            }
            nextWindowSeconds = length
        }
        // The off part before the burn: all of it in a regular window, half after full power.
        // Only a plan made with the burner's measured rate says how low the wok is meant to fall.
        let offShareBeforeBurn = sampling == .nextWindow ? 1.0 : sampling == .afterFullPower ? 0.5 : 0
        plannedLowestC = hasMeasuredFullPowerRate ? wokC - load * offShareBeforeBurn * (length - onSeconds) : nil
        plannedRippleC = (rate - load) * steady * length
        // Never 0 or 1 while holding: those switch the modulator at once, outside its windows.
        windowDuty = min(max(onSeconds / length, 0.01), 0.99)
        return windowDuty
    }

    /// The length of a regular window starting now. It makes two switches (its burn's on, and
    /// its off at the next window's start) and lasts until the pace has allowed them; the burn
    /// of the window ending now switches off at this tick and is counted as spent. While the
    /// stage's earliest end is ahead, whatever is owed is spread evenly over the windows before
    /// it: for a given number of switches, equal windows make the smallest ripple.
    private mutating func pacedWindowSeconds(isOn: Bool) -> Double {
        let window = relay.windowSeconds
        let pendingOff = isOn ? 1.0 : 0.0
        switchAllowance = min(switchAllowance, Self.savedSwitchesAtMost + pendingOff)
        let paceRate = pacedSwitchesPerMinute / 60
        let owed = pendingOff - switchAllowance
        var paced = (2 + owed) / paceRate
        if let left = stageSecondsLeft, left > window {
            let earned = paceRate * left - owed
            paced = earned > 0 ? 2 * left / earned : .infinity
        }
        return min(max(window, paced), Self.longestPacedWindow * window)
    }

    private func loadJumped(_ model: WokObserver) -> Bool {
        guard let reference = referenceLoad else { return false }
        return model.loadCPerSecond - reference > Self.landingLoadShare * model.fullPowerRateCPerSecond
    }

    /// A slow average of the load, the yardstick a landing is measured against. It only moves
    /// while holding: a rise at full power changes the load with the temperature.
    private mutating func updateReferenceLoad(_ model: WokObserver) {
        guard mode == .holding || mode == .cooling else {
            referenceLoad = nil
            return
        }
        guard let reference = referenceLoad else {
            referenceLoad = model.loadCPerSecond
            return
        }
        referenceLoad = reference + min(1, periodSeconds / Self.referenceLoadSeconds) * (model.loadCPerSecond - reference)
    }

    private mutating func enterRising(at now: Double) {
        mode = .rising
        plannedLowestC = nil
        risingSinceSeconds = now
    }

    /// The empty wok's full-power rate, read once the sensor has caught up with the burner on
    /// the first rise (near room temperature the losses are still small).
    private mutating func learnFullPowerRate(nowSeconds: Double) {
        guard !hasMeasuredFullPowerRate else { return }
        let lead = lagSeconds + deadTimeSeconds
        guard nowSeconds - risingSinceSeconds > Self.slowSlopeSeconds + 2 * lead, slowSlope.isReady else { return }
        let rate = slowSlope.slopePerSecond
        guard rate > 0 else { return }
        hasMeasuredFullPowerRate = true
        rateMeasuredAtC = slowSlope.meanValue
        observer?.setFullPowerRate(rate)
    }

    /// The slope measured on the first rise is the burner's heat less the losses at that
    /// temperature, so the model's full-power rate is short by those losses (about 6 % on the
    /// light wok), and its ripples come out smaller than the wok's: its peaks lag the steel's by
    /// half a degree, enough for a wok to pass its band just as food lands. By the first
    /// arrival the model's load has grown by the losses gained since the measurement; losses
    /// grow about in proportion to the wok's rise above the room, so that growth gives the
    /// losses left out. Done once; the model's net heating is kept, so its load rises as much.
    private mutating func correctRateForLosses(model: WokObserver) {
        guard !hasCorrectedRateForLosses, hasMeasuredFullPowerRate, let startC = firstRiseFromC,
            let measuredAtC = rateMeasuredAtC
        else { return }
        hasCorrectedRateForLosses = true
        let gainedC = model.wokC - measuredAtC
        let aboveStartC = measuredAtC - startC
        guard gainedC >= Self.lossCorrectionClimbC, aboveStartC > 0, model.loadCPerSecond > 0 else { return }
        let rate = model.fullPowerRateCPerSecond
        let missing = min(model.loadCPerSecond * aboveStartC / gainedC, Self.lossCorrectionAtMost * rate)
        observer?.setFullPowerRate(rate + missing)
    }
}
