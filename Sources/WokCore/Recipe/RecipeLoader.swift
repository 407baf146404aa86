/// Turns recipe text into a `Recipe`, reporting every problem at once with the stage and field.
public enum RecipeLoader {
    /// Longest stage a recipe may ask for: a wok dish, not a braise.
    public static let maxStageSeconds = 3600.0
    /// Ingredient temperatures accepted: from the freezer to just off the stove.
    public static let ingredientTempRangeC = -30.0...120.0
    /// Bound on additions per stage.
    public static let maxAdditions = 32

    /// Parses and validates recipe text. `source` names the file in messages.
    public static func parse(_ text: String, source: String) -> Result<Recipe, DocumentError> {
        decodeDocument(text, source: source) { decode($0, source: $1) }
    }

    /// Validates an already-parsed document.
    public static func decode(_ document: JSONValue, source: String) -> Result<Recipe, DocumentError> {
        var problems: [ConfigProblem] = []
        guard var root = FieldReader.open(document, location: "", problems: &problems) else {
            return .failure(.invalid(source: source, problems))
        }
        if let schema = root.integer("schema", required: true, in: 0...1_000_000), schema != Recipe.schemaVersion {
            root.fail("schema", "version \(schema) is not supported (this build reads version \(Recipe.schemaVersion))")
        }
        let name = root.string("name", required: true, maxLength: 200)
        let serves = root.integer("serves", required: true, in: 1...100)
        let description = root.string("description", maxLength: 4000)
        // Every string a recipe holds is shown to someone; the stages check their own.
        if case .object(let object) = document {
            for (key, value) in object.members where key != "stages" {
                problems += DisplayText.problems(inField: key, value, of: "")
            }
        }
        var stages: [Stage] = []
        if let items = root.array("stages", required: true, maxCount: Recipe.maxStages) {
            if items.isEmpty { root.fail("stages", "must list at least one stage") }
            for (offset, item) in items.enumerated() {
                if let stage = decodeStage(item, index: offset + 1, problems: &problems) {
                    stages.append(stage)
                }
            }
        }
        problems = root.finished() + problems
        guard problems.isEmpty, let name, let serves else {
            return .failure(.invalid(source: source, problems))
        }
        return .success(Recipe(name: name, serves: serves, description: description, stages: stages))
    }

    /// Names a stage the way a cook counts: from 1, with its name (escaped) when it has one.
    static func stageLocation(_ index: Int, _ item: JSONValue) -> String {
        if case .object(let object) = item, case .string(let name)? = object["name"], !name.isEmpty {
            return "stage \(index) \"\(DisplayText.escaped(name))\""
        }
        return "stage \(index)"
    }

    private static func decodeStage(_ item: JSONValue, index: Int, problems: inout [ConfigProblem]) -> Stage? {
        let location = stageLocation(index, item)
        problems += DisplayText.problems(in: item, at: location)
        guard var fields = FieldReader.open(item, location: location, problems: &problems) else { return nil }
        let name = fields.string("name", required: true, maxLength: 200)
        let heat = decodeHeat(&fields)
        let advance: Advance? = fields.choice("advance", required: true)
        let timer: StageTimer? = fields.choice("timer", default: .start)
        let seconds = fields.number("seconds", in: 0...maxStageSeconds, unit: "s")
        let minSeconds = fields.number("minSeconds", in: 0...maxStageSeconds, unit: "s")
        let maxSeconds = fields.number("maxSeconds", in: 0...maxStageSeconds, unit: "s")
        let prompt = fields.string("prompt", maxLength: 1000)
        var additions: [Addition] = []
        if let items = fields.array("add", maxCount: maxAdditions) {
            for (offset, entry) in items.enumerated() {
                let here = "\(location), add[\(offset + 1)]"
                guard var addition = FieldReader.open(entry, location: here, problems: &problems) else { continue }
                let itemName = addition.string("name", required: true, maxLength: 200)
                let grams = addition.number("grams", required: true, in: 0...20_000, unit: "g")
                let tempC = addition.number("tempC", in: ingredientTempRangeC, unit: "°C")
                let water = addition.number("water", in: 0...1)
                problems += addition.finished()
                if let itemName, let grams {
                    additions.append(Addition(name: itemName, grams: grams, tempC: tempC ?? 20, water: water ?? 0))
                }
            }
        }

        // Cross-field rules: each advance needs the durations that make it end.
        if let advance {
            switch advance {
            case .time:
                if fields.object["seconds"] == nil { fields.fail("seconds", "is required when advance is \"time\"") }
            case .reached:
                if timer == .reached { fields.fail("timer", "\"reached\" means nothing when the stage already ends on reaching its target") }
                if let heat, heat.isOff { fields.fail("advance", "\"reached\" needs a heat that is not \"off\"") }
            case .confirm:
                break
            }
            if advance != .confirm, fields.object["minSeconds"] != nil {
                fields.fail("minSeconds", "only applies when advance is \"confirm\"")
            }
        }
        if let minSeconds, let maxSeconds, minSeconds > maxSeconds {
            fields.fail("maxSeconds", "\(formatNumber(maxSeconds)) s is less than minSeconds \(formatNumber(minSeconds)) s")
        }
        if let seconds, let maxSeconds, advance == .time, timer != .reached, seconds > maxSeconds {
            fields.fail("maxSeconds", "\(formatNumber(maxSeconds)) s is less than seconds \(formatNumber(seconds)) s")
        }
        if timer == .reached, let heat, heat.isOff {
            fields.fail("timer", "\"reached\" needs a heat that is not \"off\"")
        }
        problems += fields.finished()
        guard let name, let heat, let advance, let timer else { return nil }
        return Stage(
            name: name, heat: heat, advance: advance, timer: timer, seconds: seconds, minSeconds: minSeconds,
            maxSeconds: maxSeconds, prompt: prompt, add: additions)
    }

    private static func decodeHeat(_ fields: inout FieldReader) -> Heat? {
        guard let value = fields.raw("heat") else {
            fields.fail("heat", "is required (a level such as \"medium-high\" or a temperature in °C)")
            return nil
        }
        switch value {
        case .string(let text):
            guard let level = HeatLevel(rawValue: text) else {
                fields.fail("heat", "\"\(DisplayText.escaped(text))\" is not one of \(FieldReader.list(HeatLevel.self)), nor a number of °C")
                return nil
            }
            return .level(level)
        case .number(let celsius):
            guard (20...400).contains(celsius) else {
                fields.fail("heat", "\(formatNumber(celsius)) °C is out of range (20 to 400 °C)")
                return nil
            }
            return .celsius(celsius)
        default:
            fields.fail("heat", "expected a level name or a number of °C, found \(value.typeName)")
            return nil
        }
    }
}
