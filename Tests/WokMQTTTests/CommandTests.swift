import Testing
import WokCore
import WokMQTT

@Suite struct CommandTests {
    func parse(_ verb: String, _ payload: String, _ policy: RemotePolicy = RemotePolicy()) -> Result<RemoteCommand, CommandRefusal> {
        CommandParser.parse(verbName: verb, payload: Array(payload.utf8), policy: policy)
    }

    func refusal(_ result: Result<RemoteCommand, CommandRefusal>) -> CommandRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func buttonsTakeExactlyPress() throws {
        for verb in ["next", "hold", "resume", "abort"] {
            #expect(try parse(verb, "PRESS").get() == RemoteCommand(verb: RemoteVerb(rawValue: verb) ?? .abort))
            for wrong in ["press", " PRESS", "PRESS\n", "", "1", "{\"press\":true}"] {
                #expect(refusal(parse(verb, wrong))?.reason == .invalid, "\(verb) \(wrong)")
            }
        }
    }

    @Test func extendTakesPressOrWholeSecondsInRange() throws {
        var policy = RemotePolicy()
        policy.extendSeconds = 90
        #expect(try parse("extend", "PRESS", policy).get().seconds == 90)
        #expect(try parse("extend", "1").get().seconds == 1)
        #expect(try parse("extend", "1800").get().seconds == 1800)
        #expect(try parse("extend", "120").get().params == ["seconds": 120])
        for wrong in ["0", "1801", "-5", "+5", "05", "1e3", "12.5", " 60", "60 ", "99999999999999999999"] {
            #expect(refusal(parse("extend", wrong))?.reason == .invalid, "\(wrong)")
        }
    }

    @Test func unknownVerbsAndNonsenseAreRefusedClearly() {
        let unknown = refusal(parse("ignite", "PRESS"))
        #expect(unknown?.reason == .invalid)
        #expect(unknown?.message.contains("unknown command") == true)
        let control = refusal(parse("a\u{1}b", "PRESS"))
        #expect(control?.command == "a?b")
        let binary = CommandParser.parse(verbName: "hold", payload: [0xff, 0xfe, 0x00], policy: RemotePolicy())
        #expect(refusal(binary)?.message.contains("UTF-8") == true)
        let huge = CommandParser.parse(verbName: "hold", payload: Array(repeating: 65, count: 10_000), policy: RemotePolicy())
        #expect(refusal(huge)?.message.contains("256 bytes") == true)
    }

    @Test func thePolicyAllowsStoppingAlwaysAndStartingOnlyWhenEnabled() throws {
        let policy = RemotePolicy()
        #expect(policy.allows(.abort) && policy.allows(.hold))
        #expect(policy.allows(.next) && policy.allows(.resume) && policy.allows(.extend))
        #expect(!policy.allows(.start))
        let start = refusal(parse("start", "reheat"))
        #expect(start?.reason == .notAllowed)
        #expect(start?.message.contains("remote.start") == true)

        var strict = RemotePolicy()
        strict.next = false
        strict.resume = false
        strict.extend = false
        #expect(refusal(parse("next", "PRESS", strict))?.reason == .notAllowed)
        #expect(refusal(parse("resume", "PRESS", strict))?.reason == .notAllowed)
        #expect(refusal(parse("extend", "PRESS", strict))?.reason == .notAllowed)
        #expect(try parse("abort", "PRESS", strict).get().verb == .abort)
        #expect(try parse("hold", "PRESS", strict).get().verb == .hold)
    }

    @Test func aStartNamesAnOfferedRecipeFileAndNothingElse() throws {
        var policy = RemotePolicy()
        policy.start = true
        #expect(try parse("start", "reheat", policy).get() == RemoteCommand(verb: .start, recipe: "reheat"))
        #expect(try parse("start", "reheat", policy).get().params == ["recipe": "reheat"])
        for wrong in ["../etc/passwd", "/tmp/x", "Reheat", "", "a b", String(repeating: "a", count: 65)] {
            #expect(refusal(parse("start", wrong, policy))?.reason == .invalid, "\(wrong)")
        }
        policy.recipes = ["egg-fried-rice"]
        #expect(refusal(parse("start", "reheat", policy))?.message.contains("not one of the recipes offered") == true)
        #expect(try parse("start", "egg-fried-rice", policy).get().recipe == "egg-fried-rice")
    }
}
