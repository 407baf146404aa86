/// A hold at one heat with no recipe ("keep the wok at 180 °C while I prep"). It is written as a
/// one-stage recipe document, so it runs as a cook: every safety bound of a cook applies, the
/// history keeps what was asked, an interrupted hold resumes like any cook, and `extend`,
/// `finish` and `abort` steer it.
public enum ManualHold {
    /// How long a hold lasts unless told otherwise: long enough to prep a dish beside it, short
    /// enough that a forgotten hold ends by itself.
    public static let defaultSeconds = 1800.0
    /// The lengths a hold may be asked for; `extend` adds more, within its own bound.
    public static let secondsRange: ClosedRange<Double> = 60...RecipeLoader.maxStageSeconds

    /// The hold's recipe and its document, or why `heat` and `seconds` cannot make one.
    public static func recipe(heat: Heat, seconds: Double = defaultSeconds) -> Result<(recipe: Recipe, document: String), ControlProblem> {
        guard !heat.isOff else { return .failure(ControlProblem("a hold needs a heat; \"off\" is what `abort` does")) }
        guard secondsRange.contains(seconds) else {
            return .failure(
                ControlProblem(
                    "a hold lasts \(formatDuration(secondsRange.lowerBound)) to \(formatDuration(secondsRange.upperBound)), not \(formatDuration(seconds))"
                ))
        }
        let heatValue: JSONValue =
            switch heat {
            case .level(let level): .string(level.rawValue)
            case .celsius(let celsius): .number(celsius)
            }
        let stage = JSONValue.object(
            JSONObject([
                ("name", .string("Hold at \(heat)")), ("heat", heatValue), ("advance", .string("time")),
                ("seconds", .number(seconds)),
                (
                    "prompt",
                    .string(
                        "The wok is held at \(heat) for \(formatDuration(seconds)). `wokctl extend` gives it more time, `wokctl finish` or `wokctl abort` ends it."
                    )
                ),
            ]))
        let document = JSONValue.object(
            JSONObject([
                ("schema", .number(Double(Recipe.schemaVersion))), ("name", .string("Manual hold at \(heat)")),
                ("serves", .number(1)), ("stages", .array([stage])),
            ])
        ).serialized(pretty: true)
        switch RecipeLoader.parse(document, source: "a manual hold") {
        case .success(let recipe): return .success((recipe, document))
        case .failure(let error): return .failure(ControlProblem(error.problems.joined(separator: "; ")))
        }
    }
}

/// A request that cannot be carried out as asked, in words for the person who asked.
public struct ControlProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
