import Testing
import WokCore
import WokMQTT
import WokWire

@Suite struct StateTests {
    func snapshot(state: CookState = .cooking, celsius: Double? = 180.04, trusted: Bool = true, remaining: Double? = 41.2) -> StationSnapshot {
        var snapshot = StationSnapshot(
            state: state, recipe: "Reheat", stage: .init(index: 1, name: "Warm through", elapsedSeconds: 3, remainingSeconds: remaining),
            targetC: 170, temperatureC: celsius, burnerOn: true, station: "Kitchen",
            shownReading: celsius.map { ShownReading(celsius: $0, trusted: trusted) })
        snapshot.prompt = "Add 400 g pork"
        return snapshot
    }

    @Test func theStateCarriesWhatTheEntitiesRead() {
        let json = StationState(snapshot()).json.objectValue
        #expect(json?["state"] == "cooking")
        #expect(json?["recipe"] == "Reheat")
        #expect(json?["stage"] == "Warm through")
        #expect(json?["stage_index"] == 1)
        #expect(json?["time_left"] == 42)
        #expect(json?["temperature"] == 180)
        #expect(json?["target"] == 170)
        #expect(json?["burner"] == "ON")
        #expect(json?["fault"] == .null)
        #expect(json?["last_fault"] == "none")
        #expect(json?["prompt"] == "Add 400 g pork")
    }

    @Test func aReadingNotTrustedIsUnknownNotANumber() {
        #expect(StationState(snapshot(trusted: false)).temperatureC == nil)
        var faulty = snapshot(state: .fault)
        faulty.fault = .init(kind: "over-limit", reason: "312 °C", detectedAtSeconds: 5)
        #expect(StationState(faulty).fault == "over-limit: 312 °C")
        #expect(StationState(faulty).lastFault == "over-limit: 312 °C")
    }

    @Test func changesPeopleActOnGoOutAtOnceReadingsAtABoundedRate() {
        var throttle = StateThrottle(cookingPeriodSeconds: 1, idlePeriodSeconds: 10)
        func publish(_ state: CookState, _ celsius: Double, at now: Double, force: Bool = false) -> Bool {
            throttle.shouldPublish(StationState(snapshot(state: state, celsius: celsius)), now: now, force: force)
        }
        let decisions = [
            publish(.cooking, 100, at: 0),
            // Only the reading moved: not before the period.
            publish(.cooking, 101, at: 0.3), publish(.cooking, 102, at: 0.9), publish(.cooking, 102, at: 1.0),
            // Nothing changed: never.
            publish(.cooking, 102, at: 50),
            // The state changed: at once.
            publish(.holding, 103, at: 50.1),
            // Idle: the longer period.
            publish(.idle, 50, at: 51), publish(.idle, 49, at: 55), publish(.idle, 49, at: 61),
            // An echo is forced whatever the clock says.
            publish(.idle, 49, at: 61.1, force: true),
        ]
        #expect(decisions == [true, false, false, true, false, true, true, false, true, true])
    }

    @Test func aStreamOfReadingsIsBoundedToOneAPeriod() {
        var throttle = StateThrottle(cookingPeriodSeconds: 1, idlePeriodSeconds: 10)
        var published = 0
        // Ten snapshots a second for a minute, the reading moving each time.
        for tick in 0..<600 {
            let now = Double(tick) / 10
            if throttle.shouldPublish(StationState(snapshot(celsius: 100 + Double(tick) * 0.37)), now: now) { published += 1 }
        }
        #expect(published >= 59 && published <= 61, "\(published)")
    }
}
