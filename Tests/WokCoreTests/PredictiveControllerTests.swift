import Testing

@testable import WokCore

/// A small wok for the core's own tests: heats at `rate` °C/s with the flame lit (after the
/// igniter's delay), loses `load` °C/s, and is read through a dead time and a first-order lag.
private struct TestWok {
    var wokC = 200.0
    var junctionC = 200.0
    var rate = 2.5
    var load = 1.0
    var lagSeconds = 1.5
    var delay: [Double] = Array(repeating: 200, count: 6)  // 0.3 s at 0.05 s steps
    var closedForSeconds = 0.0

    mutating func run(seconds: Double, relayOn: Bool) {
        var left = seconds
        while left > 1e-9 {
            let dt = min(0.05, left)
            closedForSeconds = relayOn ? closedForSeconds + dt : 0
            let lit = relayOn && closedForSeconds > 0.4
            wokC += ((lit ? rate : 0) - load) * dt
            delay.append(wokC)
            let delayed = delay.removeFirst()
            junctionC += (delayed - junctionC) * dt / lagSeconds
            left -= dt
        }
    }
}

@Suite struct WokObserverTests {
    @Test func itFindsTheWokAheadOfTheLaggingReadingAndTheLoadOnIt() {
        var wok = TestWok()
        var observer = WokObserver(
            lagSeconds: 1.5, deadTimeSeconds: 0.3, periodSeconds: 0.25, fullPowerRateCPerSecond: 2.5, startC: 200)
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var now = 0.0
        var on = false
        var onSince = 0.0
        var worstLateC = 0.0
        var worstReadingLateC = 0.0
        while now < 120 {
            wok.run(seconds: 0.25, relayOn: on)
            now += 0.25
            let flame = on ? min(0.25, max(0, now - (onSince + 0.4))) : 0
            observer.update(measuredC: wok.junctionC, seconds: 0.25, flameSeconds: flame)
            let next = modulator.output(duty: 0.4, nowSeconds: now).isOn
            if next && !on { onSince = now }
            on = next
            if now > 60 {
                worstLateC = max(worstLateC, abs(observer.wokC - wok.wokC))
                worstReadingLateC = max(worstReadingLateC, abs(wok.junctionC - wok.wokC))
            }
        }
        // The reading itself trails the steel by up to a couple of degrees on each burn.
        #expect(worstReadingLateC > 2, "the reading trails by \(worstReadingLateC) °C")
        #expect(worstLateC < 0.6, "model misses the wok by \(worstLateC) °C")
        #expect(abs(observer.loadCPerSecond - 1.0) < 0.15, "load \(observer.loadCPerSecond)")
        #expect(abs(observer.steadyDuty - 0.4) < 0.06)
    }

    @Test func aSuddenExtraLoadShowsInTheLoadWithinSeconds() {
        var wok = TestWok()
        wok.load = 1.0
        var observer = WokObserver(
            lagSeconds: 1.5, deadTimeSeconds: 0.3, periodSeconds: 0.25, fullPowerRateCPerSecond: 2.5, startC: 200)
        var now = 0.0
        while now < 20 {
            wok.run(seconds: 0.25, relayOn: false)
            now += 0.25
            observer.update(measuredC: wok.junctionC, seconds: 0.25, flameSeconds: 0)
        }
        #expect(abs(observer.loadCPerSecond - 1.0) < 0.05)
        wok.load = 1.8
        while now < 30 {
            wok.run(seconds: 0.25, relayOn: false)
            now += 0.25
            observer.update(measuredC: wok.junctionC, seconds: 0.25, flameSeconds: 0)
        }
        #expect(abs(observer.loadCPerSecond - 1.8) < 0.2, "load \(observer.loadCPerSecond)")
    }
}

@Suite struct PredictiveControllerTests {
    /// Runs the controller on `TestWok` through the station's modulator, as the loop does.
    private func hold(
        targetC: Double, seconds: Double, wok: inout TestWok, expectedGrams: (Double) -> Double = { _ in 0 },
        extraLoadAt: Double? = nil, extraLoad: Double = 0
    ) -> (meanErrorC: Double, fullPowerAt: [Double], burstDepthReachedAt: [Double], switchedAt: [Double]) {
        var controller = PredictiveController(settings: Station.ControlSettings(), relay: Station.RelayTiming())
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var now = 0.0
        var on = false
        var errorSum = 0.0
        var samples = 0
        var fullPowerAt: [Double] = []
        var burstDepthReachedAt: [Double] = []
        var switchedAt: [Double] = []
        while now < seconds {
            if let at = extraLoadAt, now >= at, now < at + 0.25 { wok.load += extraLoad }
            let duty = controller.drive(
                ControlInput(nowSeconds: now, measuredC: wok.junctionC, targetC: targetC, expectedLoadGrams: expectedGrams(now)),
                modulator: &modulator)
            if duty >= 1 { fullPowerAt.append(now) }
            if wok.wokC < targetC - PredictiveController.landingBurstBelowC { burstDepthReachedAt.append(now) }
            if modulator.command.isOn != on { switchedAt.append(now) }
            on = modulator.command.isOn
            wok.run(seconds: 0.25, relayOn: on)
            now += 0.25
            if now > seconds / 2 {
                errorSum += abs(wok.wokC - targetC)
                samples += 1
            }
        }
        return (errorSum / Double(samples), fullPowerAt, burstDepthReachedAt, switchedAt)
    }

