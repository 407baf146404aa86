/// What the station's state asks of the buzzer: pure, from the loop as it stands after a tick.
public enum BuzzerCues {
    /// How long before a change the warning sounds.
    public static let warningLeadSeconds = 30.0

    /// The cues due now, most urgent first: the alarm of a latched fault, warnings, the prompt.
    public static func current(_ loop: StationLoop) -> [BuzzerCue] {
        var cues: [BuzzerCue] = []
        if let fault = loop.safety.latched {
            // Heat seen with the burner off is a new, worse occasion: it sounds again if silenced.
            let heating = loop.safety.heatingSeenWhileOff
            cues.append(
                BuzzerCue(
                    pattern: .alarm,
                    key: "fault \(fault.kind.rawValue) at \(fault.detectedAtSeconds)\(heating ? " heating" : "")",
                    reason: "fault \(fault.kind.rawValue)\(heating ? ", the wok heating with the burner off" : "")"))
        }
        guard let session = loop.session, session.isRunning, !session.isHeld else { return cues }
        cues += warnings(session)
        if session.cookMustAct {
            let waiting = session.state == .waitingForCook
            let occasion = session.isOverdue ? "overdue" : waiting ? "waiting" : "add food"
            cues.append(
                BuzzerCue(
                    pattern: .prompt, key: stageKey(session) + " " + occasion,
                    reason: "stage \(session.stageIndex + 1) \(waiting ? "waits for the cook" : "adds food")"
                        + (session.isOverdue ? " (overdue, at the safe hold)" : "")))
        }
        return cues
    }

    private static func warnings(_ session: CookSession) -> [BuzzerCue] {
        let stage = session.stage
        let lead = warningLeadSeconds
        let number = session.stageIndex + 1
        var cues: [BuzzerCue] = []
        switch stage.advance {
        case .time:
            // A stage no longer than the lead would warn as it starts, which says nothing.
            if let left = session.remainingSeconds, left > 0, left <= lead, (stage.seconds ?? 0) > lead {
                cues.append(
                    BuzzerCue(pattern: .warning, key: stageKey(session) + " ends", reason: "stage \(number) ends within \(formatNumber(lead)) s"))
            }
        case .confirm:
            if session.state == .cooking, let left = session.remainingSeconds, left > 0, left <= lead {
                cues.append(
                    BuzzerCue(
                        pattern: .warning, key: stageKey(session) + " window",
                        reason: "stage \(number) can be confirmed within \(formatNumber(lead)) s"))
            }
            let overdueAfter = stage.maxSeconds ?? session.station.limits.confirmTimeoutSeconds
            let untilSafeHold = overdueAfter - session.stageElapsedSeconds
            if !session.isOverdue, untilSafeHold > 0, untilSafeHold <= lead {
                cues.append(
                    BuzzerCue(
                        pattern: .warning, key: stageKey(session) + " safe hold",
                        reason: "stage \(number) drops to the safe hold within \(formatNumber(lead)) s unless confirmed"))
            }
        case .reached:
            break
        }
        return cues
    }

    /// Names one stage of one cook: a later cook's stage of the same number is a new occasion.
    private static func stageKey(_ session: CookSession) -> String {
        "cook at \(session.startedAtSeconds) stage \(session.stageIndex)"
    }
}
