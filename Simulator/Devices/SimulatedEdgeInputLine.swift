// A button's input line in simulation: hands out the edges a test queues.
public import WokCore
public import WokHardware

/// An edge line whose edges a test queues, for button tests.
///
/// A class, so a test keeps a handle on the line after a panel has taken it.
public final class SimulatedEdgeInputLine: EdgeInputLine {
    public let name: String
    /// Edges waiting to be read, oldest first.
    public var waiting: [ButtonEdge] = []
    /// Every read fails with this errno; nil: none.
    public var failureErrno: Int32?
    /// True once released.
    public private(set) var isReleased = false
    /// The largest batch any read asked for.
    public private(set) var largestRead = 0

    public init(name: String = "sim-gpiochip line 22") { self.name = name }

    /// Queues a clean press and release: active at `atSeconds`, inactive `heldSeconds` later.
    public func press(atSeconds time: Double, heldSeconds: Double = 0.2) {
        waiting += [ButtonEdge(becameActive: true, timestampSeconds: time), ButtonEdge(becameActive: false, timestampSeconds: time + heldSeconds)]
    }

    public func readEdges(max: Int) throws(GPIOError) -> [ButtonEdge] {
        if isReleased { throw GPIOError(operation: "read edges", chip: name, line: nil, reason: "the line was released") }
        if let failureErrno { throw GPIOError(operation: "read edges", chip: name, line: nil, errno: failureErrno) }
        largestRead = Swift.max(largestRead, max)
        let batch = Array(waiting.prefix(max))
        waiting.removeFirst(batch.count)
        return batch
    }

    public func release() { isReleased = true }
}
