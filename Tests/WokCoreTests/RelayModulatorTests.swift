import Testing

@testable import WokCore

/// Drives a modulator at a fixed duty and reports the on-fraction and switches.
private func run(duty: Double, seconds: Double, timing: Station.RelayTiming = Station.RelayTiming(), period: Double = 0.25)
    -> (onFraction: Double, switches: Int, shortestOn: Double, shortestOff: Double)
{
    var modulator = RelayModulator(timing: timing)
    var onTicks = 0
    var ticks = 0
    var runStart = 0.0
    var last = BurnerCommand.off
    var shortestOn = Double.infinity
    var shortestOff = Double.infinity
    var now = 0.0
    while now < seconds {
        let command = modulator.output(duty: duty, nowSeconds: now)
        if command != last {
            if now > 0 {
                if last == .on {
                    shortestOn = min(shortestOn, now - runStart)
                } else if runStart > 0 {
                    shortestOff = min(shortestOff, now - runStart)
                }
            }
            runStart = now
            last = command
        }
        if command == .on { onTicks += 1 }
        ticks += 1
        now += period
    }
    return (Double(onTicks) / Double(ticks), modulator.switchCount, shortestOn, shortestOff)
}

@Suite struct RelayModulatorTests {
    @Test func fullAndZeroDutyNeverSwitch() {
        #expect(run(duty: 1, seconds: 120).switches == 1)
        #expect(run(duty: 1, seconds: 120).onFraction == 1)
        #expect(run(duty: 0, seconds: 120).switches == 0)
    }

    @Test(arguments: [0.25, 0.4, 0.5, 0.7, 0.85])
    func averageOnTimeFollowsTheDutyAtTwoSwitchesAWindow(duty: Double) {
        let result = run(duty: duty, seconds: 600)
        #expect(abs(result.onFraction - duty) < 0.03, "on \(result.onFraction) for duty \(duty)")
        // A 10 s window allows one burn: at most 12 switches a minute.
        #expect(Double(result.switches) <= 600 / 60 * 12 + 2)
    }

    @Test func minimumOnAndOffTimesHold() {
        var timing = Station.RelayTiming()
        timing.minOnSeconds = 3
        timing.minOffSeconds = 2
        for duty in [0.1, 0.25, 0.5, 0.75, 0.95] {
            let result = run(duty: duty, seconds: 600, timing: timing)
            #expect(result.shortestOn >= 3 - 1e-9, "duty \(duty): on for \(result.shortestOn) s")
            #expect(result.shortestOff >= 2 - 1e-9, "duty \(duty): off for \(result.shortestOff) s")
        }
    }

    @Test func aDutyTooSmallForOnePulseIsCarriedNotLost() {
        // 0.1 of a 10 s window is 1 s, under the 2 s minimum: pulses come every other window.
        let result = run(duty: 0.1, seconds: 600)
        #expect(result.onFraction > 0.08 && result.onFraction < 0.12, "on \(result.onFraction)")
    }

    @Test func leavingFullPowerCutsAtOnceAndFullPowerLightsAtOnce() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var now = 0.0
        while now < 30 {
            #expect(modulator.output(duty: 1, nowSeconds: now) == .on)
            now += 0.25
        }
        #expect(modulator.output(duty: 0.5, nowSeconds: now) == .off)
        now += 1.5
        #expect(modulator.output(duty: 1, nowSeconds: now) == .on)
    }

    @Test func forceOffIgnoresTheMinimumOnTime() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        #expect(modulator.output(duty: 1, nowSeconds: 0) == .on)
        modulator.forceOff(nowSeconds: 0.25)
        #expect(modulator.command == .off)
        #expect(modulator.output(duty: 0, nowSeconds: 0.5) == .off)
    }
}

