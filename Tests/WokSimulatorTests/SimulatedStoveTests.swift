// The simulated stove: planned presses, queued presses, and the buzzer's record.
import Testing
import WokCore

@testable import WokSimulator

@Suite struct SimulatedStoveTests {
    @Test func pressSpecificationsParseOrSayWhatIsWrong() throws {
        #expect(try PlannedPress.parse("next@95").get() == PlannedPress(button: .next, atSeconds: 95))
        #expect(try PlannedPress.parse("stop@0.5").get() == PlannedPress(button: .stop, atSeconds: 0.5))
        for bad in ["next", "jump@3", "hold@-1", "hold@soon", "@5", "stop@inf", "next@3@4", "stop@100000"] {
            guard case .failure(let error) = PlannedPress.parse(bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(error.description.hasPrefix("--press \(bad):"))
        }
    }

    @Test func plannedPressesWaitForTheFirstCookAndComeOutInTimeOrder() {
        let buttons = SimulatedButtons(planned: [
            PlannedPress(button: .stop, atSeconds: 20), PlannedPress(button: .hold, atSeconds: 5),
        ])
        #expect(buttons.take(nowSeconds: 100, originSeconds: nil).isEmpty)
        #expect(buttons.take(nowSeconds: 104, originSeconds: 100).isEmpty)
        buttons.press(.next)
        #expect(buttons.take(nowSeconds: 125, originSeconds: 100) == [.next, .hold, .stop])
        #expect(buttons.take(nowSeconds: 200, originSeconds: 100).isEmpty)
    }

    @Test func theBuzzerRecordsEachChangeOnce() throws {
        let buzzer = SimulatedBuzzer()
        for (seconds, on) in [(0.0, false), (0.25, true), (0.5, true), (0.75, false)] { try buzzer.set(on, atSeconds: seconds) }
        #expect(buzzer.changes.map(\.seconds) == [0.25, 0.75])
        #expect(buzzer.wasOn(atSeconds: 0.6))
        #expect(!buzzer.wasOn(atSeconds: 0.8))
        #expect(buzzer.writes == 4)
    }
}
