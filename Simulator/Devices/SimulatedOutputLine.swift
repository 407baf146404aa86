// A GPIO output line in simulation: records every level, fails when told to.
public import WokHardware

/// An output line that remembers what it was driven to, for relay and probe tests.
///
/// A class, so a test keeps a handle on the line after a relay has taken it.
public final class SimulatedOutputLine: OutputLine {
    public let name: String
    /// The logical level now driven (false after release, as a pulled-down line reads).
    public private(set) var isActive: Bool
    /// Every level driven, in order, starting with the level it was requested at.
    public private(set) var history: [Bool]
    /// True once released.
    public private(set) var isReleased = false
    /// Driving the line to this level fails (nil: never).
    public var failsWhenSetTo: Bool?
    /// Every operation fails (a chip that went away).
    public var failsAlways = false

    /// A line requested at `initiallyActive` (off by default).
    public init(name: String = "sim-gpiochip line 0", initiallyActive: Bool = false) {
        self.name = name
        isActive = initiallyActive
        history = [initiallyActive]
    }

    public func setActive(_ active: Bool) throws(GPIOError) {
        try check("set \(active ? "active" : "inactive")")
        if failsWhenSetTo == active {
            throw GPIOError(operation: "set \(active ? "active" : "inactive")", chip: name, line: nil, errno: 5)
        }
        isActive = active
        history.append(active)
    }

    public func readActive() throws(GPIOError) -> Bool {
        try check("read")
        return isActive
    }

    public func release() {
        guard !isReleased else { return }
        isReleased = true
        isActive = false
    }

    private func check(_ operation: String) throws(GPIOError) {
        if isReleased { throw GPIOError(operation: operation, chip: name, line: nil, reason: "the line was released") }
        if failsAlways { throw GPIOError(operation: operation, chip: name, line: nil, errno: 19) }
    }
}
