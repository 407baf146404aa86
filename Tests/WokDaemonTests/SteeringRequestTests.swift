import Testing
import WokCore
import WokWire

@testable import WokDaemon

/// `extend`, `finish`, `hold-at` and `start` with `serves`, through the daemon core as the socket
/// hands them over: permitted peers only, typed refusals, logged with the peer.
@Suite struct SteeringRequestTests {
    @Test func extendGivesTheCaramelMoreTimeBeforeTheSafeHold() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let arrived1 = rig.run(until: { stageIndex($0) == 1 })
        #expect(arrived1)
        let before = try #require(rig.core.snapshot().stage?.untilSafeHoldSeconds)
        let answer = try rig.ask(.extend, ["seconds": 120]).get()
        let stage = try #require(answer.objectValue?["stage"]?.objectValue)
        #expect(stage["extraSeconds"]?.numberValue == 120)
        #expect(abs((stage["untilSafeHoldSeconds"]?.numberValue ?? 0) - (before + 120)) < 0.01)
        #expect(rig.log.lines.contains { $0.message == "uid 1000 (cook) pid 42 gave the stage 2 min more" })
    }

    @Test func extendTakesOnlyABoundedNumberOfSeconds() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 1)
        for bad: JSONObject in [[:], ["seconds": "60"], ["seconds": 0], ["seconds": 5000], ["seconds": 60, "stage": 2]] {
            guard case .failure(let error) = rig.ask(.extend, bad) else {
                Issue.record("extend accepted \(bad)")
                continue
            }
            #expect(error.code == .invalidRequest)
        }
    }

    @Test func extendOnAPreheatIsRefusedWithTheReason() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        rig.run(seconds: 1)
        guard case .failure(let error) = rig.ask(.extend, ["seconds": 60]) else {
            Issue.record("a preheat was extended")
            return
        }
        #expect(error.code == .refused)
        #expect(error.message.contains("no clock to extend"))
    }

    @Test func finishEndsATimedStageAndMayNotBeSentByAWatcher() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let arrived2 = rig.run(until: { stageIndex($0) == 1 })
        #expect(arrived2)
        rig.run(seconds: 200)
        _ = try rig.ask(.next).get()
        let arrived3 = rig.run(until: { stageIndex($0) == 3 })
        #expect(arrived3)
        guard case .failure(let refused) = rig.ask(.finish, as: rig.stranger) else {
            Issue.record("a watcher ended a stage")
            return
        }
        #expect(refused.code == .notPermitted)
        let answer = try rig.ask(.finish).get()
        #expect(answer.objectValue?["stage"]?.objectValue?["index"]?.intValue == 4)
        #expect(rig.log.lines.contains { $0.message.contains("ended the stage early") })
    }

    @Test func holdAtKeepsTheWokAtATemperatureWithNoRecipeUntilAborted() throws {
        var rig = try CoreRig()
        let answer = try rig.ask(.holdAt, ["celsius": 180, "seconds": 600]).get().objectValue
        #expect(answer?["recipe"]?.stringValue == "Manual hold at 180 °C")
        #expect(answer?["targetC"]?.numberValue == 180)
        let arrived4 = rig.run(until: { ($0["temperatureC"]?.numberValue ?? 0) > 177 }, limitSeconds: 300)
        #expect(arrived4)
        rig.run(seconds: 120)
        let holding = rig.core.snapshot()
        #expect(abs((holding.temperatureC ?? 0) - 180) < 5)
        #expect(holding.state == .cooking)
        _ = try rig.ask(.abort).get()
        #expect(rig.core.burnerIsOn == false)
    }

    @Test func holdAtEndsByItselfWhenItsTimeIsUp() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.holdAt, ["level": "medium", "seconds": 120]).get()
        let arrived5 = rig.run(until: { state($0) == "done" }, limitSeconds: 125)
        #expect(arrived5)
        #expect(rig.core.burnerIsOn == false)
    }

    @Test func holdAtRefusesWhatIsNotAHold() throws {
        let rig = try CoreRig()
        let cases: [(JSONObject, ControlErrorCode)] = [
            ([:], .invalidRequest), (["celsius": 180, "level": "high"], .invalidRequest), (["level": "scorching"], .invalidRequest),
            (["level": "off"], .refused), (["celsius": 180, "seconds": 10], .refused), (["celsius": 330], .recipeInvalid),
            (["celsius": 180, "recipe": "x"], .invalidRequest),
        ]
        for (params, code) in cases {
            guard case .failure(let error) = rig.ask(.holdAt, params) else {
                Issue.record("hold-at accepted \(params)")
                continue
            }
            #expect(error.code == code, "\(params): \(error.message)")
        }
        #expect(rig.core.burnerIsOn == false)
    }

    @Test func servesScalesTheFoodTheCookIsToldAboutAndSurvivesAnInterruption() throws {
        let rig = try CoreRig()
        let answer = try rig.ask(.start, ["recipe": "caramelised-pork-mince", "serves": 2]).get().objectValue
        #expect(answer?["serves"]?.intValue == 2)
        #expect(answer?["haveReady"]?.stringValue?.contains("250 g pork mince") == true)
        #expect(rig.records.record?.serves == 2)
        #expect(rig.log.lines.contains { $0.message.contains("started \"Vietnamese caramelised pork mince\" for 2") })
        guard case .failure(let tooMany) = rig.ask(.start, ["recipe": "caramelised-pork-mince", "serves": 12]) else {
            Issue.record("a second start was accepted")
            return
        }
        #expect(tooMany.code == .refused)

        let record = try #require(rig.records.record)
        var resumed = try CoreRig(record: record)
        _ = try resumed.ask(.resume).get()
        #expect(resumed.core.snapshot().serves == 2)
        #expect(resumed.core.snapshot().haveReady?.contains("250 g pork mince") == true)
        resumed.run(seconds: 1)
    }

    @Test func servesOutsideOneBatchIsRefusedWithTheRange() throws {
        let rig = try CoreRig()
        guard case .failure(let error) = rig.ask(.start, ["recipe": "caramelised-pork-mince", "serves": 12]) else {
            Issue.record("twelve portions in one wok")
            return
        }
        #expect(error.code == .refused)
        #expect(error.message.contains("1 to 8"))
        guard case .failure(let typed) = rig.ask(.start, ["recipe": "caramelised-pork-mince", "serves": "two"]) else {
            Issue.record("serves as text accepted")
            return
        }
        #expect(typed.code == .invalidRequest)
    }
}

