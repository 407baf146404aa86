public import WokCore

/// A simulated person at the stove: tips in each stage's ingredients a few seconds after being
/// asked, and confirms `confirm` stages at a seeded moment inside the recipe's window.
public struct VirtualCook: Sendable {
    /// How long the cook takes to get ingredients into the wok after the prompt.
    public static let reactionSeconds = 3.0...8.0
    /// Where in a confirm window the cook judges the food ready (fractions of the window).
    public static let judgementFraction = 0.15...0.7

    private var random: SplitMix64
    private var pendingAdditions: [Addition] = []
    private var addAtSeconds: Double?
    private var confirmAtClockSeconds: Double?
    /// The cook has walked away: nothing more is added or confirmed.
    public var isAway = false

    public init(seed: UInt64) {
        random = SplitMix64(seed: seed ^ 0xC00C_C00C)
    }

    /// A stage began: decide when to add its food and, if it asks, when to confirm.
    public mutating func stageStarted(_ stage: Stage, nowSeconds now: Double) {
        pendingAdditions = stage.add
        addAtSeconds = stage.add.isEmpty ? nil : now + random.uniform(Self.reactionSeconds)
        confirmAtClockSeconds = nil
        if stage.advance == .confirm {
            let earliest = stage.minSeconds ?? 0
            if let latest = stage.maxSeconds, latest > earliest {
                confirmAtClockSeconds = earliest + random.uniform(Self.judgementFraction) * (latest - earliest)
            } else {
                confirmAtClockSeconds = earliest + random.uniform(5...45)
            }
        }
    }

    /// Ingredients that land in the wok now (empty most ticks).
    public mutating func additionsDue(nowSeconds now: Double) -> [Addition] {
        guard !isAway, let due = addAtSeconds, now >= due else { return [] }
        addAtSeconds = nil
        defer { pendingAdditions = [] }
        return pendingAdditions
    }

    /// Whether the cook judges the current confirm stage done.
    public func wantsToConfirm(stageClockSeconds: Double) -> Bool {
        guard !isAway, let at = confirmAtClockSeconds else { return false }
        return stageClockSeconds >= at
    }

    public mutating func confirmed() {
        confirmAtClockSeconds = nil
    }

    /// The cook is over (or another begins): what was still to be added or confirmed for it is
    /// dropped. Whether the cook is away is left as it is; that is a fault with its own clearing.
    public mutating func cookEnded() {
        pendingAdditions = []
        addAtSeconds = nil
        confirmAtClockSeconds = nil
    }
}
