import WokCore
import WokSystem

/// `wokctl recipes list|show|validate`: works offline, on files only.
enum RecipesCommand {
    static let help = """
        Usage: wokctl recipes list [--station FILE] [--recipe-dir DIR] [--json]
               wokctl recipes show RECIPE [--serves N] [--station FILE] [--recipe-dir DIR] [--json]
               wokctl recipes validate [RECIPE|FILE ...] [--station FILE] [--recipe-dir DIR] [--json]

        RECIPE is a name from the recipe directory or a path to a .json file. `validate` with no
        argument checks every recipe in the directory, against the station file too, and exits 3
        if anything is wrong, printing one line per problem.

        `list` and `show` give how long each recipe takes on this station, from a simulated cook
        with the station's heat levels and the standard wok and burner (the virtual cook adds the
        food on time and confirms each stage at its earliest). `show --serves N` gives the grams
        for N people.
        """

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(raw, valued: ["recipe-dir", "station", "serves"], flags: ["json", "help"])
        if args.has("help") || args.positional.isEmpty {
            Terminal.line(help)
            if !args.has("help") { throw CommandFailure(message: "recipes: which action? list, show or validate", code: .usage) }
            return
        }
        let directory = Files.recipeDirectory(args.value("recipe-dir"))
        let rest = Array(args.positional.dropFirst())
        switch args.positional[0] {
        case "list": try list(directory: directory, stationPath: args.value("station"), json: args.has("json"))
        case "show":
            guard rest.count == 1 else { throw CommandFailure(message: "recipes show: name one recipe", code: .usage) }
            var serves: Int?
            if let text = args.value("serves") {
                guard let people = Int(text), (1...100).contains(people) else {
                    throw CommandFailure(message: "recipes show: --serves takes a number of people, 1 to 100", code: .usage)
                }
                serves = people
            }
            try show(rest[0], directory: directory, stationPath: args.value("station"), serves: serves, json: args.has("json"))
        case "validate":
            try validate(rest, directory: directory, stationPath: args.value("station"), json: args.has("json"))
        case let other:
            throw CommandFailure(message: "recipes: unknown action \"\(other)\" (list, show, validate)", code: .usage)
        }
    }

    static func list(directory: String, stationPath: String?, json: Bool) throws(CommandFailure) {
        let (station, _) = try Files.loadStation(stationPath)
        var rows: [JSONValue] = []
        for name in try Files.recipeNames(in: directory) {
            let path = Files.recipePath(name, directory: directory)
            let loaded = RecipeLoader.parse((try? Files.read(path)) ?? "", source: path)
            switch loaded {
            case .success(let recipe):
                let estimate = CookEstimate.of(recipe, on: station)
                rows.append([
                    "name": .string(name), "title": .string(recipe.name), "description": recipe.description.map { .string($0) } ?? .null,
                    "serves": .number(Double(recipe.serves)), "stages": .number(Double(recipe.stages.count)), "valid": true,
                    "simulatedSeconds": estimateJSON(estimate),
                ])
                if !json {
                    Terminal.line(
                        "\(column(name.escapingControls, 28)) \(column(recipe.name.escapingControls, 40)) serves \(recipe.serves), \(recipe.stages.count) stages, \(estimateText(estimate))"
                    )
                }
            case .failure(let error):
                rows.append(["name": .string(name), "valid": false, "problems": .array(error.problems.map { .string($0) })])
                if !json { Terminal.line("\(column(name.escapingControls, 28)) INVALID (run `wokctl recipes validate \(name.escapingControls)`)") }
            }
        }
        if json { Terminal.line(JSONValue.array(rows).serialized(pretty: true)) }
    }

    /// "about 15:47", or why the simulated cook did not finish.
    static func estimateText(_ estimate: CookEstimate.Outcome) -> String {
        switch estimate {
        case .seconds(let seconds): "about \(clockText(seconds)) min"
        case .unfinished: "time unknown (the simulated cook did not finish)"
        }
    }

    static func estimateJSON(_ estimate: CookEstimate.Outcome) -> JSONValue {
        if case .seconds(let seconds) = estimate { return .number(seconds.rounded()) }
        return .null
    }

    static func show(_ nameOrPath: String, directory: String, stationPath: String?, serves: Int?, json: Bool) throws(CommandFailure) {
        var recipe = try Files.loadRecipe(nameOrPath, directory: directory)
        if let serves {
            switch recipe.scaled(toServe: serves) {
            case .success(let scaled): recipe = scaled
            case .failure(let problem): throw CommandFailure(message: "recipes show: \(problem)", code: .usage)
            }
        }
        let (station, _) = try Files.loadStation(stationPath)
        let estimate = CookEstimate.of(recipe, on: station)
        if json {
            var object = RecipeJSON.encode(recipe, station: station)
            if case .object(var members) = object {
                members["simulatedSeconds"] = estimateJSON(estimate)
                object = .object(members)
            }
            Terminal.line(object.serialized(pretty: true))
            return
        }
        // The loader refused control characters; escaping anyway keeps this screen safe whatever
        // reaches it. External text is escaped before it is styled, never the styled result.
        Terminal.line(Terminal.bold(recipe.name.escapingControls) + "  (serves \(recipe.serves))")
        if let description = recipe.description { Terminal.line(description.escapingControls) }
        Terminal.line("Takes \(estimateText(estimate)) on this station (simulated).")
        let food = recipe.stages.flatMap(\.add)
        if !food.isEmpty { Terminal.line("Have ready: \(Addition.list(food).escapingControls).") }
        Terminal.line()
        for (index, stage) in recipe.stages.enumerated() {
            let target = station.targetC(for: stage.heat).map { " (\(formatCelsius($0)) °C)" } ?? ""
            Terminal.line("\(index + 1). \(Terminal.bold(stage.name.escapingControls)): \(stage.heat)\(target), \(describeTiming(stage))")
            for item in stage.add {
                Terminal.line("     + \(formatGrams(item.grams)) \(item.name.escapingControls)")
            }
            if let prompt = stage.prompt { Terminal.line("     \(prompt.escapingControls)") }
        }
    }

    static func describeTiming(_ stage: Stage) -> String {
        let from = stage.timer == .reached ? " once hot" : ""
        switch stage.advance {
        case .time: return "\(formatNumber(stage.seconds ?? 0)) s\(from)"
        case .reached: return "until the wok is at temperature" + (stage.maxSeconds.map { " (at most \(formatNumber($0)) s)" } ?? "")
        case .confirm:
            let window = [stage.minSeconds.map { "at least \(formatNumber($0)) s" }, stage.maxSeconds.map { "at most \(formatNumber($0)) s" }]
                .compactMap { $0 }.joined(separator: ", ")
            return "until the cook confirms\(from)" + (window.isEmpty ? "" : " (\(window))")
        }
    }

    static func validate(_ targets: [String], directory: String, stationPath: String?, json: Bool) throws(CommandFailure) {
        let (station, stationSource) = try Files.loadStation(stationPath)
        var names = targets
        if names.isEmpty { names = try Files.recipeNames(in: directory) }
        var allProblems: [String] = []
        var results: [JSONValue] = []
        for name in names {
            let path = Files.recipePath(name, directory: directory)
            var problems: [String] = []
            do {
                switch RecipeLoader.parse(try Files.read(path), source: path) {
                case .success(let recipe):
                    problems = RecipeCheck.problems(recipe, on: station).map { "\(path): \($0) (station \(stationSource))" }
                case .failure(let error):
                    problems = error.problems
                }
            } catch {
                problems = [error.message]
            }
            allProblems += problems
            results.append(["recipe": .string(path), "valid": .bool(problems.isEmpty), "problems": .array(problems.map { .string($0) })])
            if !json {
                if problems.isEmpty { Terminal.line("\(path.escapingControls): OK") }
                for problem in problems { Terminal.line(problem.escapingControls) }
            }
        }
        if json { Terminal.line(JSONValue.array(results).serialized(pretty: true)) }
        if !allProblems.isEmpty {
            throw CommandFailure(message: "\(allProblems.count) problem\(allProblems.count == 1 ? "" : "s") found", code: .invalidInput)
        }
    }
}

