/// Where a cook stands, as the cook and scripts see it.
public enum CookState: String, Sendable, CaseIterable {
    case idle
    /// Waiting for the wok to reach a target the stage's timing depends on.
    case preheating
    case cooking
    /// A person froze the stage clock.
    case holding
    /// A `confirm` stage is ready for the cook's judgement (or overdue for it).
    case waitingForCook = "waiting-for-cook"
    case fault
    case done
}

/// Why a request to the session was refused.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notRunning
    case notAConfirmStage(index: Int, name: String)
    case tooEarly(index: Int, name: String, secondsLeft: Double)
    case alreadyHeld
    case notHeld

    public var description: String {
        switch self {
        case .notRunning: "no cook is running"
        case .notAConfirmStage(let index, let name):
            "stage \(index + 1) \"\(name)\" ends by itself; there is nothing to confirm"
        case .tooEarly(let index, let name, let left):
            "stage \(index + 1) \"\(name)\" needs at least \(formatNumber(left.rounded(.up))) s more before it can end"
        case .alreadyHeld: "the cook is already held"
        case .notHeld: "the cook is not held"
        }
    }
}

/// How a cook ended.
public enum CookOutcome: Sendable, Equatable {
    case completed
    case aborted(reason: String)
    case faulted(SafetyFault)
}

/// The state machine of one cook: which stage, its clock, its target, and when it ends.
/// Pure: time and the reading come in as arguments; events come out.
public struct CookSession: Sendable {
    /// After a stage that adds food begins, this long counts as "food may land any moment".
    public static let loadExpectedSeconds = 60.0

    public let recipe: Recipe
    public let station: Station
    public private(set) var stageIndex = 0
    public private(set) var outcome: CookOutcome?
    public private(set) var startedAtSeconds: Double
    /// Seconds in the current stage, not counting holds.
    public private(set) var stageElapsedSeconds = 0.0
    /// The stage clock: from the stage's start, or from first reaching the target.
    public private(set) var stageClockSeconds = 0.0
    public private(set) var isHeld = false
    public private(set) var hasReachedTarget = false
    public private(set) var isOverdue = false
    private var clockRunning = false
    private var gaveUpWaiting = false
    private var awaitingAnnounced = false
    private var lastStepSeconds: Double

    /// Starts a cook. The recipe must already have passed `RecipeCheck` for this station.
    public init(recipe: Recipe, station: Station, nowSeconds: Double) {
        self.recipe = recipe
        self.station = station
        startedAtSeconds = nowSeconds
        lastStepSeconds = nowSeconds
    }

    public var isRunning: Bool { outcome == nil }
    public var stage: Stage { recipe.stages[stageIndex] }

    /// The events of starting: call once, right after `init`. A cook continued after an
    /// interruption begins at the stage it was in, from that stage's start.
    public mutating func begin(atStage index: Int = 0) -> [CookEvent] {
        [.cookStarted(recipe: recipe.name)] + enterStage(min(max(index, 0), recipe.stages.count - 1))
    }

    /// What the wok should be at now; nil when the burner must be off.
    public var targetC: Double? {
        guard isRunning else { return nil }
        if isOverdue { return station.targetC(for: .level(station.limits.safeHoldLevel)) }
        return station.targetC(for: stage.heat)
    }

    /// The stage's own target, ignoring an overdue safe hold.
    public var stageTargetC: Double? { station.targetC(for: stage.heat) }

    /// Grams the recipe says land in the wok about now.
    public var expectedLoadGrams: Double {
        isRunning && stageElapsedSeconds < Self.loadExpectedSeconds ? stage.addedGrams : 0
    }

    public var state: CookState {
        switch outcome {
        case .completed: return .done
        case .faulted: return .fault
        case .aborted: return .idle
        case nil: break
        }
        if isHeld { return .holding }
        if stage.advance == .confirm && (awaitingAnnounced || isOverdue) { return .waitingForCook }
        if !hasReachedTarget && !gaveUpWaiting && stageTargetC != nil && (stage.timer == .reached || stage.advance == .reached) {
            return .preheating
        }
        return .cooking
    }

    /// How long the stage's clock still has to run, when that is known.
    public var remainingSeconds: Double? {
        guard isRunning else { return nil }
        switch stage.advance {
        case .time:
            guard let seconds = stage.seconds, clockRunning || stage.timer == .start else { return nil }
            return max(0, seconds - stageClockSeconds)
        case .confirm:
            guard let minSeconds = stage.minSeconds else { return 0 }
            return max(0, minSeconds - stageClockSeconds)
        case .reached:
            return nil
        }
    }

    /// How long a `confirm` stage has waited past its maximum (at the safe hold); nil otherwise.
    public var confirmOverdueSeconds: Double? {
        guard isRunning, isOverdue, stage.advance == .confirm else { return nil }
        return max(0, stageElapsedSeconds - (stage.maxSeconds ?? station.limits.confirmTimeoutSeconds))
    }

    /// How long a `confirm` stage may still wait before its heat drops to the safe hold; nil for
    /// other stages and once overdue. A held stage's clock stands still, and so does this.
    public var safeHoldInSeconds: Double? {
        guard isRunning, !isOverdue, stage.advance == .confirm else { return nil }
        return max(0, (stage.maxSeconds ?? station.limits.confirmTimeoutSeconds) - stageElapsedSeconds)
    }

