import Glibc
import WokCore
import WokSystem
import WokSimulator

/// Where `wokctl` finds recipes, stations and plants, and how it reads them.
enum Files {
    /// Recipe files are small; anything bigger is not a recipe.
    static let maxDocumentBytes = 1 << 20

    static func read(_ path: String) throws(CommandFailure) -> String {
        do {
            return try readSmallFile(path, maxBytes: maxDocumentBytes)
        } catch {
            switch error {
            case .system(let system) where system.errno == ENOENT:
                throw CommandFailure(message: "\(path): no such file", code: .invalidInput)
            case .isDirectory:
                throw CommandFailure(message: "\(path): is a directory, not a JSON file", code: .invalidInput)
            default:
                throw CommandFailure(message: "cannot read \(error)", code: .invalidInput)
            }
        }
    }

    static func write(_ text: String, to path: String) throws(CommandFailure) {
        do {
            try writeFileAtomically(path, text, mode: 0o644)
        } catch {
            throw CommandFailure(message: "cannot write: \(error)", code: .failure)
        }
    }

    static func exists(_ path: String) -> Bool { fileExists(path) }

    // MARK: Recipes

    /// Where recipes are looked for: `--recipe-dir`, else the daemon's default search.
    static func recipeDirectory(_ explicit: String?) -> String {
        explicit ?? DefaultPaths.recipeDirectory
    }

    /// Recipe names (file names without `.json`) in a directory, sorted.
    static func recipeNames(in directory: String) throws(CommandFailure) -> [String] {
        do {
            return try RecipeFiles.names(in: directory)
        } catch {
            throw CommandFailure(message: "cannot list recipes: \(error)", code: .invalidInput)
        }
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
