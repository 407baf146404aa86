/// What belongs to the hardware rather than the recipe: the calibrated heat levels, the hard
/// limit, the relay's timing, the controller's settings and the safety bounds.
public struct Station: Sendable, Equatable {
    public static let schemaVersion = 1

    public var name: String
    /// Temperature of each named level except `off`, strictly rising from `low` to `max`.
    public var levels: [HeatLevel: Double]
    public var limits: Limits
    public var relay: RelayTiming
    public var control: ControlSettings
    public var safety: SafetySettings
    public var daemon = DaemonSettings()
    /// Where the real devices are (StationDevices.swift); nil for a simulation-only station.
    public var devices: StationDevices? = nil

    public init(
        name: String, levels: [HeatLevel: Double], limits: Limits, relay: RelayTiming,
        control: ControlSettings, safety: SafetySettings
    ) {
        self.name = name
        self.levels = levels
        self.limits = limits
        self.relay = relay
        self.control = control
        self.safety = safety
    }

    /// The station the project ships: a carbon-steel wok on a domestic gas wok burner.
    public static let standard = Station(
        name: "Home wok station",
        levels: [.low: 110, .mediumLow: 140, .medium: 170, .mediumHigh: 200, .high: 230, .max: 260],
        limits: Limits(), relay: RelayTiming(), control: ControlSettings(), safety: SafetySettings())

    /// The temperature a heat setting asks for here; nil means the burner stays off.
    public func targetC(for heat: Heat) -> Double? {
        switch heat {
        case .level(.off): nil
        case .level(let level): levels[level]
        case .celsius(let celsius): celsius
        }
    }

    /// Hard bounds the station never crosses, whatever a recipe or person asks.
    public struct Limits: Sendable, Equatable {
        /// Above this measured temperature the burner is cut and a fault latched. Oil and a
        /// carbon-steel wok's seasoning start to smoke and break down near 300-330 °C.
        public var maxC: Double = 300
        /// How long a stage may wait for its target before going on without it.
        public var reachTimeoutSeconds: Double = 600
        /// How long a `confirm` stage waits for the cook when the recipe sets no `maxSeconds`.
        public var confirmTimeoutSeconds: Double = 600
        /// The level the wok drops to while it waits, unattended, for the cook.
        public var safeHoldLevel: HeatLevel = .low

        public init() {}
    }

    /// How the burner relay may be switched.
    public struct RelayTiming: Sendable, Equatable {
        /// Time-proportioning window: one on-then-off cycle at most per window, which caps
        /// switching at 12 a minute for a 10 s window and spares the relay and the gas valve.
        public var windowSeconds: Double = 10
        /// Shortest burn: a gas valve and igniter need a moment to light reliably.
        public var minOnSeconds: Double = 2
        /// Shortest pause before relighting.
        public var minOffSeconds: Double = 1

        public init() {}
    }

    /// Which controller runs and how it is tuned.
    public struct ControlSettings: Sendable, Equatable {
        /// The control loop's period: one sensor read and one relay decision each.
        public var periodSeconds: Double = 0.25
        public var controller: ControllerKind = .standard
        /// A stage counts as "at temperature" within this many degrees of its target.
        public var bandC: Double = 3
        /// The thermocouple's first-order lag as mounted on the wok (measured, or a guess).
        public var sensorLagSeconds: Double = 1.5
        /// The pure delay between the wok and the reading (conversion, filtering).
        public var sensorDeadTimeSeconds: Double = 0.3
        /// Time from the relay closing to a lit flame (the igniter's delay), which the default
        /// controller's model of the wok allows for.
        public var burnerIgnitionDelaySeconds: Double = 0.4
        /// On/off baseline: the half-width of its hysteresis band.
        public var hysteresisC: Double = 2
        /// Plain PID baseline gains (duty per °C, per °C·s, per °C/s).
        public var pidKp: Double = 0.1
        public var pidKi: Double = 0.003
        public var pidKd: Double = 0.5

        public init() {}
    }

    /// Bounds of the safety monitor.
    public struct SafetySettings: Sendable, Equatable {
        /// Sensor bus errors may persist this long before a fault latches. The burner is already
        /// off from the first failed read: the bound only decides when to give up on the cook.
        public var busErrorBoundSeconds: Double = 1.0
        /// A raw reading repeated this long means the converter has stopped. With reading noise of
        /// σ and the MCP9600's step of q = 0.0625 °C, two readings agree with probability about
        /// q / (σ·√(4π)): 0.07 at σ = 0.25 °C, 0.35 at an unusually quiet 0.05 °C. 5 s is 20 readings
        /// at 0.25 s, so a live sensor repeats that long with odds below 1e-9 even when that quiet.
        public var frozenReadingSeconds: Double = 5
        /// How long a converter that says whether each reading is a new conversion (the MCP9600's
        /// "T_H updated" flag) may go without one; nil: the least the converter allows (see
        /// `Station.noConversionBoundSeconds`), 0.91 s at 16 bits and a 0.25 s period.
        public var noConversionSeconds: Double? = nil
        /// The fastest a reading may honestly move. A wok heats at 1 to 6 °C/s at full power and a
        /// cold load pulls it down at a few °C/s; noise adds under 2 °C a reading. 40 °C/s (10 °C a
        /// 0.25 s tick) leaves a wide margin and still catches spikes and a shorted MCP9600 probe.
        public var maxRateCPerSecond: Double = 40
        /// The burner's full-power heating rate of the empty wok, °C/s: what the heat-arrival
        /// check expects a lit flame to add to the steel's rate. Measure it as the slope of a cold
        /// wok's first rise at full power; 2.2 is a 1.6 kg carbon-steel wok on a 5 kW burner that
        /// delivers a third of its gas power.
        public var burnerRateCPerSecond: Double = 2.2
        /// How far the true rate may be from that figure, as a share of it: the check credits a
        /// lit flame with the rate less this share, and a flame going off with it plus this share,
        /// so an inexact figure makes the check slower, never wrong. 0.4 covers a guess from the
        /// burner's rating and a wok's mass; a measured figure can use 0.2.
        public var burnerRateTolerance: Double = 0.2
        /// A settled rise this large with the burner off is heating while off (welded relay): the
        /// noise of the lowest against the latest reading spans about 1.5 °C, a healthy wok never
        /// rose more than 1.1 °C in simulation, and a welded burner adds 3 °C in 3 to 10 s.
        public var heatingWhileOffRiseC: Double = 3
        /// How long a `confirm` stage may sit at the safe hold after its maximum before the burner
        /// goes off: long enough to fetch someone from the next room, short enough that a
        /// forgotten wok does not simmer for an hour.
        public var unattendedHoldSeconds: Double = 300
        /// How far past its recipe's longest plan a cook may run (holds included) before the
        /// burner goes off: a person holding a stage is fine for a while, not indefinitely.
        public var cookOverrunMarginSeconds: Double = 900
        /// The longest gap between two control ticks. The relay keeps its last command through a
        /// gap; 1 s (four periods) costs at most a few °C at full power, and a healthy loop on a
        /// Raspberry Pi is late by milliseconds, not seconds.
        public var maxTickGapSeconds: Double = 1.0

        public init() {}
    }
}

/// The control algorithms a station can run.
public enum ControllerKind: String, Sendable, CaseIterable {
    /// Full power, then a predicted handover to holding, with lag compensation and load recovery.
    case standard = "default"
    /// Baseline: on below the band, off above it.
    case onoff
    /// Baseline: a textbook PID on the measured temperature, no feedforward or prediction.
    case pidPlain = "pid-plain"
}
