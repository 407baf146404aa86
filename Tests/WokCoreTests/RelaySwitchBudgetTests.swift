import Testing

@testable import WokCore

/// The relay's switches, as the modulator drives it: when each burn began, and every switch.
private struct RelayRecord {
    var burnStarts: [Double] = []
    var switches: [Double] = []
    var last = BurnerCommand.off

    mutating func note(_ command: BurnerCommand, at now: Double) {
        guard command != last else { return }
        if command == .on { burnStarts.append(now) }
        switches.append(now)
        last = command
    }

    /// The most entries of `times` in any span `(t - span, t]`.
    static func most(_ times: [Double], inSpan span: Double) -> Int {
        times.indices.map { end in times[...end].filter { $0 > times[end] - span + 1e-9 }.count }.max() ?? 0
    }
}

/// Duties that thrash: a different one every tick, full power and zero among them, from a
/// seeded generator (the same run each time).
private struct ThrashingDuties {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        switch (state >> 33) % 4 {
        case 0: return 0
        case 1: return 1
        default: return Double((state >> 40) % 1000) / 1000
        }
    }
}

/// A live sensor near the room's temperature: its reading wavers, as a real one does.
private struct WaveringSensor: TemperatureSensor {
    var reads = 0
    mutating func read() -> Result<ThermocoupleSample, SensorFault> {
        reads += 1
        let celsius = 25 + Double(reads % 3) * 0.0625
        return .success(ThermocoupleSample(hotC: celsius, rawHot: Int16(celsius * 16)))
    }
}

@Suite struct RelaySwitchBudgetTests {
    @Test func theSpanIsTheWholeWindowsInAMinuteWithOneBurnEach() {
        let standard = RelaySwitchBudget(timing: Station.RelayTiming())
        #expect(standard.spanSeconds == 60)
        #expect(standard.burnsPerSpan == 6)
        var timing = Station.RelayTiming()
        timing.windowSeconds = 7
        let seven = RelaySwitchBudget(timing: timing)
        #expect(seven.burnsPerSpan == 8)
        #expect(abs(seven.spanSeconds - 56) < 1e-9)
        timing.windowSeconds = 90
        let long = RelaySwitchBudget(timing: timing)
        #expect(long.burnsPerSpan == 1)
        #expect(long.spanSeconds == 90)
    }

    /// However a controller asks (a new duty every tick, windows of any length, burns ended
    /// early, the relay forced off as a blinking sensor would), no minute holds more than six
    /// burns, so no more than 13 switches; over ten minutes, 12 a minute.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func noDutySequenceCyclesTheRelayFasterThanItsBudget(seed: UInt64) {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var duties = ThrashingDuties(state: seed)
        var record = RelayRecord()
        var now = 0.0
        while now < 600 {
            let window = 10 + Double(Int(now * 4) % 7)
            record.note(modulator.output(duty: duties.next(), nowSeconds: now, windowSeconds: window), at: now)
            if Int(now * 4) % 11 == 0 { modulator.endBurn(nowSeconds: now) }
            if Int(now * 4) % 13 == 0 { modulator.forceOff(nowSeconds: now) }
            record.note(modulator.command, at: now)
            now += 0.25
        }
        #expect(record.burnStarts.count > 40, "the relay was driven (\(record.burnStarts.count) burns)")
        #expect(RelayRecord.most(record.burnStarts, inSpan: 60) <= 6)
        #expect(RelayRecord.most(record.switches, inSpan: 60) <= 13)
        #expect(record.switches.count <= 12 * 10 + 1)
        #expect(record.switches.count == modulator.switchCount)
    }

    /// Steady windows of one burn each fit the budget exactly: it never delays them.
    @Test(arguments: [0.2, 0.5, 0.8])
    func steadyWindowsAreNeverDelayed(duty: Double) {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var record = RelayRecord()
        var now = 0.0
        while now < 300 {
            record.note(modulator.output(duty: duty, nowSeconds: now), at: now)
            now += 0.25
        }
        let gaps = zip(record.burnStarts.dropFirst(), record.burnStarts).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - 10) < 1e-9 }, "\(gaps)")
    }

    /// Once the budget is spent, full power waits for the oldest burn of the span to leave it;
    /// an off is never refused by the budget.
    @Test func aSpentBudgetHoldsBackTheNextBurnButNeverAnOff() {
        var modulator = RelayModulator(timing: Station.RelayTiming())
        var now = 0.0
        // Six short bursts, 4 s apart: on for 2 s (the minimum), off for 2 s.
        for _ in 0..<6 {
            #expect(modulator.output(duty: 1, nowSeconds: now) == .on, "burst at \(now)")
            #expect(modulator.output(duty: 0, nowSeconds: now + 2) == .off)
            now += 4
        }
        #expect(modulator.budget.burnAllowedAtSeconds(from: now) == 60)
        while now < 60 {
            #expect(modulator.output(duty: 1, nowSeconds: now) == .off, "a seventh burn at \(now)")
            now += 0.25
        }
        #expect(modulator.output(duty: 1, nowSeconds: 60) == .on)
        // Spent again, and the burn still ends when asked (after its minimum on time).
        #expect(modulator.output(duty: 0, nowSeconds: 62) == .off)
    }

    /// A new cook on the same relay starts with the switches of the one before.
    @Test func aNewCookKeepsTheRelaysBudget() throws {
        var loop = StationLoop(station: .standard)
        var sensor = WaveringSensor()
        var relay = RecordingRelay()
        let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "sear", heat: .level(.high), advance: .time, seconds: 600)])
        var now = 0.0
        func idle(until end: Double) {
            while now < end - 1e-9 {
                _ = loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay)
                now += 0.25
            }
        }
        for cook in 0..<6 {
            try loop.start(recipe: recipe, nowSeconds: now)
            #expect(loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay).burner == .on)
            now += 0.25
            loop.abort(reason: "again", nowSeconds: now)
            idle(until: Double(cook + 1) * 2)
        }
        try loop.start(recipe: recipe, nowSeconds: now)
        var litAt: Double?
        while litAt == nil, now < 120 {
            if loop.tick(nowSeconds: now, sensor: &sensor, relay: &relay).burner == .on { litAt = now }
            now += 0.25
        }
        #expect(litAt == 60, "the seventh burn waits until the first leaves the minute")
    }
}
