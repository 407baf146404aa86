/// After a fault ends a cook, the history goes on recording the wok while the fault stays latched:
/// the climb over a welded relay, or the cool-down, is what a person looking back at the fault
/// needs to see. The cook's duration still ends at the fault.
struct FaultCoolDown {
    /// At most 15 minutes of station time after the fault (3,600 ticks, about 140 kB of history):
    /// enough to see whether the wok kept climbing or cooled, and nobody reading the history needs
    /// a whole night of an unattended, cold wok.
    static let maxSeconds = 900.0

    private var faultSeconds: Double?

    /// The cook ended in a fault at `now`.
    mutating func begin(atSeconds now: Double) { faultSeconds = now }

    /// A new cook starts: nothing more goes to the old one.
    mutating func end() { faultSeconds = nil }

    /// Whether the tick at `now` belongs to the cool-down; it ends for good at the acknowledgement.
    mutating func records(atSeconds now: Double, faultLatched: Bool) -> Bool {
        guard let since = faultSeconds else { return false }
        guard faultLatched, now - since <= Self.maxSeconds else {
            faultSeconds = nil
            return false
        }
        return true
    }
}