    @Test(arguments: [0.6, 1.0, 1.4])
    func itHoldsCentredOnTheTargetWhateverTheLoad(load: Double) {
        var wok = TestWok()
        wok.load = load
        let result = hold(targetC: 200, seconds: 240, wok: &wok)
        // A centred ripple of peak-to-peak A has a mean distance of A / 4 from its middle.
        let duty = load / wok.rate
        let ripple = (wok.rate - load) * duty * 10
        #expect(result.meanErrorC < ripple / 4 + 0.8, "mean error \(result.meanErrorC) °C, ripple \(ripple) °C")
    }

    @Test func announcedFoodSendsItToFullPowerSoonAfterItLands() {
        var wok = TestWok()
        wok.load = 1.0
        let landsAt = 100.0
        let result = hold(
            targetC: 200, seconds: 140, wok: &wok, expectedGrams: { $0 >= 90 ? 110 : 0 }, extraLoadAt: landsAt,
            extraLoad: 0.9)
        // A dip smaller than `landingBurstBelowC` is left to the next window's plan; once the
        // wok is that far down, full power follows as soon as the model has seen the food (the
        // reading shows it a second or two late).
        let reaction = result.fullPowerAt.first { $0 >= landsAt }
        let deepEnough = result.burstDepthReachedAt.first { $0 >= landsAt }
        #expect(reaction != nil && deepEnough != nil)
        if let reaction, let deepEnough {
            #expect(reaction - deepEnough < 2, "full power \(reaction - deepEnough) s after the dip passed the burst depth")
            #expect(reaction - landsAt < 6, "full power \(reaction - landsAt) s after landing")
        }
        #expect(!result.fullPowerAt.contains { $0 > 60 && $0 < landsAt }, "no burst before the food")
    }

    @Test func unannouncedSmallLoadsAreHeldWithoutBursts() {
        var wok = TestWok()
        wok.load = 1.0
        let result = hold(targetC: 200, seconds: 140, wok: &wok, extraLoadAt: 100, extraLoad: 0.3)
        #expect(!result.fullPowerAt.contains { $0 > 60 })
    }

    @Test func holdingPacesItsWindowsSoABurstDoesNotPushSwitchingPastTwelveAMinute() {
        var wok = TestWok()
        wok.load = 1.0
        let result = hold(
            targetC: 200, seconds: 240, wok: &wok, expectedGrams: { $0 >= 90 ? 110 : 0 }, extraLoadAt: 100,
            extraLoad: 0.9)
        #expect(result.fullPowerAt.contains { $0 >= 100 }, "the food brought a burst")
        // Every stretch of a minute or more from the settled hold on, burst included.
        let switches = result.switchedAt.filter { $0 >= 40 }
        for startIndex in switches.indices {
            for endSeconds in stride(from: 100.0, through: 240, by: 20) where endSeconds - switches[startIndex] >= 60 {
                let count = switches[startIndex...].filter { $0 < endSeconds }.count
                let allowed = 12 * (endSeconds - switches[startIndex]) / 60
                #expect(Double(count) <= allowed + 1, "\(count) switches from \(switches[startIndex]) s to \(endSeconds) s")
            }
        }
        let total = switches.filter { $0 < 240 }.count
        #expect(Double(total) <= 12 * 200 / 60, "\(total) switches in 200 s")
    }

    @Test func aWokClimbingSlowlyUnderAHeavyLoadArrivesWithoutBurningThroughAWindow() {
        // The empty wok rises from cold (the controller learns its full-power rate), holds, and
        // then a heavy load lands: back at full power it gains only about 0.3 °C/s, so a whole
        // window at full power would carry it 3 °C past the target.
        var wok = TestWok()
        wok.wokC = 120
        wok.junctionC = 120
        wok.delay = Array(repeating: 120, count: 6)
        wok.load = 0.4
        var controller = PredictiveController(settings: Station.ControlSettings(), relay: Station.RelayTiming())
        var modulator = RelayModulator(timing: Station.RelayTiming())
        let landsAt = 150.0
        var now = 0.0
        var backAt: Double?
        var arrivalPeakC = -Double.infinity
        var turned = false
        var highestSettledC = -Double.infinity
        while now < 320 {
            if now >= landsAt, now < landsAt + 0.25 { wok.load = 2.2 }
            _ = controller.drive(
                ControlInput(nowSeconds: now, measuredC: wok.junctionC, targetC: 200, expectedLoadGrams: now >= 140 ? 500 : 0),
                modulator: &modulator)
            let before = wok.wokC
            wok.run(seconds: 0.25, relayOn: modulator.command.isOn)
            now += 0.25
            if now > landsAt + 5, backAt == nil, wok.wokC >= 197 { backAt = now }
            guard backAt != nil else { continue }
            // The arrival's overshoot runs to the wok's first turn, as the simulator measures it.
            if !turned { arrivalPeakC = max(arrivalPeakC, wok.wokC) }
            if wok.wokC < before { turned = true }
            if turned { highestSettledC = max(highestSettledC, wok.wokC) }
        }
        #expect(backAt != nil, "the wok came back to its band")
        #expect(arrivalPeakC - 200 <= 2.5, "the arrival peaked \(arrivalPeakC - 200) °C over the target")
        #expect(highestSettledC - 200 <= 3.5, "the hold peaked \(highestSettledC - 200) °C over the target")
    }
}