@Suite struct RelayModulatorSamplingTests {
    @Test func leavingZeroBurnsAtOnceAndSaysSo() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        _ = modulator.output(duty: 0, nowSeconds: 0)
        #expect(modulator.sampling(nowSeconds: 0.25) == .afterOff)
        #expect(modulator.output(duty: 0.3, nowSeconds: 0.25) == .on)
        #expect(modulator.sampling(nowSeconds: 0.5) == .ignored)
        // The 3 s burn ends its window; the next window starts then, off first.
        var now = 0.5
        while now < 3.25 - 1e-9 {
            #expect(modulator.output(duty: 0.3, nowSeconds: now) == .on)
            now += 0.25
        }
        #expect(modulator.sampling(nowSeconds: 3.25) == .nextWindow)
        #expect(modulator.output(duty: 0.3, nowSeconds: 3.25) == .off)
    }

    @Test func leavingFullPowerStartsHalfwayThroughTheOffPart() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        _ = modulator.output(duty: 1, nowSeconds: 0)
        #expect(modulator.sampling(nowSeconds: 5) == .afterFullPower)
        // Duty 0.4: off for half of 6 s, then a 4 s burn.
        var firstOn: Double?
        var now = 5.0
        while now < 15, firstOn == nil {
            if modulator.output(duty: 0.4, nowSeconds: now) == .on { firstOn = now }
            now += 0.25
        }
        #expect(firstOn == 8.0)
    }

    @Test func aLongerWindowAskedForKeepsOneBurnAndTheDuty() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var onTicks = 0
        var ticks = 0
        var now = 0.0
        // 12 s windows at duty 0.5 for two minutes.
        while now < 120 {
            if modulator.output(duty: 0.5, nowSeconds: now, windowSeconds: 12) == .on { onTicks += 1 }
            ticks += 1
            now += 0.25
        }
        #expect(abs(Double(onTicks) / Double(ticks) - 0.5) < 0.04)
        // Two switches a 12 s window: 20 in 120 s (the station's 10 s window would make 24).
        #expect(modulator.switchCount >= 18 && modulator.switchCount <= 21, "\(modulator.switchCount) switches")
    }

    @Test func aWindowIsNeverLongerThanItsCapOrShorterThanTheStations() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var onsets: [Double] = []
        var last = BurnerCommand.off
        var now = 0.0
        while now < 200 {
            let wanted = now < 100 ? 1000.0 : 3.0
            let command = modulator.output(duty: 0.5, nowSeconds: now, windowSeconds: wanted)
            if command == .on && last == .off { onsets.append(now) }
            last = command
            now += 0.25
        }
        let gaps = zip(onsets.dropFirst(), onsets).map { $0 - $1 }
        // A burn starts once a window: 20 s apart while asking for 1000 s, 10 s while asking for 3 s.
        #expect(gaps.prefix(3).allSatisfy { abs($0 - 10 * RelayModulator.maxWindowMultiple) < 0.3 }, "\(gaps)")
        #expect(gaps.suffix(3).allSatisfy { abs($0 - 10) < 0.3 }, "\(gaps)")
    }

    @Test func endingABurnEarlyTurnsOffNowAndTheNextWindowBurnsAgain() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        // Regular windows at duty 0.6 (off 4 s, then on 6 s); find a burn's first tick.
        var now = 0.0
        var burnStart: Double?
        var last = BurnerCommand.off
        while burnStart == nil, now < 60 {
            let command = modulator.output(duty: 0.6, nowSeconds: now)
            if now > 15, command == .on, last == .off { burnStart = now }
            last = command
            now += 0.25
        }
        guard let burnStart else {
            Issue.record("no burn started")
            return
        }
        let switches = modulator.switchCount
        _ = modulator.output(duty: 0.6, nowSeconds: now)
        modulator.endBurn(nowSeconds: now)
        #expect(modulator.command == .on, "the 2 s minimum on time is not up yet")
        var offAt: Double?
        var onAgainAt: Double?
        while now < burnStart + 15 {
            now += 0.25
            let command = modulator.output(duty: 0.6, nowSeconds: now)
            if command == .off, offAt == nil { offAt = now }
            if command == .on, offAt != nil, onAgainAt == nil { onAgainAt = now }
        }
        #expect(offAt == burnStart + 2, "off once the minimum on time was up")
        #expect(onAgainAt == burnStart + 10, "the next window burns at its usual time")
        #expect(modulator.switchCount == switches + 2)
    }

    @Test func fullPowerPaysTheBurnStillOwedSoTheNextWindowKeepsItsOffPart() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var now = 0.0
        // A duty too small for one pulse leaves a burn owed...
        while now < 10 {
            _ = modulator.output(duty: 0.05, nowSeconds: now)
            now += 0.25
        }
        // ...then full power, then a window of 85 %: it must still cut for its off part.
        while now < 30 {
            _ = modulator.output(duty: 1, nowSeconds: now)
            now += 0.25
        }
        var offTicks = 0
        while now < 40 {
            if modulator.output(duty: 0.85, nowSeconds: now) == .off { offTicks += 1 }
            now += 0.25
        }
        #expect(offTicks >= 4, "off for \(offTicks) ticks of the window after full power")
    }
}
