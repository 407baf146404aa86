public import WokCore

/// The burner relay in simulation: records what it was told and counts the clicks. It can fail
/// to switch (a broken driver or line) or weld shut (the contact stays closed whatever it is told).
public final class SimulatedRelay: BurnerRelay {
    /// The last command it accepted, as its driver reports it.
    public private(set) var command: BurnerCommand = .off
    public private(set) var switchCount = 0
    /// When set, every command fails with this reason (a broken driver or line).
    public var failure: String?
    /// When set, the contact welds the next time it closes (at once if it is closed) and then
    /// stays closed; the driver still reports whatever it was told.
    public var isWelded = false {
        didSet { if isWelded && command.isOn { contactWelded = true } }
    }
    private var contactWelded = false

    public init() {}

    /// Whether current flows to the burner's gas valve: what it was told, unless welded.
    public var contactClosed: Bool { command.isOn || contactWelded }

    public func set(_ command: BurnerCommand) throws(RelayFailure) {
        if let failure { throw RelayFailure(reason: failure) }
        if command != self.command { switchCount += 1 }
        self.command = command
        if isWelded && command.isOn { contactWelded = true }
    }

    /// The contact is replaced: it follows commands again.
    public func repair() {
        isWelded = false
        contactWelded = false
    }
}

/// The safety shut-off valve in simulation: normally closed, open only while told so.
public final class SimulatedValve: ShutoffValve {
    public private(set) var isOpen = false
    /// When set, every command fails with this reason.
    public var failure: String?

    public init() {}

    public func set(open: Bool) throws(ValveFailure) {
        if let failure { throw ValveFailure(reason: failure) }
        isOpen = open
    }
}
