import Testing

@testable import WokCore

/// A small wok for the monitor to watch: the steel heats at `burnerRate` while the flame burns and
/// loses `lossPerC` of its excess over the room each second, plus what the food draws (`foodLoad`,
/// °C/s of the steel, from the steel's and the food's temperatures); the reading is the steel
/// through the station's dead time and lag. The monitor's gate decides the relay, as in the loop.
private struct TinyWok {
    var steelC = 22.0
    var junctionC = 22.0
    var burnerRate = 2.2
    var lossPerC = 0.004
    var flameOut = false
    var probeOff = false
    var ignitionSeconds = 0.4
    /// Food: its temperature, and the steel's draw per °C of difference; water holds it at 100.
    var foodC: Double?
    var foodCouplingPerSecond = 0.0
    var foodWarmsPerC = 0.0
    var foodIsWet = false
    private var delay: [Double] = []
    private var onSince: Double?
    /// Reading noise, ±0.25 °C from a fixed sequence: a converter that reads exactly the same
    /// value for seconds is a frozen one.
    private var noiseState: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func noisyReading() -> Double {
        noiseState = noiseState &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return junctionC + (Double(noiseState >> 11) / Double(1 << 53) - 0.5) * 0.5
    }

    mutating func step(_ dt: Double, now: Double, burnerOn: Bool, station: Station) {
        if burnerOn { onSince = onSince ?? now } else { onSince = nil }
        let lit = !flameOut && (onSince.map { now - $0 >= ignitionSeconds } ?? false)
        var rate = (lit ? burnerRate : 0) - lossPerC * (steelC - 22)
        if let food = foodC {
            let draw = foodCouplingPerSecond * (steelC - food)
            rate -= draw
            foodC = foodIsWet && food >= 100 ? 100 : food + foodWarmsPerC * (steelC - food) * dt
        }
        steelC += rate * dt
        let slots = max(1, Int((station.control.sensorDeadTimeSeconds / dt).rounded()))
        if delay.isEmpty { delay = Array(repeating: steelC, count: slots) }
        delay.append(steelC)
        let delayed = delay.removeFirst()
        let target = probeOff ? 22 : delayed
        let lag = probeOff ? 20 : station.control.sensorLagSeconds
        junctionC += (target - junctionC) * min(1, dt / lag)
    }
}

/// A cook against the tiny wok: a controller that holds `targetC` by on/off around it; `events`
/// change the wok at given seconds. Returns the latched fault, and every command the gate let out.
private func cook(
    seconds: Double, targetC: Double = 200, station: Station = .standard, start: TinyWok = TinyWok(),
    context: (Double) -> SafetyContext = { _ in heating() }, events: [(Double, (inout TinyWok) -> Void)] = []
) -> (fault: SafetyFault?, heldOffSeconds: Double) {
    var monitor = SafetyMonitor(station: station)
    var wok = start
    var pending = events
    let period = station.control.periodSeconds
    let dt = 0.05
    var burnerOn = false
    var heldOff = 0.0
    var now = 0.0
    while now < seconds {
        while let next = pending.first, next.0 <= now {
            next.1(&wok)
            pending.removeFirst()
        }
        let celsius = wok.noisyReading()
        let sample = ThermocoupleSample(hotC: celsius, coldC: 25, rawHot: Int16(clamping: Int((celsius * 16).rounded())))
        let verdict = monitor.check(nowSeconds: now, reading: .success(sample), context: context(now))
        if let fault = monitor.latched { return (fault, heldOff) }
        // On/off around the target with a 2 °C band, as the simplest controller drives it.
        let wanted: BurnerCommand = celsius < targetC - 2 ? .on : celsius > targetC + 2 ? .off : (burnerOn ? .on : .off)
        let command = monitor.gate(wanted, verdict: verdict)
        if wanted == .on && command == .off { heldOff += period }
        burnerOn = command.isOn
        monitor.recordBurner(command, nowSeconds: now)
        for _ in 0..<Int((period / dt).rounded()) {
            wok.step(dt, now: now, burnerOn: burnerOn, station: station)
        }
        now += period
    }
    return (monitor.latched, heldOff)
}

private func heating(addsFood: Bool = false, stage: Int = 0, stageElapsed: Double = 100) -> SafetyContext {
    SafetyContext(
        cookRunning: true, targetC: 200, stageIndex: stage, stageAddsFood: addsFood, stageElapsedSeconds: stageElapsed,
        confirmOverdueSeconds: nil, cookElapsedSeconds: 100, cookPlannedSeconds: 3000)
}

