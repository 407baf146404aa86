// The flag files in the plant's control directory, read once per step.

/// What the rig asked the plant to do through files in its control directory (default /run/rig).
public struct PlantFlags: Sendable, Equatable {
    /// `open-circuit`: STATUS bit 4 (open circuit on an MCP9601, input range on an MCP9600).
    public var openCircuit = false
    /// `short-circuit`: STATUS bit 5 (short circuit on an MCP9601).
    public var shortCircuit = false
    /// `frozen`: the temperatures stop updating and STATUS loses its "updated" bit.
    public var frozen = false
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
        flags.stop = exists(directory + "/stop")
        return flags
    }
}
