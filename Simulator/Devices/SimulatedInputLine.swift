// A GPIO input line in simulation: reads whatever level a test sets, fails when told to.
public import WokHardware

/// An input line held at a level the test sets, for flame-sense and probe tests.
///
/// A class, so a test keeps a handle on the line after a sensor has taken it.
public final class SimulatedInputLine: InputLine {
    public let name: String
    /// The logical level the line is held at.
    public var isActive: Bool
    /// True once released.
    public private(set) var isReleased = false
    /// Every read fails with this errno (a chip that went away: 19, ENODEV); nil: none.
    public var failureErrno: Int32?
    /// Reads so far, failed ones included.
    public private(set) var reads = 0

    /// A line held at `isActive`.
    public init(name: String = "sim-gpiochip line 5", isActive: Bool = false) {
        self.name = name
        self.isActive = isActive
    }

    public func readActive() throws(GPIOError) -> Bool {
        reads += 1
        if isReleased { throw GPIOError(operation: "read", chip: name, line: nil, reason: "the line was released") }
        if let failureErrno { throw GPIOError(operation: "read", chip: name, line: nil, errno: failureErrno) }
        return isActive
    }

    public func release() { isReleased = true }
}
