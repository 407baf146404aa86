import Testing

@testable import WokCore

private let station = Station.standard

/// Steps a session from `from` to `to` with readings from `measured(t)`, collecting events.
private func run(
    _ session: inout CookSession, from: Double, to: Double, step: Double = 0.25, measured: (Double) -> Double?
) -> [CookEvent] {
    var events: [CookEvent] = []
    var now = from
    while now < to - 1e-9 {
        now += step
        events += session.step(nowSeconds: now, measuredC: measured(now))
    }
    return events
}

private func reached(_ events: [CookEvent]) -> Bool {
    events.contains { if case .targetReached = $0 { true } else { false } }
}

/// Stages that mean what a cook means: a lower target is a cool-down, prompts name the food.
@Suite struct StageMeaningTests {
    @Test func aReachedStageBelowTheWokWaitsForItToCoolIntoTheBand() {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "cool for the garlic", heat: .celsius(150), advance: .reached, maxSeconds: 600),
                Stage(name: "garlic", heat: .celsius(150), advance: .time, seconds: 30),
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        // The wok comes down from 227 °C at 0.5 °C/s: inside 150 ± 3 °C only after about 148 s.
        let cooling = run(&session, from: 0, to: 140) { 227 - 0.5 * $0 }
        #expect(!reached(cooling), "a 227 °C wok is not at 150 °C")
        #expect(session.stageIndex == 0)
        #expect(session.state == .cooling)
        #expect(session.targetC == 150, "the burner is off because the wok is above its target, not because the stage says off")
        let arriving = run(&session, from: 140, to: 150) { 227 - 0.5 * $0 }
        #expect(reached(arriving))
        #expect(session.stageIndex == 1)
    }

    @Test func aTimerThatWaitsForTheTargetWaitsForTheBandFromAbove() {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [Stage(name: "garlic at 150", heat: .celsius(150), advance: .time, timer: .reached, seconds: 60, maxSeconds: 600)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = run(&session, from: 0, to: 100) { _ in 200 }
        #expect(session.stageClockSeconds == 0, "the clock has not started while the wok is 50 °C too hot")
        #expect(session.remainingSeconds == nil)
        _ = run(&session, from: 100, to: 101) { _ in 151 }
        _ = run(&session, from: 101, to: 131) { _ in 150 }
        // The clock started at the first reading inside the band (100.25 s).
        #expect(abs((session.remainingSeconds ?? 0) - 29.25) < 0.01)
    }

    @Test func aWokThatStepsOverTheWholeBandBetweenReadingsHasArrived() {
        let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "hot", heat: .celsius(200), advance: .reached, maxSeconds: 600)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = session.step(nowSeconds: 1, measuredC: 195)
        #expect(session.isRunning)
        let events = session.step(nowSeconds: 2, measuredC: 205)
        #expect(reached(events), "195 then 205 crossed the 197-203 band")
    }

    @Test func aHotterWokStartsAReachedStageWithNoFalseArrival() {
        let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "hot", heat: .celsius(200), advance: .reached, maxSeconds: 600)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        let events = run(&session, from: 0, to: 20) { _ in 230 }
        #expect(!reached(events), "steady above the band is not in it")
        #expect(session.state == .cooling)
    }

    @Test func aStageThatAddsFoodSaysWhatToAddWithItsPromptOrWithout() {
        let withPrompt = Stage(
            name: "pork", heat: .level(.high), advance: .time, seconds: 60, prompt: "Add the pork and break it up.",
            add: [Addition(name: "pork mince", grams: 500, tempC: 4, water: 0.15)])
        #expect(CookSession.promptText(for: withPrompt) == "Add the pork and break it up. Add 500 g pork mince.")
        let bare = Stage(
            name: "aromatics", heat: .level(.high), advance: .time, seconds: 60,
            add: [
                Addition(name: "garlic", grams: 15, tempC: 20, water: 0.6), Addition(name: "shallot", grams: 60, tempC: 20, water: 0.8),
                Addition(name: "chilli", grams: 4.5, tempC: 20, water: 0.8),
            ])
        #expect(CookSession.promptText(for: bare) == "Add 15 g garlic; 60 g shallot; 4.5 g chilli.")
        let noFood = Stage(name: "preheat", heat: .level(.high), advance: .reached)
        #expect(CookSession.promptText(for: noFood) == nil)
    }

    @Test func theCooksStartListsEverythingToHaveReadyUntilTheFoodStartsGoingIn() {
        let recipe = Recipe(
            name: "r", serves: 2,
            stages: [
                Stage(name: "preheat", heat: .level(.high), advance: .time, seconds: 10),
                Stage(
                    name: "sugar", heat: .level(.high), advance: .time, seconds: 10,
                    add: [Addition(name: "sugar", grams: 50, tempC: 20, water: 0)]),
                Stage(
                    name: "pork", heat: .level(.high), advance: .time, seconds: 10,
                    add: [Addition(name: "pork", grams: 300, tempC: 4, water: 0.1)]),
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        let events = session.begin()
        #expect(events.contains(.prompt(index: 0, text: "Have ready: 50 g sugar; 300 g pork.")))
        #expect(session.haveReady == "50 g sugar; 300 g pork")
        _ = run(&session, from: 0, to: 10.5) { _ in 230 }
        #expect(session.stageIndex == 1)
        #expect(session.haveReady == nil)

        var resumed = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        #expect(resumed.begin(atStage: 2).contains(.prompt(index: 2, text: "Have ready: 300 g pork.")), "a resumed cook lists only what is left")
    }

    @Test func aSafeHoldIsAnnouncedWithTheTimeLeftBeforeIt() {
        let recipe = Recipe(
            name: "r", serves: 1, stages: [Stage(name: "caramel", heat: .level(.mediumHigh), advance: .confirm, minSeconds: 60, maxSeconds: 120)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = run(&session, from: 0, to: 100) { _ in 200 }
        #expect(abs((session.untilSafeHoldSeconds ?? 0) - 20) < 0.3)
        _ = run(&session, from: 100, to: 121) { _ in 200 }
        #expect(session.isOverdue)
        #expect(session.untilSafeHoldSeconds == nil)
    }
}

/// `extend`, `finish`, portions and the manual hold.
@Suite struct CookSteeringTests {
    private static let timed = Recipe(
        name: "r", serves: 4,
        stages: [
            Stage(name: "braise", heat: .level(.medium), advance: .time, seconds: 60),
            Stage(name: "caramel", heat: .level(.mediumHigh), advance: .confirm, minSeconds: 30, maxSeconds: 60),
            Stage(name: "hot", heat: .level(.high), advance: .reached, maxSeconds: 300),
        ])

    @Test func extendMakesATimedStageRunLongerAndGrowsThePlan() throws {
        var session = CookSession(recipe: Self.timed, station: station, nowSeconds: 0)
        _ = session.begin()
        let planned = session.plannedSeconds
        _ = run(&session, from: 0, to: 50) { _ in 170 }
        let events = try session.extend(bySeconds: 90, nowSeconds: 50)
        #expect(events == [.stageExtended(index: 0, bySeconds: 90, totalSeconds: 90, targetC: 170)])
        #expect(session.plannedSeconds == planned + 90, "the safety monitor's overrun bound follows the extension")
        #expect(abs((session.remainingSeconds ?? 0) - 100) < 0.01)
        _ = run(&session, from: 50, to: 149) { _ in 170 }
        #expect(session.stageIndex == 0)
        _ = run(&session, from: 149, to: 151) { _ in 170 }
        #expect(session.stageIndex == 1)
        #expect(session.extraSeconds == 0, "the next stage starts with its own time")
    }

    @Test func extendIsBoundedPerStage() throws {
        var session = CookSession(recipe: Self.timed, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = try session.extend(bySeconds: 1800, nowSeconds: 1)
        _ = try session.extend(bySeconds: 1800, nowSeconds: 2)
        #expect(throws: SessionError.extensionTooLong(index: 0, name: "braise", allowedSeconds: 0)) {
            _ = try session.extend(bySeconds: 1, nowSeconds: 3)
        }
    }

    @Test func extendGivesAConfirmStageLongerBeforeItsSafeHoldAndLiftsOneAlreadyThere() throws {
        var session = CookSession(recipe: Self.timed, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = run(&session, from: 0, to: 61) { _ in 170 }
        #expect(session.stageIndex == 1)
        _ = run(&session, from: 61, to: 125) { _ in 200 }
        #expect(session.isOverdue)
        #expect(session.targetC == station.targetC(for: .level(station.limits.safeHoldLevel)))
        _ = try session.extend(bySeconds: 60, nowSeconds: 125)
        #expect(!session.isOverdue)
        #expect(session.targetC == 200, "back to the caramel's heat for the minute given")
        // The stage began at 60 s; its deadline moved from 60 s to 120 s of stage time.
        _ = run(&session, from: 125, to: 179) { _ in 200 }
        #expect(!session.isOverdue)
        _ = run(&session, from: 179, to: 182) { _ in 200 }
        #expect(session.isOverdue, "the new deadline holds like the old one")
    }

    @Test func aStageThatEndsOnItsTargetCannotBeExtended() throws {
        var session = CookSession(recipe: Self.timed, station: station, nowSeconds: 0)
        _ = session.begin(atStage: 2)
        #expect(throws: SessionError.cannotExtend(index: 2, name: "hot")) { _ = try session.extend(bySeconds: 60, nowSeconds: 1) }
    }

    @Test func finishEndsATimedStageNowButNotAConfirmStage() throws {
        var session = CookSession(recipe: Self.timed, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = run(&session, from: 0, to: 20) { _ in 170 }
        let events = try session.finish(nowSeconds: 20)
        #expect(events.first == .stageFinished(index: 0))
        #expect(session.stageIndex == 1)
        #expect(throws: SessionError.cannotFinish(index: 1, name: "caramel")) { _ = try session.finish(nowSeconds: 21) }
    }

    @Test func servesScalesEveryAdditionWithinOneBatch() throws {
        let recipe = Recipe(
            name: "pork", serves: 4,
            stages: [
                Stage(name: "s", heat: .level(.high), advance: .time, seconds: 10, add: [Addition(name: "pork", grams: 500, tempC: 4, water: 0.1)])
            ])
        let forTwo = try recipe.scaled(toServe: 2).get()
        #expect(forTwo.serves == 2)
        #expect(forTwo.stages[0].addedGrams == 250)
        #expect(try recipe.scaled(toServe: 8).get().stages[0].addedGrams == 1000)
        guard case .failure(let problem) = recipe.scaled(toServe: 9) else {
            Issue.record("scaled past a batch")
            return
        }
        #expect(problem.description.contains("1 to 8"))
        #expect(throws: ControlProblem.self) { try recipe.scaled(toServe: 0).get() }
    }

    @Test func aManualHoldIsAOneStageCookWithItsOwnClock() throws {
        let hold = try ManualHold.recipe(heat: .celsius(180), seconds: 600).get()
        #expect(hold.recipe.stages.count == 1)
        #expect(hold.recipe.stages[0].heat == .celsius(180))
        #expect(hold.recipe.stages[0].seconds == 600)
        #expect(RecipeCheck.problems(hold.recipe, on: station).isEmpty)
        guard case .success(let reparsed) = RecipeLoader.parse(hold.document, source: "record") else {
            Issue.record("the hold's document does not load back")
            return
        }
        #expect(reparsed == hold.recipe, "an interrupted hold resumes as the same hold")
        #expect(throws: ControlProblem.self) { try ManualHold.recipe(heat: .level(.off)).get() }
        #expect(throws: ControlProblem.self) { try ManualHold.recipe(heat: .level(.high), seconds: 7200).get() }
    }
}

/// "The timer starts once the wok is back at heat" after the food goes in.
@Suite struct FoodDipTests {
    private static let recipe = Recipe(
        name: "r", serves: 1,
        stages: [
            Stage(
                name: "sear", heat: .level(.high), advance: .time, timer: .reached, seconds: 60, maxSeconds: 600,
                add: [Addition(name: "beef", grams: 350, tempC: 4, water: 0.7)])
        ])

    @Test func aWokAlreadyAtHeatWaitsForTheFoodsDipAndRecovery() {
        var session = CookSession(recipe: Self.recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        // At heat when the stage begins; the food lands at 5 s and the wok recovers by 80 s.
        let events = run(&session, from: 0, to: 100) { t in t < 5 ? 230 : (t < 80 ? 190 : 230) }
        let reachedAt = events.firstIndex { if case .targetReached = $0 { true } else { false } }
        #expect(reachedAt != nil)
        #expect(abs((session.remainingSeconds ?? 0) - 40) < 0.01, "the clock ran from the recovery at 80 s, not from 0 s")
    }

    @Test func aLoadTooSmallToKnockTheWokOutCountsAsAbsorbed() {
        var session = CookSession(recipe: Self.recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = run(&session, from: 0, to: 29) { _ in 229 }
        #expect(session.stageClockSeconds == 0)
        _ = run(&session, from: 29, to: 40) { _ in 229 }
        #expect(session.hasReachedTarget)
        #expect(abs(session.stageClockSeconds - 10) < 0.01)
    }
}
