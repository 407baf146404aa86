public import WokCore

/// The burner relay in simulation: records what it was told and counts the clicks.
public final class SimulatedRelay: BurnerRelay {
    public private(set) var command: BurnerCommand = .off
    public private(set) var switchCount = 0
    /// When set, every command fails with this reason (a broken driver or line).
    public var failure: String?

    public init() {}

    public func set(_ command: BurnerCommand) throws(RelayFailure) {
        if let failure { throw RelayFailure(reason: failure) }
        if command != self.command { switchCount += 1 }
        self.command = command
    }
}
