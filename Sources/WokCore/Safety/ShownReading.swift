/// The wok's temperature as a person is shown it, whatever is latched: a cook told to close the gas
/// by hand must still see the wok climbing. Only for people: control uses the monitor's verdict
/// alone, so a shown reading never lights the burner (docs/safety.md, "What is shown during a fault").
public struct ShownReading: Sendable, Equatable {
    public var celsius: Double
    /// False while the fault latched (or found this tick) may be the reading's own: the number may
    /// be wrong, and is shown as "not trusted", never as if it were good.
    public var trusted: Bool

    public init(celsius: Double, trusted: Bool) {
        self.celsius = celsius
        self.trusted = trusted
    }

    /// What a person sees of `sensorReading`: nil when it did not decode into a number.
    static func of(
        _ sensorReading: Result<ThermocoupleSample, SensorFault>, latched: FaultKind?, foundNow: FaultKind?
    ) -> ShownReading? {
        guard case .success(let sample) = sensorReading, sample.hotC.isFinite else { return nil }
        let doubted = (latched?.doubtsReading ?? false) || (foundNow?.doubtsReading ?? false)
        return ShownReading(celsius: sample.hotC, trusted: !doubted)
    }
}

extension FaultKind {
    /// Faults whose cause may be the reading itself: while one is latched, a reading that still
    /// decodes is shown as not trusted. No case is left to a default, so a new kind must choose.
    public var doubtsReading: Bool {
        switch self {
        case .sensorOpen, .sensorShort, .sensorRange, .sensorImplausible, .sensorRate, .sensorFrozen, .busErrors, .deviceGone:
            true
        // The monitor cannot tell a flame out from a probe fallen off the wok, which reads the
        // air and not the steel: the reading may say "cooling" over a hot wok.
        case .heatNotArriving, .implausibleCooling:
            true
        // The sensor is fine: the wok really is this hot, or the fault is the relay's, the
        // clock's or the cook's.
        case .overLimit, .heatingWhileOff, .unattended, .loopStalled, .clockJump, .relayFailure, .valveFailure, .flameLost,
            .flameWhileOff, .flameSenseFailed:
            false
        }
    }
}
