import Testing

@testable import WokCore

/// A valid `time` stage with some fields replaced (or removed, given `nil`) by raw JSON text.
private func stage(_ overrides: [String: String?] = [:]) -> String {
    var fields: [(String, String?)] = [("name", #""Sear""#), ("heat", #""high""#), ("advance", #""time""#), ("seconds", "60")]
    for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
        if let index = fields.firstIndex(where: { $0.0 == key }) { fields[index].1 = value } else { fields.append((key, value)) }
    }
    return "{" + fields.compactMap { key, value in value.map { "\"\(key)\": \($0)" } }.joined(separator: ", ") + "}"
}

private func recipe(stages: [String], extra: String = "") -> String {
    #"{"schema": 1, "name": "Test", "serves": 2, "stages": ["# + stages.joined(separator: ",") + "]" + extra + "}"
}

private func problems(_ text: String) -> [String] {
    switch RecipeLoader.parse(text, source: "r.json") {
    case .success: return []
    case .failure(let error): return error.problems
    }
}

@Suite struct RecipeLoaderTests {
    @Test func readsAValidRecipeWithDefaults() throws {
        let text = recipe(stages: [
            stage(["add": #"[{"name": "pork", "grams": 500, "tempC": 4, "water": 0.2}]"#]),
            #"{"name": "Caramel", "heat": 195, "advance": "confirm", "minSeconds": 180, "maxSeconds": 240}"#,
        ])
        let loaded = try RecipeLoader.parse(text, source: "r.json").get()
        #expect(loaded.name == "Test")
        #expect(loaded.serves == 2)
        #expect(loaded.stages.count == 2)
        #expect(loaded.stages[0].heat == .level(.high))
        #expect(loaded.stages[0].timer == .start)
        #expect(loaded.stages[0].add == [Addition(name: "pork", grams: 500, tempC: 4, water: 0.2)])
        #expect(loaded.stages[1].heat == .celsius(195))
        #expect(loaded.stages[1].advance == .confirm)
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        let text = "{\n  \"schema\": 1,\n  \"name\": \"x\",,\n}"
        guard case .failure(.syntax(let source, let error)) = RecipeLoader.parse(text, source: "bad.json") else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(source == "bad.json")
        #expect(error.line == 3)
        #expect(error.column == 15)
    }

    @Test func everyProblemIsReportedWithStageIndexNameAndField() {
        let text = recipe(stages: [
            stage(),
            #"{"name": "Brown", "heat": "hgh", "advance": "time", "seconds": -5}"#,
            #"{"name": "Glaze", "heat": "medium", "advance": "whenever", "secs": 3}"#,
        ])
        let found = problems(text)
        #expect(found.contains { $0.contains(#"stage 2 "Brown", field "heat""#) && $0.contains(#""hgh""#) })
        #expect(found.contains { $0.contains(#"stage 2 "Brown", field "seconds""#) && $0.contains("out of range") })
        #expect(found.contains { $0.contains(#"stage 3 "Glaze", field "advance""#) && $0.contains(#""whenever""#) })
        #expect(found.contains { $0.contains(#"stage 3 "Glaze", field "secs""#) && $0.contains("unknown field") })
        #expect(found.allSatisfy { $0.hasPrefix("r.json: ") })
        #expect(found.count == 4)
    }

    @Test(
        arguments: [
            (["heat": "900"], "heat", "out of range"),
            (["seconds": nil], "seconds", "required"),
            (["advance": #""reached""#, "timer": #""reached""#, "seconds": nil], "timer", "means nothing"),
            (["advance": #""confirm""#, "minSeconds": "200", "maxSeconds": "100"], "maxSeconds", "less than minSeconds"),
            (["minSeconds": "5"], "minSeconds", "only applies"),
            (["add": #"[{"name": "pork", "grams": 500, "water": 1.5}]"#], "water", "out of range"),
            (["add": #"[{"name": "pork", "grams": 500, "tempC": 900}]"#], "tempC", "out of range"),
            (["add": #"[{"grams": 500}]"#], "name", "required"),
            (["heat": #""off""#, "timer": #""reached""#], "timer", "needs a heat"),
        ] as [([String: String?], String, String)])
    func fieldRulesAreEnforced(overrides: [String: String?], field: String, phrase: String) {
        let found = problems(recipe(stages: [stage(overrides)]))
        #expect(found.contains { $0.contains("field \"\(field)\"") && $0.contains(phrase) }, "\(found)")
    }

    @Test func topLevelRules() {
        #expect(problems(#"{"schema": 2, "name": "x", "serves": 1, "stages": []}"#).contains { $0.contains("version 2 is not supported") })
        #expect(problems(#"{"schema": 1, "name": "x", "serves": 1, "stages": []}"#).contains { $0.contains("at least one stage") })
        #expect(problems(#"{"schema": 1, "serves": 1, "stages": []}"#).contains { $0.contains(#"field "name": is required"#) })
        #expect(problems("[1, 2]").contains { $0.contains("expected an object") })
        let tooMany = recipe(stages: Array(repeating: stage(), count: Recipe.maxStages + 1))
        #expect(problems(tooMany).contains { $0.contains("more than the \(Recipe.maxStages) allowed") })
    }

    @Test func recipeCheckAgainstStationFindsTargetsAtTheLimit() throws {
        let text = recipe(stages: [stage(["heat": "320"]), stage(["heat": #""max""#])])
        let loaded = try RecipeLoader.parse(text, source: "r.json").get()
        var station = Station.standard
        station.limits.maxC = 300
        let found = RecipeCheck.problems(loaded, on: station)
        #expect(found.count == 1)
        #expect(found[0].description.contains("stage 1") && found[0].description.contains("hard limit"))
    }
}

@Suite struct StationLoaderTests {
    @Test func emptyFileMeansTheStandardStation() throws {
        #expect(try StationLoader.parse("{}", source: "s.json").get() == Station.standard)
    }

    @Test func overridesOnlyWhatItNames() throws {
        let station = try StationLoader.parse(#"{"levels": {"high": 240}, "relay": {"windowSeconds": 8}}"#, source: "s").get()
        #expect(station.levels[.high] == 240)
        #expect(station.levels[.medium] == Station.standard.levels[.medium])
        #expect(station.relay.windowSeconds == 8)
        #expect(station.relay.minOnSeconds == Station.standard.relay.minOnSeconds)
    }

    @Test func inconsistentStationsAreRejectedWithEveryReason() {
        let text =
            #"{"levels": {"medium": 250, "high": 240, "max": 320}, "limits": {"maxC": 300}, "relay": {"windowSeconds": 2, "minOnSeconds": 2, "minOffSeconds": 1}, "control": {"controller": "fuzzy"}}"#
        guard case .failure(let error) = StationLoader.parse(text, source: "s.json") else {
            Issue.record("expected problems")
            return
        }
        let found = error.problems
        #expect(found.contains { $0.contains(#"field "medium-high""#) && $0.contains("must be hotter than \"medium\"") })
        #expect(found.contains { $0.contains(#""max""#) && $0.contains("hard limit") })
        #expect(found.contains { $0.contains("do not fit in windowSeconds") })
        #expect(found.contains { $0.contains(#""fuzzy" is not one of"#) })
    }
}