/// A recipe as JSON for `show --json`, with each stage's target on the given station.
enum RecipeJSON {
    static func encode(_ recipe: Recipe, station: Station) -> JSONValue {
        var stages: [JSONValue] = []
        for stage in recipe.stages {
            var object = JSONObject()
            object["name"] = .string(stage.name)
            switch stage.heat {
            case .level(let level): object["heat"] = .string(level.rawValue)
            case .celsius(let celsius): object["heat"] = .number(celsius)
            }
            object["targetC"] = station.targetC(for: stage.heat).map { .number($0) } ?? .null
            object["advance"] = .string(stage.advance.rawValue)
            object["timer"] = .string(stage.timer.rawValue)
            if let seconds = stage.seconds { object["seconds"] = .number(seconds) }
            if let seconds = stage.minSeconds { object["minSeconds"] = .number(seconds) }
            if let seconds = stage.maxSeconds { object["maxSeconds"] = .number(seconds) }
            if let prompt = stage.prompt { object["prompt"] = .string(prompt) }
            object["add"] = .array(
                stage.add.map {
                    ["name": .string($0.name), "grams": .number($0.grams), "tempC": .number($0.tempC), "water": .number($0.water)]
                })
            stages.append(.object(object))
        }
        return [
            "schema": .number(Double(Recipe.schemaVersion)), "name": .string(recipe.name),
            "description": recipe.description.map { .string($0) } ?? .null, "serves": .number(Double(recipe.serves)),
            "stages": .array(stages),
        ]
    }
}
