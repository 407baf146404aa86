/// The default controller. A gas burner stores no heat: when it goes out, the wok stops gaining
/// at once. What makes a wok overshoot is the thermocouple lagging the steel. So this controller
///
/// 1. rises at full power, the physical limit;
/// 2. predicts the wok's true temperature from the reading and its slope (a lagging sensor reads
///    behind by about `slope × (lag + dead time)`) and cuts the burner as that prediction meets the
///    target, instead of waiting for the late reading;
/// 3. holds with a duty that starts from what the rise measured (the full-power heating rate near
///    the target against the rate from cold gives the fraction of power the losses eat), then
///    follows what a `HoldObserver` sees the load to be, window by window, plus a gentle pull
///    towards the target on the window-averaged error;
/// 4. goes back to full power at the first sign of food landing when the recipe says food is
///    coming, and otherwise when the wok falls well below the band.
public struct PredictiveController: Sendable {
    /// Seconds over which holding pulls an averaged error back to zero. Slower than the relay
    /// window plus the averaging (about 10 s of delay in all), so the loop stays well damped.
    public static let correctionSeconds = 12.0
    /// Seconds over which the hold duty follows the observer's estimate of the load.
    public static let observerSeconds = 8.0
    /// Heating rate assumed until the first rise measures it (°C/s at full power).
    public static let assumedFullPowerRateCPerSecond = 2.0
    /// Seconds of readings behind the fast slope (prediction) and the slow slope (learning).
    public static let fastSlopeSeconds = 2.0
    public static let slowSlopeSeconds = 8.0
    /// Below the target by more than this (predicted), holding gives way to full power even with
    /// no food announced: well outside the relay's ripple, which can reach ±4 °C on a light wok.
    public static let recoverBelowC = 10.0
    /// Margin over the fastest fall losses can cause before a fall counts as food landing:
    /// the noise of the fast slope is about 0.2 °C/s.
    public static let loadFallMarginCPerSecond = 0.5

    public let leadSeconds: Double
    public let bandC: Double
    public let periodSeconds: Double

    /// How fast the wok can fall with the burner off from losses alone: the full-power rate times
    /// the share of it that losses take (the hold duty). Unknown before the first rise.
    private var fastestLossFallCPerSecond: Double {
        guard let cold = coldRateCPerSecond else { return .infinity }
        return 1.5 * cold * holdDuty + Self.loadFallMarginCPerSecond
    }

    private enum Mode: Sendable { case idle, rising, holding, cooling }
    private var mode = Mode.idle
    private var fastSlope: SlopeEstimator
    private var slowSlope: SlopeEstimator
    private var holdDuty = 0.5
    private var observer: HoldObserver
    private var holdError: MovingAverage
    private var hasHeld = false
    private var lastTarget: Double?
    private var lastTime: Double?
    private var risingSinceSeconds = 0.0
    /// Full-power heating rate of the empty wok near room temperature, learned on the first rise.
    private var coldRateCPerSecond: Double?
    /// Holding duty per kelvin above the first reading, learned while holding.
    private var holdDutyPerKelvin: Double?
    private var firstReadingC: Double?

    public init(settings: Station.ControlSettings, relayWindowSeconds: Double) {
        leadSeconds = settings.sensorLagSeconds + settings.sensorDeadTimeSeconds
        bandC = settings.bandC
        periodSeconds = settings.periodSeconds
        fastSlope = SlopeEstimator(capacity: Int((Self.fastSlopeSeconds / settings.periodSeconds).rounded()))
        slowSlope = SlopeEstimator(capacity: Int((Self.slowSlopeSeconds / settings.periodSeconds).rounded()))
        observer = HoldObserver(windowSeconds: relayWindowSeconds, periodSeconds: settings.periodSeconds)
        holdError = MovingAverage(capacity: Int((relayWindowSeconds / settings.periodSeconds).rounded()))
    }

    public mutating func duty(for input: ControlInput) -> Double {
        fastSlope.add(timeSeconds: input.nowSeconds, value: input.measuredC)
        slowSlope.add(timeSeconds: input.nowSeconds, value: input.measuredC)
        if firstReadingC == nil { firstReadingC = input.measuredC }
        let step = lastTime.map { max(0, input.nowSeconds - $0) } ?? 0
        lastTime = input.nowSeconds

        guard let target = input.targetC else {
            mode = .idle
            lastTarget = nil
            return 0
        }
        let slope = fastSlope.isReady ? fastSlope.slopePerSecond : 0
        let predictedC = input.measuredC + slope * leadSeconds

        if target != lastTarget {
            lastTarget = target
            if predictedC < target - bandC {
                enterRising(at: input.nowSeconds)
            } else if predictedC > target + bandC {
                mode = .cooling
            } else if mode != .holding {
                enterHolding()
                holdDuty = estimatedHoldDuty(targetC: target, slope: nil)
            }
        }

        let duty = decide(input: input, targetC: target, predictedC: predictedC, slope: slope, step: step)
        // The observer watches every tick, bursts included: its estimate is of the load, which
        // does not care what the burner was doing.
        observer.add(celsius: predictedC, duty: duty)
        return duty
    }

