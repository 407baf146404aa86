import Testing
import WokCore

@testable import WokSimulator

@Suite struct StallAndClockTests {
    /// However long the loop stops (a SIGSTOP of the daemon, a starved process), the first tick
    /// after it names a stall, with its length, and turns the burner off; it is never taken for
    /// a step of a clock.
    @Test(arguments: [1.5, 36.0, 90.0])
    func aStallOfAnyLengthIsNamedAStallWithItsLength(seconds: Double) throws {
        let config = SimulationConfig(
            recipe: try shippedRecipe("caramelised-pork-mince"),
            faults: [FaultInjection(kind: .loopStall, atSeconds: 200, durationSeconds: seconds)], tailSeconds: 10)
        let result = try simulate(config)
        let outcome = try #require(result.faults.first)
        #expect(outcome.latchedKind == .loopStalled)
        let fault = result.events.compactMap { if case .faultLatched(let fault) = $0.event { fault } else { nil } }.first
        // The gap runs from the last tick before the stall to the first after it.
        let reason = try #require(fault?.reason)
        let reported = reason.split(separator: "stalled for ").dropFirst().first?.split(separator: " ").first.flatMap { Double($0) }
        let length = try #require(reported, "\(reason)")
        #expect(length >= seconds && length <= seconds + 3 * Station.standard.control.periodSeconds, "\(reason)")
        #expect(try #require(outcome.burnerOffAtSeconds) - (try #require(outcome.detectedAtSeconds)) <= 0.25)
    }

    /// The loop runs on the monotonic clock: the wall clock stepping back or forward during a
    /// cook (seeded draws of both) latches nothing, and the cook completes.
    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func aStepOfTheWallClockLeavesTheCookAlone(seed: UInt64) throws {
        let config = SimulationConfig(
            recipe: try shippedRecipe("caramelised-pork-mince"), seed: seed,
            faults: [FaultInjection(kind: .clockJump, atSeconds: 150 + Double(seed) * 60)])
        let result = try simulate(config)
        #expect(!result.faultLatched, "\(result.abortReason ?? "")")
        #expect(result.completed)
    }

    /// The simulated station's wall clock moves when the fault strikes and is set right when it
    /// clears; the loop's time does not move.
    @Test func aClockJumpStepsTheWallClockNotTheLoops() throws {
        var station = try SimulatedStation(plant: PlantParameters(), seed: 3)
        station.advance(to: 10)
        station.inject(.clockJump)
        #expect(station.wallClock.stepSeconds != 0)
        #expect(station.loopSeconds(atWorldSeconds: 10) == 10)
        station.clear(.clockJump)
        #expect(station.wallClock.stepSeconds == 0)
    }
}
