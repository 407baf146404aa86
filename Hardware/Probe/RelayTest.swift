// `wokctl hw relay-test`: clicks the burner relay on for a bounded moment, only when asked and
// only while the temperature reads sane; off at the end on every path.
public import WokCore

/// What a relay test did.
public struct RelayTestOutcome: Sendable, Equatable {
    /// The temperature read before switching on, °C.
    public var startC: Double
    /// How long the relay was on, s (from switching on to switching off).
    public var onSeconds: Double
    /// Temperatures read while it was on, °C.
    public var readingsC: [Double]
    /// Why it ended before the asked time, if it did.
    public var endedEarly: String?
}

/// Why a relay test did not run, or did not end cleanly.
public enum RelayTestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A precondition failed; the relay was never turned on.
    case refused(String)
    /// The relay could not be driven; it was turned off or released.
    case relay(String)

    public var description: String {
        switch self {
        case .refused(let reason): "relay test refused: \(reason)"
        case .relay(let reason): "relay test failed: \(reason)"
        }
    }
}

/// Turns the burner relay on for at most `maxOnSeconds`, watching the temperature throughout.
public struct RelayTest<Access: HardwareAccess> {
    /// The longest the relay may be on: long enough to hear the relay and see a gas valve open,
    /// too short for an unattended flame to do harm.
    public static var maxOnSeconds: Double { 2 }
    /// How often the temperature is read while the relay is on, s.
    public static var checkIntervalSeconds: Double { 0.1 }

    /// How devices are reached.
    public var access: Access
    /// A monotonic clock, s.
    public var nowSeconds: () -> Double
    /// Sleeps for a number of seconds.
    public var sleep: (Double) -> Void

    /// A relay test over `access`, with time injected (real clock and sleep in the CLI).
    public init(
        access: Access, nowSeconds: @escaping () -> Double = MonotonicClock.nowSeconds,
        sleep: @escaping (Double) -> Void = MonotonicClock.sleep(seconds:)
    ) {
        self.access = access
        self.nowSeconds = nowSeconds
        self.sleep = sleep
    }

    /// Runs the test: refuses unless `onSeconds` is in (0, 2] and the converter gives a reading
    /// without a fault below `station.limits.maxC`; then relay on, temperature checked every
    /// 0.1 s (a fault or the limit ends it at once), relay off and the line released.
    /// The shut-off valve, if any, is not touched.
    public func run(
        devices: StationDevices, station: Station, onSeconds: Double
    ) -> Result<RelayTestOutcome, RelayTestError> {
        guard onSeconds > 0, onSeconds <= Self.maxOnSeconds else {
            return .failure(.refused("--seconds must be more than 0 and at most \(formatNumber(Self.maxOnSeconds))"))
        }
        let limitC = station.limits.maxC
        var sensor: MCP9600<Access.Bus>
        do throws(I2COpenError) {
            let bus = try access.openThermocoupleBus(devices.thermocouple)
            do throws(MCP9600Error) {
                sensor = try MCP9600.open(
                    device: bus, configuration: MCP9600Configuration(settings: devices.thermocouple))
            } catch {
                return .failure(.refused("cannot check the temperature: \(error)"))
            }
        } catch {
            return .failure(.refused("cannot check the temperature: \(error)"))
        }
        let startC: Double
        switch Self.saneReading(sensor.read(), limitC: limitC) {
        case .success(let celsius): startC = celsius
        case .failure(let failure): return .failure(.refused(failure.reason))
        }

        var relay: GPIORelay<Access.Line>
        do throws(GPIOError) {
            let line = try access.requestOutput(devices.relay)
            do throws(RelayFailure) {
                relay = try GPIORelay(line: line)
            } catch {
                return .failure(.relay(error.description))
            }
        } catch {
            return .failure(.relay(error.description))
        }
        defer { relay.close() }  // off and released on every path below

        do throws(RelayFailure) {
            try relay.set(.on)
        } catch {
            return .failure(.relay(error.description))
        }
        let onAtSeconds = nowSeconds()
        var outcome = RelayTestOutcome(startC: startC, onSeconds: 0, readingsC: [], endedEarly: nil)
        while true {
            let remaining = onSeconds - (nowSeconds() - onAtSeconds)
            if remaining <= 0 { break }
            sleep(min(Self.checkIntervalSeconds, remaining))
            switch Self.saneReading(sensor.read(), limitC: limitC) {
            case .success(let celsius): outcome.readingsC.append(celsius)
            case .failure(let failure): outcome.endedEarly = failure.reason
            }
            if outcome.endedEarly != nil { break }
        }
        do throws(RelayFailure) {
            try relay.set(.off)
        } catch {
            return .failure(.relay(error.description))
        }
        outcome.onSeconds = nowSeconds() - onAtSeconds
        return .success(outcome)
    }

    /// A reading's temperature if it has no fault and is below the limit; else why not.
    static func saneReading(
        _ reading: Result<ThermocoupleSample, SensorFault>, limitC: Double
    ) -> Result<Double, SaneReadingFailure> {
        switch reading {
        case .failure(let fault):
            return .failure(SaneReadingFailure(reason: "the thermocouple reads a fault (\(fault))"))
        case .success(let sample) where sample.hotC >= limitC:
            return .failure(
                SaneReadingFailure(
                    reason: "the wok reads \(sample.hotC) °C, at or above the station's limit of \(formatNumber(limitC)) °C"))
        case .success(let sample):
            return .success(sample.hotC)
        }
    }
}

/// Why a reading is not sane enough to light the burner.
struct SaneReadingFailure: Error {
    var reason: String
}
