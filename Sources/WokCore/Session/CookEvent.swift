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
