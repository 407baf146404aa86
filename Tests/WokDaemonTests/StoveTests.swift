// The stove's buttons and buzzer through the daemon core, on the simulated station in virtual time.
import Testing
import WokCore
import WokSimulator
import WokWire

@testable import WokDaemon

extension CoreRig {
    /// Log lines that contain `text`.
    func logged(_ text: String) -> [String] { log.lines.map(\.message).filter { $0.contains(text) } }

    /// Times the buzzer went on within `range` of station time.
    func beeps(in range: ClosedRange<Double>) -> Int {
        buzzer.changes.filter { $0.on && range.contains($0.seconds) }.count
    }
}

@Suite struct StoveButtonTests {
    @Test func nextConfirmsTheCaramelAndIsLoggedWithTheButtonAsPeer() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached1 = rig.run(until: { state($0) == "waiting-for-cook" })
        #expect(reached1)

        rig.buttons.press(.next)
        rig.run(seconds: 0.25)

        #expect(stageIndex(rig.core.snapshot().jsonObject) == 2)
        #expect(rig.logged("button next confirmed the stage").count == 1)
    }

    @Test func nextTooEarlyIsRefusedInTheLogAndTheCookGoesOn() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)

        rig.buttons.press(.next)
        rig.run(seconds: 0.25)

        #expect(rig.logged("button next was refused").count == 1)
        #expect(state(rig.core.snapshot().jsonObject) == "preheating")
    }

    @Test func holdTogglesBetweenHeldAndResumed() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)

        rig.buttons.press(.hold)
        rig.run(seconds: 0.25)
        #expect(rig.core.state == .holding)
        #expect(rig.logged("button hold held the cook").count == 1)

        rig.buttons.press(.hold)
        rig.run(seconds: 0.25)
        #expect(rig.core.state == .preheating)
        #expect(rig.logged("button hold resumed the cook").count == 1)
    }

    @Test func stopAbortsWithTheBurnerOffOnTheTickThatReadsThePress() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 5)
        #expect(rig.core.burnerIsOn, "the preheat calls for the burner")

        rig.buttons.press(.stop)
        rig.now += rig.core.station.control.periodSeconds
        rig.core.tick(nowSeconds: rig.now)

        #expect(rig.core.burnerIsOn == false)
        #expect(rig.relay.command == .off)
        #expect(rig.core.state == .idle)
        #expect(rig.logged("button stop aborted the cook").count == 1)
        #expect(rig.records.record == nil, "an aborted cook is over")
    }

    @Test func pressesWithNoCookRunningAreLoggedAndChangeNothing() throws {
        var rig = try CoreRig()
        for button in StationButton.allCases { rig.buttons.press(button) }
        rig.run(seconds: 0.5)

        #expect(rig.logged("pressed with no cook running").count == 3)
        #expect(rig.logged("button stop pressed with no cook running: nothing to stop").count == 1)
        #expect(rig.core.state == .idle)
        #expect(rig.core.burnerIsOn == false)
    }

    @Test func aButtonLineThatFailsIsLoggedOnceAndTheCookGoesOn() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.buttons.readFailure = "button next: read edges /dev/gpiochip0 line 22: No such device (errno 19)"
        rig.run(seconds: 10)

        #expect(rig.logged("read edges /dev/gpiochip0 line 22").count == 1)
        #expect(rig.core.state == .preheating)
        #expect(rig.core.burnerIsOn)
    }

    @Test func plannedPressesCountFromTheFirstCooksStart() throws {
        var rig = try CoreRig(presses: [PlannedPress(button: .stop, atSeconds: 20)])
        rig.run(seconds: 30)
        #expect(rig.logged("button stop").isEmpty, "no cook yet, so the plan has not begun")

        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 19)
        #expect(rig.core.state == .preheating)
        rig.run(seconds: 2)
        #expect(rig.core.state == .idle)
        #expect(rig.logged("button stop aborted the cook").count == 1)
    }
}

@Suite struct StoveBuzzerTests {
    @Test func thePromptRepeatsWhileTheCaramelWaitsAndStopsWhenConfirmed() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached2 = rig.run(until: { state($0) == "waiting-for-cook" })
        #expect(reached2)
        let waitingFrom = rig.now
        rig.run(seconds: 12)

        // Two beeps every 4 s: six in 12 s, and never a steady tone.
        #expect(rig.beeps(in: waitingFrom...(rig.now - 0.5)) == 6)
        #expect(rig.logged("buzzer: prompt pattern, stage 2 waits for the cook").count == 1)

