public import WokCore

/// Finds and reads the recipe a `start` request names: `{"recipe": NAME}` from the daemon's
/// recipe directory, or `{"path": ABSOLUTE_PATH}` for a file of the caller's.
public enum RecipeSource {
    /// Recipes are small; a bigger file is not one.
    public static let maxRecipeBytes = 1 << 20

    public static func load(
        _ params: JSONObject, directory: String
    ) -> Result<(recipe: Recipe, document: String, source: String), ControlError> {
        for key in params.keys where key != "recipe" && key != "path" {
            return .failure(ControlError(.invalidRequest, "start: unknown parameter \"\(String(key.prefix(64)))\" (give \"recipe\" or \"path\")"))
        }
        let path: String
        switch (params["recipe"], params["path"]) {
        case (let name?, nil):
            guard let name = name.stringValue, isPlainName(name) else {
                return .failure(ControlError(
                    .invalidRequest, "start: \"recipe\" must be a recipe name (letters, digits, '-', '_', '.'); give a file as \"path\""))
            }
            path = "\(directory)/\(name).json"
            guard fileExists(path) else {
                let names = (try? recipeNames(in: directory)) ?? []
                let available = names.isEmpty ? "" : "; available: \(names.joined(separator: ", "))"
                return .failure(ControlError(.recipeNotFound, "no recipe \"\(name)\" in \(directory)\(available)"))
            }
        case (nil, let given?):
            guard let given = given.stringValue, given.hasPrefix("/") else {
                return .failure(ControlError(.invalidRequest, "start: \"path\" must be an absolute path to a recipe file"))
            }
            path = given
        case (nil, nil):
            return .failure(ControlError(.invalidRequest, "start: give \"recipe\" (a name) or \"path\" (a file)"))
        case (_?, _?):
            return .failure(ControlError(.invalidRequest, "start: give \"recipe\" or \"path\", not both"))
        }
        let text: String
        do {
            text = try readSmallFile(path, maxBytes: maxRecipeBytes)
        } catch {
            if case .system(let system) = error, system.errno == 2 {
                return .failure(ControlError(.recipeNotFound, "no recipe file \(path)"))
            }
            return .failure(ControlError(.recipeNotFound, "cannot read \(path): \(error)"))
        }
        switch RecipeLoader.parse(text, source: path) {
        case .success(let recipe): return .success((recipe, text, path))
        case .failure(let error): return .failure(ControlError(.recipeInvalid, "\(path) is not a valid recipe", problems: error.problems))
        }
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    /// Recipe names (file names without `.json`) in a directory, sorted.
    public static func recipeNames(in directory: String) throws(SystemError) -> [String] {
        try listDirectory(directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }
}
