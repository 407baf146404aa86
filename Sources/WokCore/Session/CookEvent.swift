/// Something worth telling the cook, a log or a history about. Events are facts in the past tense.
public enum CookEvent: Sendable, Equatable, CustomStringConvertible {
    case cookStarted(recipe: String)
    case stageStarted(index: Int, name: String, targetC: Double?)
    /// The cook must act: add ingredients, or judge the food and confirm.
    case prompt(index: Int, text: String)
    case targetReached(index: Int, measuredC: Double)
    /// The wok did not reach its target within the stage's bound; the cook goes on regardless.
    case targetNotReached(index: Int, afterSeconds: Double)
    /// A `confirm` stage has run its minimum and now waits for the cook.
    case awaitingConfirmation(index: Int)
    /// A `confirm` stage passed its maximum: the heat dropped to the safe hold and the cook is alerted.
    case confirmationOverdue(index: Int, holdC: Double?)
    case confirmed(index: Int)
    /// A person gave the stage more time; `targetC` is the heat it now holds.
    case stageExtended(index: Int, bySeconds: Double, totalSeconds: Double, targetC: Double?)
    /// A person ended a timed stage (or a wait for the target) before its clock did.
    case stageFinished(index: Int)
    case held(index: Int)
    case resumed(index: Int)
    case cookCompleted
    case cookAborted(reason: String)
    case faultLatched(SafetyFault)
    case faultAcknowledged(kind: FaultKind)
    /// Something a person must act on at once (a welded relay, a valve that will not close):
    /// the daemon sounds the alarm and tells every watcher.
    case alarm(reason: String)
    /// The safety shut-off valve was closed because of a fault.
    case valveClosed(reason: String)

    /// The stage the event belongs to, when it belongs to one.
    public var stageIndex: Int? {
        switch self {
        case .stageStarted(let index, _, _), .prompt(let index, _), .targetReached(let index, _), .targetNotReached(let index, _),
            .awaitingConfirmation(let index), .confirmationOverdue(let index, _), .confirmed(let index),
            .stageExtended(let index, _, _, _), .stageFinished(let index), .held(let index), .resumed(let index):
            index
        case .cookStarted, .cookCompleted, .cookAborted, .faultLatched, .faultAcknowledged, .alarm, .valveClosed:
            nil
        }
    }

    /// A short machine-readable name, used in traces and the socket protocol.
    public var name: String {
        switch self {
        case .cookStarted: "cook-started"
        case .stageStarted: "stage-started"
        case .prompt: "prompt"
        case .targetReached: "target-reached"
        case .targetNotReached: "target-not-reached"
        case .awaitingConfirmation: "awaiting-confirmation"
        case .confirmationOverdue: "confirmation-overdue"
        case .confirmed: "confirmed"
        case .stageExtended: "stage-extended"
        case .stageFinished: "stage-finished"
        case .held: "held"
        case .resumed: "resumed"
        case .cookCompleted: "cook-completed"
        case .cookAborted: "cook-aborted"
        case .faultLatched: "fault"
        case .faultAcknowledged: "fault-acknowledged"
        case .alarm: "alarm"
        case .valveClosed: "valve-closed"
        }
    }

    public var description: String {
        switch self {
        case .cookStarted(let recipe): "cook started: \(recipe)"
        case .stageStarted(let index, let name, let target):
            "stage \(index + 1) \"\(name)\" started, target \(target.map { "\(formatCelsius($0)) °C" } ?? "burner off")"
        case .prompt(let index, let text): "stage \(index + 1): \(text)"
        case .targetReached(let index, let measured): "stage \(index + 1): target reached (\(formatCelsius(measured)) °C)"
        case .targetNotReached(let index, let seconds):
            "stage \(index + 1): target not reached after \(formatNumber(seconds.rounded())) s; carrying on"
        case .awaitingConfirmation(let index): "stage \(index + 1): waiting for the cook to confirm"
        case .confirmationOverdue(let index, let hold):
            "stage \(index + 1): nobody confirmed in time; heat lowered to \(hold.map { "\(formatCelsius($0)) °C" } ?? "off")"
        case .confirmed(let index): "stage \(index + 1): confirmed by the cook"
        case .stageExtended(let index, let seconds, let total, let target):
            "stage \(index + 1): \(formatDuration(seconds)) more (\(formatDuration(total)) extra in all), target \(target.map { "\(formatCelsius($0)) °C" } ?? "burner off")"
        case .stageFinished(let index): "stage \(index + 1): ended early by the cook"
        case .held(let index): "stage \(index + 1): held"
        case .resumed(let index): "stage \(index + 1): resumed"
        case .cookCompleted: "cook completed"
        case .cookAborted(let reason): "cook aborted: \(reason)"
        case .faultLatched(let fault): "FAULT \(fault.kind.rawValue): \(fault.reason)"
        case .faultAcknowledged(let kind): "fault \(kind.rawValue) acknowledged"
        case .alarm(let reason): "ALARM: \(reason)"
        case .valveClosed(let reason): "shut-off valve closed: \(reason)"
        }
    }
}