@Suite struct HeatArrivalTests {
    @Test func aHealthyWokRisingAndHoldingNeverTrips() {
        let result = cook(seconds: 600)
        #expect(result.fault == nil, "\(String(describing: result.fault))")
    }

    @Test func aFlameOutWhileRisingIsCaughtWithinSeconds() throws {
        let result = cook(seconds: 200, events: [(40, { $0.flameOut = true })])
        let fault = try #require(result.fault)
        #expect(fault.kind == .heatNotArriving)
        #expect(fault.detectedAtSeconds > 40 && fault.detectedAtSeconds < 40 + 15, "\(fault)")
    }

    @Test func aFlameThatNeverLightsIsCaught() throws {
        var dead = TinyWok()
        dead.flameOut = true
        let fault = try #require(cook(seconds: 120, start: dead).fault)
        #expect(fault.kind == .heatNotArriving)
        #expect(fault.detectedAtSeconds < 15, "\(fault)")
    }

    /// Wet food held at boiling pins the steel near 145 °C with the burner full on for minutes:
    /// no gain at all, far below the target, and no fault. A flame going out then is caught.
    @Test func aWokPinnedByBoilingFoodIsHealthyAndItsFlameOutIsCaught() throws {
        var wet = TinyWok()
        wet.steelC = 145
        wet.junctionC = 145
        wet.foodC = 100
        wet.foodIsWet = true
        // 2.2 °C/s of burner against 0.5 °C/s of losses at 145 °C: the food takes 1.7 at 45 °C over it.
        wet.foodCouplingPerSecond = (2.2 - 0.004 * (145 - 22)) / 45
        let healthy = cook(seconds: 600, targetC: 230, start: wet)
        #expect(healthy.fault == nil, "\(String(describing: healthy.fault))")

        let out = cook(seconds: 300, targetC: 230, start: wet, events: [(200, { $0.flameOut = true })])
        let fault = try #require(out.fault)
        #expect(fault.kind == .heatNotArriving)
        #expect(fault.detectedAtSeconds > 200 && fault.detectedAtSeconds < 200 + 15, "\(fault)")
    }

    @Test func aProbeOffTheWokWithTheBurnerOffIsImplausibleCooling() throws {
        // Far above a low target so the burner stays off as the probe falls off at 100 s.
        var hot = TinyWok()
        hot.steelC = 230
        hot.junctionC = 230
        let result = cook(seconds: 140, targetC: 40, start: hot, events: [(100, { $0.probeOff = true })])
        let fault = try #require(result.fault)
        #expect(fault.kind == .implausibleCooling)
        #expect(fault.detectedAtSeconds > 100 && fault.detectedAtSeconds < 110, "\(fault)")
    }

    /// Announced food landing pulls the reading down at once: taken as the food, not a fault.
    /// A flame that goes out as the food lands hides in that fall, so the monitor proves the
    /// flame with a short burner-off pulse, and finds none.
    @Test func foodLandingIsNotAFaultButAFlameOutHidingInItIsFound() throws {
        let station = Station.standard
        let landing: (inout TinyWok) -> Void = {
            $0.foodC = 4
            $0.foodCouplingPerSecond = 0.016
            $0.foodWarmsPerC = 0.012
        }
        let context: (Double) -> SafetyContext = { now in
            now < 300 ? heating(stage: 0) : heating(addsFood: true, stage: 1, stageElapsed: now - 300)
        }
        let healthy = cook(seconds: 500, station: station, context: context, events: [(305, landing)])
        #expect(healthy.fault == nil, "\(String(describing: healthy.fault))")

        let hidden = cook(
            seconds: 500, station: station, context: context,
            events: [(305, landing), (305.5, { $0.flameOut = true })])
        let fault = try #require(hidden.fault)
        #expect(fault.kind == .heatNotArriving)
        #expect(fault.detectedAtSeconds < 305 + 45, "\(fault)")
        #expect(hidden.heldOffSeconds > 0, "the flame was proven by holding the burner off")

        // The same fall without food announced is a fault at once.
        let unannounced = cook(seconds: 500, station: station, events: [(305, landing)])
        #expect(unannounced.fault != nil)
    }

    /// A burner weaker or stronger than the station's figure, within its tolerance, switched on
    /// and off around the target many times a minute: the model is off at every switch, and the
    /// bounds allow for it.
    @Test(arguments: [0.82, 1.18])
    func aBurnerOffItsFigureWithinTheToleranceStaysHealthy(share: Double) {
        var other = TinyWok()
        other.burnerRate = Station.SafetySettings().burnerRateCPerSecond * share
        let result = cook(seconds: 600, start: other)
        #expect(result.fault == nil, "\(String(describing: result.fault))")
    }
}
