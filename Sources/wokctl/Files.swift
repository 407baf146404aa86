import FoundationEssentials
import WokCore
import WokSimulator

/// Where `wokctl` finds recipes, stations and plants, and how it reads them.
enum Files {
    /// Recipe files are small; anything bigger is not a recipe.
    static let maxDocumentBytes = 1 << 20

    static func read(_ path: String) throws(CommandFailure) -> String {
        if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
            type == .typeDirectory
        {
            throw CommandFailure(message: "\(path): is a directory, not a JSON file", code: .invalidInput)
        }
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CommandFailure(message: "\(path): cannot read: \(describe(error))", code: .invalidInput)
        }
        guard data.count <= maxDocumentBytes else {
            throw CommandFailure(message: "\(path): \(data.count) bytes is too large (limit \(maxDocumentBytes))", code: .invalidInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(message: "\(path): not valid UTF-8 text", code: .invalidInput)
        }
        return text
    }

    static func write(_ text: String, to path: String) throws(CommandFailure) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: "\(path): cannot write: \(describe(error))", code: .failure)
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func describe(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let path = cocoa.filePath {
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file (\(path))"
            case .fileReadNoPermission: return "permission denied (\(path))"
            default: break
            }
        }
        return "\(error)"
    }

    // MARK: Recipes

    /// Where recipes are looked for, first match wins.
    static func recipeDirectory(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let fromEnvironment = ProcessInfo.processInfo.environment["WOK_RECIPE_DIR"] { return fromEnvironment }
        for candidate in ["recipes", "/etc/wok/recipes", "/usr/local/share/wok/recipes"] where exists(candidate) {
            return candidate
        }
        return "recipes"
    }

    /// Recipe names (file names without `.json`) in a directory, sorted.
    static func recipeNames(in directory: String) throws(CommandFailure) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CommandFailure(message: "\(directory): cannot list recipes: \(describe(error))", code: .invalidInput)
        }
        return entries.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A recipe by name (from the directory) or by path (anything with a `/` or ending `.json`).
    static func recipePath(_ nameOrPath: String, directory: String) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return nameOrPath }
        return "\(directory)/\(nameOrPath).json"
    }

    static func loadRecipe(_ nameOrPath: String, directory: String) throws(CommandFailure) -> Recipe {
        let path = recipePath(nameOrPath, directory: directory)
        guard exists(path) else {
            var message = "no recipe \"\(nameOrPath)\" (looked for \(path))"
            if let names = try? recipeNames(in: directory), !names.isEmpty {
                message += "; available: \(names.joined(separator: ", "))"
            }
            throw CommandFailure(message: message, code: .invalidInput)
        }
        switch RecipeLoader.parse(try read(path), source: path) {
        case .success(let recipe): return recipe
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }

    // MARK: Station and plant

    /// The station file: explicit, else the checkout's or the system's, else the built-in default.
    static func loadStation(_ explicit: String?) throws(CommandFailure) -> (Station, source: String) {
        var path = explicit
        if path == nil {
            for candidate in ["config/station.json", "/etc/wok/station.json"] where exists(candidate) {
                path = candidate
                break
            }
        }
        guard let path else { return (.standard, "built-in default") }
        switch StationLoader.parse(try read(path), source: path) {
        case .success(let station): return (station, path)
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }

    /// A plant by path, or by the name of one shipped in `Simulator/Plants`.
    static func loadPlant(_ explicit: String?) throws(CommandFailure) -> PlantParameters {
        guard let explicit else { return PlantParameters() }
        var path = explicit
        if !explicit.contains("/") && !explicit.hasSuffix(".json") { path = "Simulator/Plants/\(explicit).json" }
        guard exists(path) else { throw CommandFailure(message: "no plant file \(path)", code: .invalidInput) }
        switch PlantLoader.parse(try read(path), source: path) {
        case .success(let plant): return plant
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }
}
