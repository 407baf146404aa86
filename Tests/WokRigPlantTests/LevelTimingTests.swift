// The line timer on a virtual clock: a scripted line, a recorded action.
import Testing
import WokRigPlant

@Suite struct LevelTimingTests {
    // The scripted times sit between poll instants, so no figure depends on how sums round.
    static func request(waitFor: Int? = 1, timeout: Double = 3, hold: Double = 1) -> LevelTimingRequest {
        LevelTimingRequest(
            linePath: "/sys/line", waitForLevel: waitFor, waitSeconds: 2,
            actions: LevelTimingActions(killPID: 42), level: 0, timeoutSeconds: timeout, holdSeconds: hold)
    }

    /// Times a line that is high from `highAt` and low again `lowAfter` seconds after the action,
    /// high again `backAfter` seconds after the action if given.
    static func time(
        _ request: LevelTimingRequest, highAt: Double = 0.4995, lowAfter: Double?, backAfter: Double? = nil
    ) throws(RigError) -> (LevelTimingResult, [LevelTimingActions], actedAt: Double?) {
        let time = VirtualTime()
        var clock = VirtualClock(time: time)
        var acted: [LevelTimingActions] = []
        var actedAt: Double?
        let result = try timeLevel(
            request, clock: &clock,
            readLevel: { path in
                #expect(path == "/sys/line")
                guard let actedAt else { return time.nowSeconds >= highAt ? 1 : 0 }
                let since = time.nowSeconds - actedAt
                if let backAfter, since >= backAfter { return 1 }
                if let lowAfter, since >= lowAfter { return 0 }
                return 1
            },
            act: { actions in
                acted.append(actions)
                actedAt = time.nowSeconds
            })
        return (result, acted, actedAt)
    }

    @Test func itWaitsForTheStartingLevelActsOnceAndTimesTheDrop() throws {
        let (result, acted, actedAt) = try Self.time(Self.request(), lowAfter: 0.0059)
        #expect(acted == [LevelTimingActions(killPID: 42)])
        // The first 1 ms poll after the line went high at 499.5 ms.
        #expect(abs(try #require(actedAt) - 0.5) < 1e-9)
        #expect(abs(result.waitedSeconds - 0.5) < 1e-9)
        // The first 0.2 ms poll after the drop at 5.9 ms: the 31st read, at 6.0 ms.
        #expect(abs(try #require(result.reachedAfterSeconds) - 0.006) < 1e-9)
        #expect(result.reads == 31)
        #expect(!result.leftLevelDuringHold)
        #expect(result.passed)
    }

    @Test func aLineThatNeverDropsFailsAtTheTimeout() throws {
        let (result, acted, _) = try Self.time(Self.request(timeout: 0.1001), lowAfter: nil)
        #expect(acted.count == 1)
        #expect(result.reachedAfterSeconds == nil)
        #expect(!result.passed)
        // Reads at 0, 0.2, ... 100 ms: 0.1001 s of 0.2 ms polls, and not one more.
        #expect(result.reads == 501)
        #expect(result.line(holdSeconds: 1).contains("reachedMs=never reads=501 "))
    }

    @Test func aLineThatComesBackDuringTheHoldFails() throws {
        let (result, _, _) = try Self.time(Self.request(), lowAfter: 0.2001, backAfter: 0.7001)
        #expect(result.reachedAfterSeconds != nil)
        #expect(result.leftLevelDuringHold)
        #expect(!result.passed)
        #expect(result.line(holdSeconds: 1).hasSuffix("heldForMs=no"))
    }

    @Test func withoutAHoldTheFirstReadAtTheLevelPasses() throws {
        let (result, _, _) = try Self.time(Self.request(hold: 0), lowAfter: 0.2001, backAfter: 0.3001)
        #expect(result.passed)
    }

    @Test func aStartingLevelNeverSeenIsAnErrorAndNothingIsDone() {
        var clock = VirtualClock(time: VirtualTime())
        var acted = 0
        #expect(throws: RigError("the line never showed 1 within 2.0 s")) {
            _ = try timeLevel(Self.request(), clock: &clock, readLevel: { _ in 0 }, act: { _ in acted += 1 })
        }
        #expect(acted == 0)
        // Bounded by the wait: about 2 s of 1 ms polls.
        #expect(abs(clock.nowSeconds() - 2) < 0.002)
    }

    @Test func withoutAStartingLevelItActsAtOnce() throws {
        let (result, _, actedAt) = try Self.time(Self.request(waitFor: nil), highAt: 10, lowAfter: 0)
        #expect(actedAt == 0)
        #expect(result.waitedSeconds == 0)
        // The line drops at the action itself, so the first read already shows the level.
        #expect(result.reads == 1)
        #expect(result.reachedAfterSeconds == 0)
    }

    @Test func aFailedActionStopsTheTimer() {
        let time = VirtualTime()
        var clock = VirtualClock(time: time)
        var reads = 0
        #expect(throws: RigError("cannot SIGKILL pid 42: errno 3")) {
            _ = try timeLevel(
                Self.request(waitFor: nil), clock: &clock,
                readLevel: { _ in
                    reads += 1
                    return 1
                },
                act: { _ throws(RigError) in throw RigError("cannot SIGKILL pid 42: errno 3") })
        }
        #expect(reads == 0)
    }

    @Test(arguments: [
        (0.0058, "5.800"), (0.168, "168.000"), (0.0, "0.000"), (1.0, "1000.000"), (0.0000004, "0.000"),
        (0.2491234, "249.123"), (12.3456789, "12345.679"),
    ])
    func millisecondsHaveThreeDecimals(seconds: Double, text: String) {
        #expect(formatMilliseconds(seconds) == text)
    }

    @Test func theTimingLineCarriesEveryFigure() {
        var result = LevelTimingResult()
        result.waitedSeconds = 0.012
        result.reachedAfterSeconds = 0.0058
        result.reads = 29
        #expect(result.line(holdSeconds: 1) == "TIMING waitedMs=12.000 reachedMs=5.800 reads=29 heldForMs=1000.000")
    }
}