    private mutating func decide(input: ControlInput, targetC target: Double, predictedC: Double, slope: Double, step: Double) -> Double {
        switch mode {
        case .idle:
            enterRising(at: input.nowSeconds)
            return 1
        case .rising:
            learnColdRate(nowSeconds: input.nowSeconds)
            // Cut when the wok itself will be at the target by the next tick.
            if predictedC + max(slope, 0) * periodSeconds < target { return 1 }
            enterHolding()
            // Only a rise long enough to fill the slow slope's window says anything about the
            // load; after a short burst, the duty that was holding before is the better guess.
            let longRise = input.nowSeconds - risingSinceSeconds > Self.slowSlopeSeconds + leadSeconds
            if longRise || !hasHeld {
                holdDuty = estimatedHoldDuty(targetC: target, slope: longRise ? slowSlope.slopePerSecond : nil)
            }
            hasHeld = true
            return holdDuty
        case .cooling:
            if predictedC > target { return 0 }
            enterHolding()
            holdDuty = estimatedHoldDuty(targetC: target, slope: nil)
            return holdDuty
        case .holding:
            let error = target - predictedC
            // Food shows as a fall faster than losses alone can cause, and the recipe says it is
            // coming: then a small drop is enough. Otherwise wait for a clear one, so noise and the
            // relay's ripple never trigger a full-power burst.
            let foodLanding = input.expectedLoadGrams > 0 && slope < -fastestLossFallCPerSecond
            if error > Self.recoverBelowC || (foodLanding && error > bandC) {
                enterRising(at: input.nowSeconds)
                return 1
            }
            let rate = coldRateCPerSecond ?? Self.assumedFullPowerRateCPerSecond
            if let steady = observer.steadyDuty(fullPowerRateCPerSecond: rate) {
                holdDuty += min(1, step / Self.observerSeconds) * (min(max(steady, 0), 1) - holdDuty)
            }
            // Pull towards the target on the error averaged since holding began (at most one
            // relay window back, where the ripple cancels).
            holdError.add(error)
            let meanError = holdError.mean ?? error
            learnHoldDuty(targetC: target)
            return min(max(holdDuty + meanError / (rate * Self.correctionSeconds), 0), 1)
        }
    }

    private mutating func enterHolding() {
        mode = .holding
        holdError.reset()
    }

    private mutating func enterRising(at now: Double) {
        mode = .rising
        risingSinceSeconds = now
    }

    /// The empty wok's full-power rate, read once the sensor has caught up with the burner.
    private mutating func learnColdRate(nowSeconds: Double) {
        guard coldRateCPerSecond == nil || holdDutyPerKelvin == nil else { return }
        guard nowSeconds - risingSinceSeconds > Self.slowSlopeSeconds + 2 * leadSeconds, slowSlope.isReady else { return }
        let rate = slowSlope.slopePerSecond
        if rate > (coldRateCPerSecond ?? 0) { coldRateCPerSecond = rate }
    }

    private mutating func learnHoldDuty(targetC: Double) {
        guard let ambient = firstReadingC, targetC - ambient > 20 else { return }
        let perKelvin = holdDuty / (targetC - ambient)
        holdDutyPerKelvin = holdDutyPerKelvin.map { $0 + 0.01 * (perKelvin - $0) } ?? perKelvin
    }

    /// The duty that should hold `targetC`: from the heating rate at arrival when rising at full
    /// power (the shortfall from the cold rate is what losses and food take), else from what
    /// holding has taught so far, else half power.
    private func estimatedHoldDuty(targetC: Double, slope: Double?) -> Double {
        if let slope, let cold = coldRateCPerSecond, cold > 0 {
            return min(max(1 - slope / cold, 0.05), 0.95)
        }
        if let perKelvin = holdDutyPerKelvin, let ambient = firstReadingC {
            return min(max(perKelvin * (targetC - ambient), 0.05), 0.95)
        }
        return 0.5
    }
}
