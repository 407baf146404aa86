/// Plays the most urgent cue that is neither silenced nor played out, sampling its pattern at
/// each tick's time. Pure: cues and time in, the buzzer's level out.
///
/// A button press silences every cue due at that moment; a cue with a new key sounds again.
/// Warnings play once per key; prompts and alarms repeat for as long as their cue lasts.
public struct BuzzerPlayer: Sendable {
    /// The cue sounding now, and the time its pattern began.
    public private(set) var playing: (cue: BuzzerCue, sinceSeconds: Double)?
    private var silenced: Set<String> = []
    private var playedOut: Set<String> = []
    private var liveKeys: Set<String> = []

    public init() {}

    /// The level for the buzzer at `now`, given the cues due (most urgent first).
    public mutating func level(cues: [BuzzerCue], nowSeconds now: Double) -> Bool {
        liveKeys = Set(cues.map(\.key))
        // Forget keys whose occasion has passed, so the sets stay as small as the cues.
        silenced.formIntersection(liveKeys)
        playedOut.formIntersection(liveKeys)
        for cue in cues where !silenced.contains(cue.key) && !playedOut.contains(cue.key) {
            if playing?.cue.key != cue.key { playing = (cue, now) }
            let since = playing?.sinceSeconds ?? now
            if let on = cue.pattern.isOn(afterSeconds: now - since) { return on }
            playedOut.insert(cue.key)
        }
        playing = nil
        return false
    }

    /// A button was pressed: quiet until a cue with a new key is due.
    public mutating func silence() {
        silenced.formUnion(liveKeys)
        playing = nil
    }
}