    /// The longest a cook of `recipe` can legitimately take on `station`, holds aside: every wait
    /// at its bound, every confirm stage overdue and then held for the unattended bound.
    public static func plannedSeconds(_ recipe: Recipe, on station: Station) -> Double {
        recipe.stages.reduce(0) { total, stage in
            let waitBound = stage.maxSeconds ?? station.limits.reachTimeoutSeconds
            switch stage.advance {
            case .time:
                return total + (stage.timer == .reached ? waitBound : 0) + max(stage.seconds ?? 0, 0)
            case .reached:
                return total + waitBound
            case .confirm:
                return total + (stage.maxSeconds ?? station.limits.confirmTimeoutSeconds)
                    + station.safety.unattendedHoldSeconds
            }
        }
    }

    /// Whether the cook must act now (add food, or judge and confirm).
    public var cookMustAct: Bool {
        guard isRunning else { return false }
        if state == .waitingForCook { return true }
        return !stage.add.isEmpty && stageElapsedSeconds < Self.loadExpectedSeconds
    }

    /// Advances the cook to `now`. `measuredC` is nil when the sensor could not be read.
    public mutating func step(nowSeconds now: Double, measuredC: Double?) -> [CookEvent] {
        guard isRunning else { return [] }
        let dt = max(0, now - lastStepSeconds)
        lastStepSeconds = now
        guard !isHeld else { return [] }
        stageElapsedSeconds += dt
        if clockRunning { stageClockSeconds += dt }

        var events: [CookEvent] = []
        if !hasReachedTarget, let target = stageTargetC, let measured = measuredC,
            measured >= target - station.control.bandC
        {
            hasReachedTarget = true
            events.append(.targetReached(index: stageIndex, measuredC: measured))
            if stage.timer == .reached && !clockRunning { clockRunning = true }
        }
        let waitBound = stage.maxSeconds ?? station.limits.reachTimeoutSeconds
        switch stage.advance {
        case .time:
            if stage.timer == .reached && !clockRunning && stageElapsedSeconds >= waitBound {
                gaveUpWaiting = true
                clockRunning = true
                events.append(.targetNotReached(index: stageIndex, afterSeconds: stageElapsedSeconds))
            }
            if clockRunning, stageClockSeconds >= (stage.seconds ?? 0) {
                events += advanceStage()
            }
        case .reached:
            if hasReachedTarget {
                events += advanceStage()
            } else if stageElapsedSeconds >= waitBound {
                events.append(.targetNotReached(index: stageIndex, afterSeconds: stageElapsedSeconds))
                events += advanceStage()
            }
        case .confirm:
            if stage.timer == .reached && !clockRunning && stageElapsedSeconds >= waitBound {
                gaveUpWaiting = true
                clockRunning = true
                events.append(.targetNotReached(index: stageIndex, afterSeconds: stageElapsedSeconds))
            }
            if clockRunning && !awaitingAnnounced && stageClockSeconds >= (stage.minSeconds ?? 0) {
                awaitingAnnounced = true
                events.append(.awaitingConfirmation(index: stageIndex))
            }
            let overdueAfter = stage.maxSeconds ?? station.limits.confirmTimeoutSeconds
            if !isOverdue && stageElapsedSeconds >= overdueAfter {
                isOverdue = true
                events.append(.confirmationOverdue(index: stageIndex, holdC: targetC))
            }
        }
        return events
    }

    /// The cook says a `confirm` stage is done.
    public mutating func confirm(nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard stage.advance == .confirm else { throw .notAConfirmStage(index: stageIndex, name: stage.name) }
        let minimum = stage.minSeconds ?? 0
        if !isOverdue && (!clockRunning || stageClockSeconds < minimum) {
            throw .tooEarly(index: stageIndex, name: stage.name, secondsLeft: minimum - (clockRunning ? stageClockSeconds : 0))
        }
        lastStepSeconds = max(lastStepSeconds, now)
        return [.confirmed(index: stageIndex)] + advanceStage()
    }

    /// Freezes the stage clock; the heat stays where it is.
    public mutating func hold(nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard !isHeld else { throw .alreadyHeld }
        _ = step(nowSeconds: now, measuredC: nil)
        isHeld = true
        return [.held(index: stageIndex)]
    }

    public mutating func resume(nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard isHeld else { throw .notHeld }
        isHeld = false
        lastStepSeconds = now
        return [.resumed(index: stageIndex)]
    }

    /// Ends the cook at once; the burner goes off.
    public mutating func abort(reason: String) -> [CookEvent] {
        guard isRunning else { return [] }
        outcome = .aborted(reason: reason)
        return [.cookAborted(reason: reason)]
    }

    /// Ends the cook because the safety monitor tripped.
    public mutating func fault(_ fault: SafetyFault) {
        guard isRunning else { return }
        outcome = .faulted(fault)
    }

    private mutating func advanceStage() -> [CookEvent] {
        let next = stageIndex + 1
        guard next < recipe.stages.count else {
            outcome = .completed
            return [.cookCompleted]
        }
        return enterStage(next)
    }

    private mutating func enterStage(_ index: Int) -> [CookEvent] {
        stageIndex = index
        stageElapsedSeconds = 0
        stageClockSeconds = 0
        hasReachedTarget = false
        isOverdue = false
        gaveUpWaiting = false
        awaitingAnnounced = false
        clockRunning = stage.timer == .start
        var events: [CookEvent] = [.stageStarted(index: index, name: stage.name, targetC: stageTargetC)]
        if let prompt = stage.prompt { events.append(.prompt(index: index, text: prompt)) }
        return events
    }
}
