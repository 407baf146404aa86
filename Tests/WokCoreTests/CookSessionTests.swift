import Testing

@testable import WokCore

private let station = Station.standard

/// Steps a session from `from` to `to` at `measured`, collecting events.
private func advance(_ session: inout CookSession, from: Double, to: Double, measured: Double?, step: Double = 0.25) -> [CookEvent] {
    var events: [CookEvent] = []
    var now = from
    while now < to - 1e-9 {
        now += step
        events += session.step(nowSeconds: now, measuredC: measured)
    }
    return events
}

@Suite struct CookSessionTests {
    @Test func timeStagesEndAfterTheirSecondsAndTheCookCompletes() {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "a", heat: .level(.high), advance: .time, seconds: 30),
                Stage(name: "b", heat: .level(.off), advance: .time, seconds: 10),
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        #expect(session.begin().contains(.stageStarted(index: 0, name: "a", targetC: 230)))
        _ = advance(&session, from: 0, to: 29.75, measured: 100)
        #expect(session.stageIndex == 0)
        let events = advance(&session, from: 29.75, to: 30.25, measured: 100)
        #expect(events.contains(.stageStarted(index: 1, name: "b", targetC: nil)))
        #expect(session.targetC == nil)
        _ = advance(&session, from: 30.25, to: 41, measured: 100)
        #expect(session.outcome == .completed)
        #expect(session.state == .done)
    }

    @Test func reachedTimerStartsTheClockOnlyAtTheTarget() {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "sear", heat: .level(.high), advance: .time, timer: .reached, seconds: 60, maxSeconds: 500)
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = advance(&session, from: 0, to: 100, measured: 150)
        #expect(session.state == .preheating)
        #expect(session.stageClockSeconds == 0)
        let events = advance(&session, from: 100, to: 101, measured: 228)
        #expect(events.contains { if case .targetReached = $0 { true } else { false } })
        _ = advance(&session, from: 101, to: 159, measured: 229)
        #expect(session.isRunning)
        _ = advance(&session, from: 159, to: 162, measured: 229)
        #expect(session.outcome == .completed)
    }

    @Test func reachedStageGivesUpAtItsBoundWithAWarning() {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "preheat", heat: .level(.high), advance: .reached, maxSeconds: 120),
                Stage(name: "next", heat: .level(.high), advance: .time, seconds: 10),
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        let events = advance(&session, from: 0, to: 121, measured: 80)
        #expect(events.contains { if case .targetNotReached(index: 0, _) = $0 { true } else { false } })
        #expect(session.stageIndex == 1)
    }

    @Test func confirmIsRefusedBeforeMinimumAndOverdueDropsToTheSafeHold() throws {
        let recipe = Recipe(
            name: "r", serves: 1,
            stages: [
                Stage(name: "caramel", heat: .level(.mediumHigh), advance: .confirm, minSeconds: 180, maxSeconds: 240),
                Stage(name: "pork", heat: .level(.high), advance: .time, seconds: 60),
            ])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = advance(&session, from: 0, to: 100, measured: 200)
        #expect(throws: SessionError.self) { try session.confirm(nowSeconds: 100) }
        var events = advance(&session, from: 100, to: 181, measured: 200)
        #expect(events.contains(.awaitingConfirmation(index: 0)))
        #expect(session.state == .waitingForCook)
        #expect(session.targetC == 200)
        events = advance(&session, from: 181, to: 241, measured: 200)
        #expect(events.contains { if case .confirmationOverdue(index: 0, holdC: 110) = $0 { true } else { false } })
        #expect(session.targetC == station.levels[.low])
        let confirmed = try session.confirm(nowSeconds: 241)
        #expect(confirmed.contains(.confirmed(index: 0)))
        #expect(session.stageIndex == 1)
        #expect(session.targetC == 230)
    }

    @Test func holdFreezesTheClockAndResumeContinues() throws {
        let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "a", heat: .level(.high), advance: .time, seconds: 60)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        _ = advance(&session, from: 0, to: 20, measured: 230)
        _ = try session.hold(nowSeconds: 20)
        #expect(session.state == .holding)
        _ = advance(&session, from: 20, to: 200, measured: 230)
        #expect(abs(session.stageClockSeconds - 20) < 1e-9)
        #expect(session.targetC == 230, "holding keeps the heat")
        _ = try session.resume(nowSeconds: 200)
        _ = advance(&session, from: 200, to: 239, measured: 230)
        #expect(session.isRunning)
        _ = advance(&session, from: 239, to: 241, measured: 230)
        #expect(session.outcome == .completed)
    }

    @Test func abortEndsTheCookAndTurnsTheTargetOff() {
        let recipe = Recipe(name: "r", serves: 1, stages: [Stage(name: "a", heat: .level(.high), advance: .time, seconds: 60)])
        var session = CookSession(recipe: recipe, station: station, nowSeconds: 0)
        _ = session.begin()
        #expect(session.abort(reason: "cook said stop") == [.cookAborted(reason: "cook said stop")])
        #expect(session.targetC == nil)
        #expect(!session.isRunning)
        #expect(throws: SessionError.notRunning) { try session.confirm(nowSeconds: 1) }
    }
}
