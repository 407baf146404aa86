/// Where a cook stands, as the cook and scripts see it.
public enum CookState: String, Sendable, CaseIterable {
    case idle
    /// Waiting for the wok to come up to a target the stage's timing depends on.
    case preheating
    /// Waiting, burner off, for the wok to come down to a lower target ("cool to 150 °C").
    case cooling
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
    /// `extend` on a stage that ends when the wok is hot, not by a clock.
    case cannotExtend(index: Int, name: String)
    /// `extend` past the most extra time a stage may be given.
    case extensionTooLong(index: Int, name: String, allowedSeconds: Double)
    /// `finish` on a stage that only the cook's judgement ends.
    case cannotFinish(index: Int, name: String)

    public var description: String {
        switch self {
        case .notRunning: "no cook is running"
        case .notAConfirmStage(let index, let name):
            "stage \(index + 1) \"\(name)\" ends by itself; there is nothing to confirm"
        case .tooEarly(let index, let name, let left):
            "stage \(index + 1) \"\(name)\" needs at least \(formatNumber(left.rounded(.up))) s more before it can end"
        case .alreadyHeld: "the cook is already held"
        case .notHeld: "the cook is not held"
        case .cannotExtend(let index, let name):
            "stage \(index + 1) \"\(name)\" ends when the wok reaches its target; there is no clock to extend"
        case .extensionTooLong(let index, let name, let allowed):
            allowed < 1
                ? "stage \(index + 1) \"\(name)\" has had all the extra time a stage may get (\(formatNumber(CookSession.maxExtraSeconds / 60)) min)"
                : "stage \(index + 1) \"\(name)\" may be given at most \(formatNumber(allowed.rounded(.down))) s more"
        case .cannotFinish(let index, let name):
            "stage \(index + 1) \"\(name)\" waits for the cook: confirm it with `next` instead"
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
    /// A stage that adds food to a wok already at its target is "at heat" only once the food has
    /// knocked the wok out of its band and it has come back ("once the wok is back at heat"); a
    /// load too small to knock it out counts as absorbed after this long.
    public static let foodDipGraceSeconds = 30.0
    /// The most extra time one stage may be given, in total: as long as the longest stage a recipe
    /// may hold, so an extended stage is never longer than twice what any recipe could ask.
    public static let maxExtraSeconds = RecipeLoader.maxStageSeconds
    /// The range one `extend` may ask for.
    public static let extendRange: ClosedRange<Double> = 1...1800

    /// The recipe and the station, fixed for the cook, behind one reference: they are most of a
    /// session's size, and a session read through an optional (as the loop holds it) is copied,
    /// so every read of it would otherwise copy them and their strings.
    private let plan: Plan

    private final class Plan: Sendable {
        let recipe: Recipe
        let station: Station

        init(recipe: Recipe, station: Station) {
            self.recipe = recipe
            self.station = station
        }
    }

    public var recipe: Recipe { plan.recipe }
    public var station: Station { plan.station }
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
    /// Extra seconds a person gave the current stage (`extend`).
    public private(set) var extraSeconds = 0.0
    /// The longest this cook can legitimately take, holds aside; grows with every extension.
    public private(set) var plannedSeconds: Double
    /// The food still to go in, to have ready, until the first stage that adds food begins.
    public private(set) var haveReady: String?
    /// The last reading, to tell a wok still coming up from one coming down.
    private var lastMeasuredC: Double?
    /// Which side of the band the last reading was on (-1 below, +1 above), to catch a wok that
    /// crossed the whole band between two readings.
    private var lastSide = 0
    /// The stage adds food: a wok in the band before the food's dip has not reached it yet.
    private var awaitingFoodDip = false
    private var clockRunning = false
    private var gaveUpWaiting = false
    private var awaitingAnnounced = false
    private var lastStepSeconds: Double
    /// The current stage's figures, resolved once when it begins: every tick reads them, and
    /// looking a heat level up in the station's table (a hash) or copying the stage (its strings
    /// and food) each time cost more than the rest of the step.
    private var facts: StageFacts
    /// The safe hold's temperature on this station (fixed for the cook).
    private let safeHoldTargetC: Double?

    /// What a tick needs of a stage, read once from the recipe and the station.
    private struct StageFacts {
        var targetC: Double?
        var advance: Advance
        var timer: StageTimer
        var seconds: Double?
        var minSeconds: Double?
        var maxSeconds: Double?
        var addsFood: Bool
        var addedGrams: Double

        /// No stage: nothing to heat to, nothing to wait for.
        init() {
            advance = .time
            timer = .start
            addsFood = false
            addedGrams = 0
        }

        init(_ stage: Stage, on station: Station) {
            targetC = station.targetC(for: stage.heat)
            advance = stage.advance
            timer = stage.timer
            seconds = stage.seconds
            minSeconds = stage.minSeconds
            maxSeconds = stage.maxSeconds
            addsFood = !stage.add.isEmpty
            addedGrams = stage.addedGrams
        }
    }

    /// Starts a cook. The recipe must already have passed `RecipeCheck` for this station.
    public init(recipe: Recipe, station: Station, nowSeconds: Double) {
        plan = Plan(recipe: recipe, station: station)
        startedAtSeconds = nowSeconds
        lastStepSeconds = nowSeconds
        plannedSeconds = Self.plannedSeconds(recipe, on: station)
        // A recipe without stages never passes `RecipeCheck`; such a session only must not trap here.
        facts = recipe.stages.first.map { StageFacts($0, on: station) } ?? StageFacts()
        safeHoldTargetC = station.targetC(for: .level(station.limits.safeHoldLevel))
    }

    public var isRunning: Bool { outcome == nil }
    public var stage: Stage { recipe.stages[stageIndex] }

    /// The events of starting: call once, right after `init`. A cook continued after an
    /// interruption begins at the stage it was in, from that stage's start.
    public mutating func begin(atStage index: Int = 0) -> [CookEvent] {
        let first = min(max(index, 0), recipe.stages.count - 1)
        var events: [CookEvent] = [.cookStarted(recipe: recipe.name)]
        let ready = recipe.stages[first...].flatMap(\.add)
        if !ready.isEmpty {
            haveReady = Addition.list(ready)
            events.append(.prompt(index: first, text: "Have ready: \(Addition.list(ready))."))
        }
        return events + enterStage(first)
    }

    /// What the wok should be at now; nil when the burner must be off.
    public var targetC: Double? {
        guard isRunning else { return nil }
        if isOverdue { return safeHoldTargetC }
        return facts.targetC
    }

    /// The stage's own target, ignoring an overdue safe hold.
    public var stageTargetC: Double? { facts.targetC }

    /// The stage clock of a running `confirm` stage (what a cook at the stove judges it by); nil
    /// for any other stage, or once the cook has ended.
    public var confirmStageClockSeconds: Double? { isRunning && facts.advance == .confirm ? stageClockSeconds : nil }

    /// Whether the current stage adds food.
    public var stageAddsFood: Bool { facts.addsFood }

    /// Grams the recipe says land in the wok about now.
    public var expectedLoadGrams: Double {
        isRunning && stageElapsedSeconds < Self.loadExpectedSeconds ? facts.addedGrams : 0
    }

    public var state: CookState {
        switch outcome {
        case .completed: return .done
        case .faulted: return .fault
        case .aborted: return .idle
        case nil: break
        }
        if isHeld { return .holding }
        if facts.advance == .confirm && (awaitingAnnounced || isOverdue) { return .waitingForCook }
        if !hasReachedTarget && !gaveUpWaiting, let target = stageTargetC, facts.timer == .reached || facts.advance == .reached {
            if let last = lastMeasuredC, last > target + station.control.bandC { return .cooling }
            return .preheating
        }
        return .cooking
    }

    /// How long the stage's clock still has to run, when that is known.
    public var remainingSeconds: Double? {
        guard isRunning else { return nil }
        switch facts.advance {
        case .time:
            guard let seconds = facts.seconds, clockRunning || facts.timer == .start else { return nil }
            return max(0, seconds + extraSeconds - stageClockSeconds)
        case .confirm:
            guard let minSeconds = facts.minSeconds else { return 0 }
            return max(0, minSeconds - stageClockSeconds)
        case .reached:
            return nil
        }
    }

    /// How long a `confirm` stage has waited past its maximum (at the safe hold); nil otherwise.
    public var confirmOverdueSeconds: Double? {
        guard isRunning, isOverdue, facts.advance == .confirm else { return nil }
        return max(0, stageElapsedSeconds - confirmDeadlineSeconds)
    }

    /// Stage time after which an unconfirmed `confirm` stage drops to the safe hold.
    public var confirmDeadlineSeconds: Double {
        (facts.maxSeconds ?? station.limits.confirmTimeoutSeconds) + extraSeconds
    }

    /// For a `confirm` stage still at its own heat: how long until it drops to the safe hold.
    public var untilSafeHoldSeconds: Double? {
        guard isRunning, facts.advance == .confirm, !isOverdue else { return nil }
        return max(0, confirmDeadlineSeconds - stageElapsedSeconds)
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
        return facts.addsFood && stageElapsedSeconds < Self.loadExpectedSeconds
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
        if let measured = measuredC { lastMeasuredC = measured }
        if !hasReachedTarget, let target = stageTargetC, let measured = measuredC, arrived(measured, at: target) {
            hasReachedTarget = true
            events.append(.targetReached(index: stageIndex, measuredC: measured))
            if facts.timer == .reached && !clockRunning { clockRunning = true }
        }
        let waitBound = facts.maxSeconds ?? station.limits.reachTimeoutSeconds
        switch facts.advance {
        case .time:
            if facts.timer == .reached && !clockRunning && stageElapsedSeconds >= waitBound {
                gaveUpWaiting = true
                clockRunning = true
                events.append(.targetNotReached(index: stageIndex, afterSeconds: stageElapsedSeconds))
            }
            if clockRunning, stageClockSeconds >= (facts.seconds ?? 0) + extraSeconds {
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
            if facts.timer == .reached && !clockRunning && stageElapsedSeconds >= waitBound {
                gaveUpWaiting = true
                clockRunning = true
                events.append(.targetNotReached(index: stageIndex, afterSeconds: stageElapsedSeconds))
            }
            if clockRunning && !awaitingAnnounced && stageClockSeconds >= (facts.minSeconds ?? 0) {
                awaitingAnnounced = true
                events.append(.awaitingConfirmation(index: stageIndex))
            }
            if !isOverdue && stageElapsedSeconds >= confirmDeadlineSeconds {
                isOverdue = true
                events.append(.confirmationOverdue(index: stageIndex, holdC: targetC))
            }
        }
        return events
    }

    /// The cook says a `confirm` stage is done.
    public mutating func confirm(nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard facts.advance == .confirm else { throw .notAConfirmStage(index: stageIndex, name: stage.name) }
        let minimum = facts.minSeconds ?? 0
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

    /// Gives the current stage more time: a timed stage runs longer, a `confirm` stage waits longer
    /// before it drops to the safe hold (and one already there goes back to its own heat). The
    /// cook's plan, which the safety monitor's overrun bound follows, grows by as much.
    public mutating func extend(bySeconds seconds: Double, nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard facts.advance != .reached else { throw .cannotExtend(index: stageIndex, name: stage.name) }
        let allowed = Self.maxExtraSeconds - extraSeconds
        guard seconds <= allowed else { throw .extensionTooLong(index: stageIndex, name: stage.name, allowedSeconds: allowed) }
        _ = step(nowSeconds: now, measuredC: nil)
        guard isRunning else { throw .notRunning }
        extraSeconds += seconds
        plannedSeconds += seconds
        // A stage at its safe hold goes back to its own heat while the new deadline lasts.
        if isOverdue && stageElapsedSeconds < confirmDeadlineSeconds { isOverdue = false }
        return [.stageExtended(index: stageIndex, bySeconds: seconds, totalSeconds: extraSeconds, targetC: targetC)]
    }

    /// Ends a timed stage (or the wait of a `reached` stage) now, as the cook judges the food.
    public mutating func finish(nowSeconds now: Double) throws(SessionError) -> [CookEvent] {
        guard isRunning else { throw .notRunning }
        guard facts.advance != .confirm else { throw .cannotFinish(index: stageIndex, name: stage.name) }
        _ = step(nowSeconds: now, measuredC: nil)
        guard isRunning else { throw .notRunning }
        return [.stageFinished(index: stageIndex)] + advanceStage()
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
        facts = StageFacts(stage, on: station)
        stageElapsedSeconds = 0
        stageClockSeconds = 0
        hasReachedTarget = false
        isOverdue = false
        extraSeconds = 0
        lastSide = 0
        awaitingFoodDip = facts.addsFood
        gaveUpWaiting = false
        awaitingAnnounced = false
        clockRunning = facts.timer == .start
        if facts.addsFood { haveReady = nil }
        var events: [CookEvent] = [.stageStarted(index: index, name: stage.name, targetC: stageTargetC)]
        if let prompt = Self.promptText(for: stage) { events.append(.prompt(index: index, text: prompt)) }
        return events
    }

    /// The stage's prompt, followed by the food it adds with the grams for this cook's portions,
    /// so a stage that adds food always says what to add.
    public static func promptText(for stage: Stage) -> String? {
        guard !stage.add.isEmpty else { return stage.prompt }
        let food = "Add \(Addition.list(stage.add))."
        guard let prompt = stage.prompt else { return food }
        return prompt + " " + food
    }

    /// Whether the wok has come to `target`: inside the band from either side, or across the whole
    /// band since the last reading (a fast wok or a noisy probe can step over it).
    private mutating func arrived(_ measured: Double, at target: Double) -> Bool {
        let band = station.control.bandC
        let inBand = abs(measured - target) <= band
        if awaitingFoodDip {
            guard inBand else {
                awaitingFoodDip = false
                lastSide = measured < target ? -1 : 1
                return false
            }
            return stageElapsedSeconds >= Self.foodDipGraceSeconds
        }
        if inBand { return true }
        let side = measured < target ? -1 : 1
        defer { lastSide = side }
        return lastSide != 0 && lastSide != side
    }
}