        _ = try rig.ask(.next).get()
        rig.run(seconds: 0.25)
        #expect(rig.logged("buzzer: prompt pattern, stage 2 waits for the cook").count == 1)
        #expect(stageIndex(rig.core.snapshot().jsonObject) == 2)
    }

    @Test func aPressSilencesThePromptUntilTheNextOccasion() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        // The caramel stage adds sugar: its first minute prompts the cook to add it.
        let reached3 = rig.run(until: { stageIndex($0) == 1 })
        #expect(reached3)
        rig.run(seconds: 5)
        #expect(rig.buzzer.changes.contains { $0.on }, "the add-food prompt sounds")

        // Too early to confirm, but the press still silences the buzzer.
        rig.buttons.press(.next)
        rig.run(seconds: 0.25)
        let silencedAt = rig.now
        rig.run(seconds: 40)

        #expect(rig.buzzer.isOn == false)
        #expect(rig.beeps(in: silencedAt...rig.now) == 0)
        #expect(rig.logged("button next was refused").count == 1)
    }

    @Test func aWarningSoundsOnceThirtySecondsBeforeTheConfirmWindowOpens() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached4 = rig.run(until: { stageIndex($0) == 1 })
        #expect(reached4)
        let stageStart = rig.now
        // The food prompt ends after a minute; the window opens at 180 s.
        rig.run(seconds: 140)
        #expect(rig.beeps(in: (stageStart + 61)...rig.now) == 0)

        let reached5 = rig.run(until: { state($0) == "waiting-for-cook" }, limitSeconds: 60)
        #expect(reached5)
        let windowOpened = rig.now

        #expect(rig.beeps(in: (windowOpened - 31)...(windowOpened - 0.5)) == 3, "three beeps, once")
        #expect(rig.beeps(in: (windowOpened - 26)...(windowOpened - 0.5)) == 0, "the warning plays once, not again")
        #expect(rig.logged("buzzer: warning pattern, stage 2 can be confirmed within 30 s").count == 1)
    }

    @Test func theSafeHoldIsWarnedOfThirtySecondsAhead() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached6 = rig.run(until: { state($0) == "waiting-for-cook" })
        #expect(reached6)
        let log = rig.log
        let warned = rig.run(until: { _ in log.lines.contains { $0.message.contains("drops to the safe hold within 30 s") } }, limitSeconds: 60)
        #expect(warned)
        // The warning outranks the prompt while it plays, then the prompt comes back.
        rig.run(seconds: 3)
        #expect(rig.logged("buzzer: prompt pattern, stage 2 waits for the cook").count == 2)
    }

    @Test func aTimedStageWarnsThirtySecondsBeforeItEnds() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached7 = rig.run(until: { state($0) == "waiting-for-cook" })
        #expect(reached7)
        _ = try rig.ask(.next).get()
        // "Brown the pork": 120 s from the target; "Aromatics" starts when it ends.
        let reached8 = rig.run(until: { stageIndex($0) == 3 }, limitSeconds: 700)
        #expect(reached8)
        #expect(rig.logged("buzzer: warning pattern, stage 3 ends within 30 s").count == 1)
    }

    @Test func aLatchedFaultSoundsContinuouslyUntilAcknowledged() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30, durationSeconds: 5)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached9 = rig.run(until: { state($0) == "fault" }, limitSeconds: 60)
        #expect(reached9)
        let latchedAt = rig.now
        rig.run(seconds: 20)

        #expect(rig.buzzer.isOn)
        #expect(rig.buzzer.changes.filter { !$0.on && $0.seconds >= latchedAt }.isEmpty, "continuous, not beeping")

        _ = try rig.ask(.ack).get()
        rig.run(seconds: 0.25)
        #expect(rig.buzzer.isOn == false)
    }

    @Test func aPressSilencesTheAlarm() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached10 = rig.run(until: { state($0) == "fault" }, limitSeconds: 60)
        #expect(reached10)
        rig.run(seconds: 1)
        #expect(rig.buzzer.isOn)

        rig.buttons.press(.stop)
        rig.run(seconds: 10)
        #expect(rig.buzzer.isOn == false)
        #expect(rig.core.state == .fault, "silencing is not acknowledging")
    }

    @Test func aFailingBuzzerIsLoggedOnceAndLeavesTheBurnerAlone() throws {
        var working = try CoreRig()
        var broken = try CoreRig()
        broken.buzzer.failsAlways = true
        for rig in [working, broken] { _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get() }
        working.run(seconds: 400)
        broken.run(seconds: 400)

        #expect(broken.logged("buzzer: set").count == 1)
        #expect(broken.relay.switchCount == working.relay.switchCount)
        #expect(broken.core.state == working.core.state)
        #expect(working.buzzer.changes.count > 0)
    }

    @Test func shutdownLeavesTheBuzzerSilent() throws {
        var rig = try CoreRig(faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let reached11 = rig.run(until: { state($0) == "fault" }, limitSeconds: 60)
        #expect(reached11)
        rig.run(seconds: 1)
        #expect(rig.buzzer.isOn)

        #expect(rig.core.shutdown(reason: "SIGTERM"))
        #expect(rig.buzzer.isOn == false)
    }
}

@Suite struct StoveRunnerTests {
    @Test func aButtonPressedDuringTheRunnersVirtualTimeStopsTheCook() throws {
        let rig = try RunnerRig()
        let cook = rig.cook()
        guard case .result = rig.ask(cook, .start, ["recipe": "caramelised-pork-mince"]) else {
            Issue.record("did not start")
            return
        }
        rig.run(seconds: 5)
        #expect(rig.core.burnerIsOn)

        rig.buttons.press(.stop)
        rig.run(seconds: 0.3)

        #expect(rig.core.burnerIsOn == false)
        #expect(rig.core.state == .idle)
        #expect(rig.log.lines.contains { $0.message.contains("button stop aborted the cook") })
    }
}
