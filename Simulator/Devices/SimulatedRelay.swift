public import WokCore

/// The burner relay in simulation: records what it was told and counts the clicks. It can fail
/// to switch (a broken driver or line) or weld shut (the contact stays closed whatever it is told).
/// Its state is one value, so each use pays Swift's run-time exclusivity check on a class's
/// stored property once (the simulation reads it several times a tick).
public final class SimulatedRelay: BurnerRelay {
    private var state = State()

    private struct State {
        var command: BurnerCommand = .off
        var switchCount = 0
        var failure: String?
        var isWelded = false
        var contactWelded = false

        var contactClosed: Bool { command.isOn || contactWelded }

        var reading: Reading { Reading(command: command, switchCount: switchCount, contactClosed: contactClosed) }

        mutating func set(_ command: BurnerCommand) throws(RelayFailure) {
            if let failure { throw RelayFailure(reason: failure) }
            if command != self.command { switchCount += 1 }
            self.command = command
            if isWelded && command.isOn { contactWelded = true }
        }

        mutating func setWelded(_ welded: Bool) {
            isWelded = welded
            if isWelded && command.isOn { contactWelded = true }
        }
    }

    /// The last command it accepted, as its driver reports it.
    public var command: BurnerCommand { state.command }
    public var switchCount: Int { state.switchCount }
    /// When set, every command fails with this reason (a broken driver or line).
    public var failure: String? {
        get { state.failure }
        set { state.failure = newValue }
    }
    /// When set, the contact welds the next time it closes (at once if it is closed) and then
    /// stays closed; the driver still reports whatever it was told.
    public var isWelded: Bool {
        get { state.isWelded }
        set { state.setWelded(newValue) }
    }

    public init() {}

    /// Whether current flows to the burner's gas valve: what it was told, unless welded.
    public var contactClosed: Bool { state.contactClosed }

    /// What a runner reads of the relay each tick, in one access.
    public struct Reading: Sendable, Equatable {
        public var command: BurnerCommand
        public var switchCount: Int
        public var contactClosed: Bool
    }

    /// The command, the switch count and the contact, read at once.
    public var reading: Reading { state.reading }

    public func set(_ command: BurnerCommand) throws(RelayFailure) {
        try state.set(command)
    }

    /// The contact is replaced: it follows commands again.
    public func repair() {
        state.isWelded = false
        state.contactWelded = false
    }
}

/// The safety shut-off valve in simulation: normally closed, open only while told so. Its stored
/// state is private, so the optimiser sees every access to it and can leave out the run-time
/// exclusivity checks (the simulation reads it every tick).
public final class SimulatedValve: ShutoffValve {
    private var open = false
    private var failureReason: String?

    public var isOpen: Bool { open }
    /// When set, every command fails with this reason.
    public var failure: String? {
        get { failureReason }
        set { failureReason = newValue }
    }

    public init() {}

    public func set(open: Bool) throws(ValveFailure) {
        if let failureReason { throw ValveFailure(reason: failureReason) }
        self.open = open
    }
}
