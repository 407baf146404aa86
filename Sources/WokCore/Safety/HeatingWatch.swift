/// Watches that the wok stops heating once the burner has been off long enough for the reading to
/// settle (else the relay is welded or the valve stuck open). In the spirit of Klipper's
/// verify_heater. Whether heat arrives while the burner is on is `HeatArrivalWatch`'s job.
struct HeatingWatch: Sendable {
    /// The heating-while-off check compares with the lowest settled reading over this window: long
    /// enough to see a weak burner's slow rise near the top level (about 0.3 °C/s), short enough that
    /// the cause is seen to clear soon after the heating stops.
    static let offWindowSeconds = 20.0
    /// After the burner goes off, the reading still climbs while the sensor's lag catches up with
    /// the steel: wait the dead time plus this many lags (5 % of the gap left).
    static let settleLags = 3.0
    /// Most samples kept for the window (a tick every 0.05 s at the fastest period allowed).
    static let maxSamples = 512

    // Heating while off.
    private var burnerOn = false
    private var offSinceSeconds: Double?
    /// Settled readings while off, as a monotonic queue: `samples[head]` is the window's minimum.
    private var samples: [(seconds: Double, celsius: Double)] = []
    private var head = 0
    private var lowestSettledC: Double?

    /// The relay's command that will hold until the next reading.
    mutating func burnerCommanded(_ command: BurnerCommand, nowSeconds now: Double) {
        if command.isOn {
            burnerOn = true
            offSinceSeconds = nil
            clearWindow()
        } else if burnerOn || offSinceSeconds == nil {
            burnerOn = false
            offSinceSeconds = now
        }
    }

    var burnerWasOn: Bool { burnerOn }

    /// How far the reading has risen, with the burner off, above its lowest settled value: over
    /// the whole off stretch (`sinceSettled`: a slow rise under a load adds up) and over the last
    /// `offWindowSeconds` (`recent`: whether it is still rising). Nil while the burner is on or
    /// the reading has not settled.
    mutating func riseWhileOffC(
        celsius: Double, nowSeconds now: Double, settleSeconds: Double
    ) -> (sinceSettled: Double, recent: Double)? {
        guard !burnerOn, let since = offSinceSeconds, now - since >= settleSeconds else { return nil }
        lowestSettledC = min(lowestSettledC ?? celsius, celsius)
        while samples.count > head, samples[samples.count - 1].celsius >= celsius { samples.removeLast() }
        samples.append((now, celsius))
        while head < samples.count - 1, samples[head].seconds < now - Self.offWindowSeconds { head += 1 }
        if samples.count - head > Self.maxSamples { head += 1 }
        if head > Self.maxSamples {
            samples.removeFirst(head)
            head = 0
        }
        return (celsius - (lowestSettledC ?? celsius), celsius - samples[head].celsius)
    }

    private mutating func clearWindow() {
        samples.removeAll(keepingCapacity: true)
        head = 0
        lowestSettledC = nil
    }
}