/// A cool-down stage keeps the burner off until the wok has come down into its band.
@Suite struct CoolDownBurnerTests {
    static let recipe = """
        {"schema": 1, "name": "Sear, then cool for the garlic", "serves": 1, "stages": [
          {"name": "Sear", "heat": "high", "advance": "reached", "maxSeconds": 600},
          {"name": "Cool", "heat": 150, "advance": "reached", "maxSeconds": 900},
          {"name": "Garlic", "heat": 150, "advance": "time", "seconds": 20}
        ]}
        """

    @Test func theBurnerStaysOffWhileTheWokCoolsToALowerTarget() throws {
        var rig = try CoreRig()
        _ = try rig.ask(.start, ["document": .string(Self.recipe), "source": "test"]).get()
        let cooling = rig.run(until: { state($0) == "cooling" }, limitSeconds: 900)
        #expect(cooling)
        var cooledTicks = 0
        while rig.core.snapshot().state == .cooling, cooledTicks < 4000 {
            #expect(rig.core.burnerIsOn == false, "burner on while cooling at \(rig.core.snapshot().temperatureC ?? -1) °C")
            rig.run(seconds: 0.25)
            cooledTicks += 1
        }
        #expect(cooledTicks > 20, "the wok took some time to cool")
        #expect(stageIndex(rig.core.snapshot().jsonObject) == 2, "the garlic stage began once the wok was down")
        #expect(abs((rig.core.snapshot().temperatureC ?? 0) - 150) <= 3.5)
    }
}
