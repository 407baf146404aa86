public import WokCore
internal import WokSystem
public import WokWire

/// Finds the recipe a `start` request names: `{"recipe": NAME}` from the daemon's recipe
/// directories, or `{"document": TEXT, "source": LABEL}` for a recipe the client read itself
/// with its own rights. The daemon never opens a path a client names: it would read with the
/// daemon's rights (a confused deputy) and could block on a FIFO.
public enum RecipeSource {
    /// Recipes are small; a bigger file is not one.
    public static let maxRecipeBytes = ControlProtocol.maxRecipeDocumentBytes
    /// The label a client gives its document, shown in logs and the history.
    public static let maxSourceLabelBytes = 256

    public static func load(
        _ params: JSONObject, directories: [String]
    ) -> Result<(recipe: Recipe, document: String, source: String), ControlError> {
        for key in params.keys where !["recipe", "document", "source", "serves"].contains(key) {
            return .failure(
                ControlError(
                    .invalidRequest,
                    "start: unknown parameter \"\(String(key.prefix(64)))\" (give \"recipe\", or \"document\" with \"source\"; optionally \"serves\")"
                ))
        }
        switch (params["recipe"], params["document"]) {
        case (let name?, nil):
            guard params["source"] == nil else {
                return .failure(ControlError(.invalidRequest, "start: \"source\" goes with \"document\", not with \"recipe\""))
            }
            return loadNamed(name, directories: directories)
        case (nil, let document?):
            return loadDocument(document, label: params["source"])
        case (nil, nil):
            return .failure(ControlError(.invalidRequest, "start: give \"recipe\" (a name) or \"document\" (a recipe's text)"))
        case (_?, _?):
            return .failure(ControlError(.invalidRequest, "start: give \"recipe\" or \"document\", not both"))
        }
    }

    private static func loadNamed(
        _ value: JSONValue, directories: [String]
    ) -> Result<(recipe: Recipe, document: String, source: String), ControlError> {
        guard let name = value.stringValue, isPlainName(name) else {
            return .failure(
                ControlError(
                    .invalidRequest, "start: \"recipe\" must be a recipe name (letters, digits, '-', '_', '.'); send a file's text as \"document\""))
        }
        for directory in directories {
            let path = "\(directory)/\(name).json"
            guard fileExists(path) else { continue }
            let text: String
            do {
                text = try readSmallFile(path, maxBytes: maxRecipeBytes)
            } catch {
                return .failure(ControlError(.recipeNotFound, "cannot read recipe \"\(name)\": \(error)"))
            }
            switch RecipeLoader.parse(text, source: path) {
            case .success(let recipe): return .success((recipe, text, path))
            case .failure(let error): return .failure(ControlError(.recipeInvalid, "\(path) is not a valid recipe", problems: error.problems))
            }
        }
        let names = Set(directories.flatMap { (try? RecipeFiles.names(in: $0)) ?? [] }).sorted()
        let available = names.isEmpty ? "" : "; available: \(names.joined(separator: ", "))"
        return .failure(ControlError(.recipeNotFound, "no recipe \"\(name)\" in \(directories.joined(separator: ", "))\(available)"))
    }

    private static func loadDocument(
        _ value: JSONValue, label: JSONValue?
    ) -> Result<(recipe: Recipe, document: String, source: String), ControlError> {
        guard let document = value.stringValue else {
            return .failure(ControlError(.invalidRequest, "start: \"document\" must be a string holding the recipe's JSON"))
        }
        var source = "a recipe sent by the client"
        if let label {
            guard let text = label.stringValue, !text.isEmpty, text.utf8.count <= maxSourceLabelBytes,
                DisplayText.firstRefused(in: text) == nil
            else {
                return .failure(
                    ControlError(
                        .invalidRequest, "start: \"source\" must be a short label (1 to \(maxSourceLabelBytes) bytes, no control characters)"))
            }
            source = text
        }
        switch RecipeLoader.parse(document, source: source) {
        case .success(let recipe): return .success((recipe, document, source))
        case .failure(let error): return .failure(ControlError(.recipeInvalid, "\(source) is not a valid recipe", problems: error.problems))
        }
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }
}
