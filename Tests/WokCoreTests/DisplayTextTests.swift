import Testing

@testable import WokCore

private func recipeProblems(_ text: String) -> [String] {
    switch RecipeLoader.parse(text, source: "r.json") {
    case .success: return []
    case .failure(let error): return error.problems
    }
}

/// A recipe of one stage whose prompt (and optionally name) is `prompt`, as JSON text.
private func recipe(prompt: String, stageName: String = "Sear", name: String = "Test") -> String {
    #"{"schema": 1, "name": "\#(name)", "serves": 2, "stages": [{"name": "\#(stageName)", "heat": "high", "advance": "time", "seconds": 60, "prompt": "\#(prompt)"}]}"#
}

@Suite struct DisplayTextTests {
    @Test func anEscapeInAPromptIsRefusedWithTheStageTheFieldAndTheCharacter() {
        // `\u001b` is JSON's escape; the loader sees a real ESC (the start of a terminal command).
        let found = recipeProblems(recipe(prompt: #"Add the pork\u001b[2J"#))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(#"r.json: stage 1 "Sear", field "prompt": contains U+001B"#) == true, "\(found)")
        #expect(found.first?.contains("at character 13") == true)
    }

    @Test(arguments: [
        (#"\u0000"#, "U+0000"), (#"\t"#, "U+0009"), (#"\n"#, "U+000A"), (#"\r"#, "U+000D"), (#"\u007f"#, "U+007F"),
        (#"\u0085"#, "U+0085"), (#"\u009b"#, "U+009B"), (#"\u202e"#, "U+202E"), (#"\u2066"#, "U+2066"),
        (#"\u200f"#, "U+200F"), (#"\u061c"#, "U+061C"),
    ])
    func everyRefusedCharacterIsNamedInAPrompt(escape: String, codePoint: String) {
        let found = recipeProblems(recipe(prompt: "Stir \(escape) well"))
        #expect(found.contains { $0.contains(#"field "prompt": contains \#(codePoint)"#) }, "\(found)")
    }

    @Test func aC1ControlInAStageNameIsRefusedAndTheNameIsEscapedInTheLocation() {
        let found = recipeProblems(recipe(prompt: "ok", stageName: #"Sear\u0085"#))
        #expect(
            found == [
                #"r.json: stage 1 "Sear\x85", field "name": contains U+0085 (a control character) at character 5; displayed text must be one line without control or bidirectional formatting characters"#
            ])
    }

    @Test func everyTextFieldOfARecipeIsChecked() {
        let text = #"""
            {"schema": 1, "name": "Pork\u202e", "serves": 2, "description": "Two\nlines", "stages": [
              {"name": "Sear", "heat": "high", "advance": "time", "seconds": 60, "prompt": "ok",
               "add": [{"name": "pork", "grams": 500}, {"name": "fish\u001bsauce", "grams": 20}]}]}
            """#
        let found = recipeProblems(text)
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0.hasPrefix(#"r.json: field "name": contains U+202E (a bidirectional formatting character)"#) })
        #expect(found.contains { $0.hasPrefix(#"r.json: field "description": contains U+000A"#) })
        #expect(found.contains { $0.hasPrefix(#"r.json: stage 1 "Sear", add[2], field "name": contains U+001B"#) })
    }

    @Test func aKeyWithAControlCharacterIsRefusedAndShownEscaped() {
        let found = recipeProblems(
            #"{"schema": 1, "name": "T", "serves": 2, "x\u0007": 1, "stages": [{"name": "S", "heat": "high", "advance": "time", "seconds": 60}]}"#)
        #expect(found.contains { $0.hasPrefix(#"r.json: field "x\x07": the key contains U+0007"#) }, "\(found)")
    }

    @Test func ordinaryTextInAnyScriptIsAccepted() throws {
        let loaded = try RecipeLoader.parse(
            recipe(prompt: "Cho thịt vào, đảo đều đến khi vàng (180 °C) — “nước màu” 🍖", stageName: "Xào thịt", name: "Thịt kho tiêu"),
            source: "r.json"
        ).get()
        #expect(loaded.name == "Thịt kho tiêu")
        #expect(loaded.stages[0].prompt == "Cho thịt vào, đảo đều đến khi vàng (180 °C) — “nước màu” 🍖")
    }

    @Test func aStationNameWithARightToLeftOverrideIsRefused() {
        guard case .failure(let error) = StationLoader.parse(#"{"name": "Wok \u202egnp.exe"}"#, source: "s.json") else {
            Issue.record("accepted a station name with U+202E")
            return
        }
        #expect(
            error.problems == [
                #"s.json: field "name": contains U+202E (a bidirectional formatting character) at character 5; displayed text must be one line without control or bidirectional formatting characters"#
            ])
    }

    @Test func everyStringOfAStationFileIsChecked() {
        guard case .failure(let error) = StationLoader.parse(#"{"name": "Wok", "daemon": {"group": "wok\u0000"}}"#, source: "s.json") else {
            Issue.record("accepted a group name with NUL")
            return
        }
        #expect(error.problems.contains { $0.hasPrefix(#"s.json: field "daemon", field "group": contains U+0000"#) }, "\(error.problems)")
    }

    @Test func aRecipeBuiltInCodeIsCheckedAgainstTheStation() {
        let recipe = Recipe(
            name: "Test", serves: 1, stages: [Stage(name: "Sear", heat: .level(.high), advance: .time, seconds: 60, prompt: "go\u{1B}[31m")])
        let found = RecipeCheck.problems(recipe, on: .standard).map(\.description)
        #expect(found.contains { $0.hasPrefix(#"stage 1 "Sear", field "prompt": contains U+001B"#) }, "\(found)")
    }

    @Test(arguments: [
        ("a\u{0}b", #"a\x00b"#), ("\u{1B}[2J", #"\x1b[2J"#), ("one\ntwo", #"one\ntwo"#), ("tab\there", #"tab\there"#),
        ("cr\r", #"cr\r"#), ("del\u{7F}", #"del\x7f"#), ("c1\u{85}\u{9B}", #"c1\x85\x9b"#), ("abc\u{202E}fed", #"abc\u{202E}fed"#),
        ("\u{2066}x\u{2069}", #"\u{2066}x\u{2069}"#), ("mark\u{200F}\u{61C}", #"mark\u{200F}\u{61C}"#), ("\r\n", #"\r\n"#),
    ])
    func escapingMakesEveryRefusedCharacterVisible(raw: String, shown: String) {
        #expect(DisplayText.escaped(raw) == shown)
        #expect(raw.escapingControls == shown)
        #expect(DisplayText.firstRefused(in: DisplayText.escaped(raw)) == nil)
    }

    @Test func escapingLeavesOrdinaryTextAlone() {
        for text in ["Thịt kho tiêu", "180 °C", "“nước màu” 🍖", "", #"C:\path\x1b"#, "Ελληνικά", "עברית"] {
            #expect(DisplayText.escaped(text) == text)
        }
    }
}
