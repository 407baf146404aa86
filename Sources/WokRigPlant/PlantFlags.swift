// The flag files in the plant's control directory, read once per step.
public import WokCore

/// What the rig asked the plant to do through files in its control directory (default /run/rig).
public struct PlantFlags: Sendable, Equatable {
    /// `open-circuit`: STATUS bit 4 (open circuit on an MCP9601, input range on an MCP9600).
    public var openCircuit = false
    /// `short-circuit`: STATUS bit 5 (short circuit on an MCP9601).
    public var shortCircuit = false
    /// `frozen`: the temperatures stop updating and STATUS loses its "updated" bit.
    public var frozen = false
    /// `flame-out`: the flame goes out (or the gas runs out) while the relay still calls for it.
    public var flameOut = false
    /// `stop`: the plant ends its loop and prints its summary.
    public var stop = false

    /// No flag set.
    public init() {}

    /// The flags present in `directory`, `exists` telling whether a path exists.
    public static func read(directory: String, exists: (String) -> Bool) -> PlantFlags {
        var flags = PlantFlags()
        flags.openCircuit = exists(directory + "/open-circuit")
        flags.shortCircuit = exists(directory + "/short-circuit")
        flags.frozen = exists(directory + "/frozen")
        flags.flameOut = exists(directory + "/flame-out")
        flags.stop = exists(directory + "/stop")
        return flags
    }
}

/// A batch of food the rig tips into the wok: the file `food` in the control directory holds
/// "GRAMS TEMP_C WATER" (e.g. "300 20 0.6"); the plant adds it once and removes the file.
public enum FoodFile {
    /// The file's name in the control directory.
    public static let name = "food"

    /// The addition a `food` file's text describes, or nil for text that is not three numbers in
    /// range (0 to 5000 g, -30 to 120 °C, a water fraction of 0 to 1).
    public static func parse(_ text: String) -> Addition? {
        let numbers = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
        guard numbers.count == 3, (0...5000).contains(numbers[0]), (-30...120).contains(numbers[1]),
            (0...1).contains(numbers[2])
        else { return nil }
        return Addition(name: "rig food", grams: numbers[0], tempC: numbers[1], water: numbers[2])
    }
}
