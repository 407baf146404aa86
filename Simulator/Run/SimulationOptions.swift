import WokCore

/// How fast a simulated station runs against real time.
public enum SimulationSpeed: Sendable, Equatable {
    /// As fast as the machine steps it (`wokctl simulate --speed max`; offline only).
    case asFastAsPossible
    /// This many simulated seconds per real second.
    case timesRealTime(Double)

    /// The pace, or nil for as fast as possible.
    public var timesRealTime: Double? {
        if case .timesRealTime(let factor) = self { factor } else { nil }
    }
}

/// The options every runner of the simulated station takes, parsed in one place with one set of
/// limits: `--seed`, `--speed`, `--fault` (repeatable) and `--plant`. `wokctl simulate` parses them
/// as `.offline`, `wokd --simulate` as `.daemon`.
public struct SimulationOptions: Sendable, Equatable {
    /// Who runs the simulation; only the speed's default and `max` depend on it.
    public enum Runner: Sendable, Equatable {
        /// One cook, then exit (`wokctl simulate`): as fast as possible unless paced.
        case offline
        /// A daemon serving cooks (`wokd --simulate`): always paced against its clock, 1x unless told.
        case daemon
    }

    /// Paced speeds, in simulated seconds per real second. Below 0.1 a 15-minute cook takes over
    /// two hours, which nobody watches; above 1000 the 0.25 s control period is under 0.25 ms of
    /// real time, below what a daemon's tick and its clients can be trusted to keep up with. A
    /// faster offline cook is `max`.
    public static let speedRange = 0.1...1000.0
    /// Most `--fault` options one run takes: enough for any campaign-like run, and a bound.
    public static let maxFaults = 64
    /// Where a plant given by name is looked for, from the repository's root.
    public static let plantDirectory = "Simulator/Plants"

    /// Seed of the noise, the fault magnitudes and the virtual cook (default 1).
    public var seed: UInt64
    public var speed: SimulationSpeed
    /// Faults to inject, timed from the (first) cook's start, in the order given.
    public var faults: [FaultInjection]
    /// The plant file to load; nil for the built-in default plant.
    public var plantPath: String?

    public init(seed: UInt64 = 1, speed: SimulationSpeed, faults: [FaultInjection] = [], plantPath: String? = nil) {
        self.seed = seed
        self.speed = speed
        self.faults = faults
        self.plantPath = plantPath
    }

    /// Parses the options' values as given on a command line (nil or empty when absent).
    public static func parse(
        seed seedText: String?, speed speedText: String?, faults faultTexts: [String], plant plantText: String?,
        for runner: Runner
    ) throws(SimulationOptionError) -> SimulationOptions {
        var options = SimulationOptions(speed: runner == .offline ? .asFastAsPossible : .timesRealTime(1))
        if let seedText {
            // Digits only: UInt64() would also take a sign.
            guard !seedText.isEmpty, seedText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(seedText) else {
                throw .badSeed(seedText)
            }
            options.seed = value
        }
        if let speedText {
            if speedText == "max" {
                guard runner == .offline else { throw .maxSpeedInDaemon }
                options.speed = .asFastAsPossible
            } else {
                guard let value = plainDecimal(speedText), speedRange.contains(value) else {
                    throw .badSpeed(speedText, runner)
                }
                options.speed = .timesRealTime(value)
            }
        }
        guard faultTexts.count <= maxFaults else { throw .tooManyFaults(faultTexts.count) }
        for text in faultTexts {
            switch FaultInjection.parse(text) {
            case .success(let fault): options.faults.append(fault)
            case .failure(let error): throw .badFault(error)
            }
        }
        if let plantText {
            guard !plantText.isEmpty else { throw .badPlant(plantText) }
            options.plantPath = plantPath(plantText)
        }
        return options
    }

    /// A plant's file: `nameOrPath` itself when it is a path (has a `/` or ends in `.json`), else
    /// the shipped plant of that name in `plantDirectory`.
    public static func plantPath(_ nameOrPath: String) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return nameOrPath }
        return "\(plantDirectory)/\(nameOrPath).json"
    }

    /// A plain decimal number ("20", "0.5"): `Double()` would also take "inf", "nan", exponents
    /// and hexadecimal.
    private static func plainDecimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}

/// A simulation option that cannot be used; the description names the option and the value.
public enum SimulationOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSeed(String)
    case badSpeed(String, SimulationOptions.Runner)
    /// `--speed max` given to a daemon.
    case maxSpeedInDaemon
    case tooManyFaults(Int)
    case badFault(FaultSpecError)
    case badPlant(String)

    public var description: String {
        let range = "from \(formatNumber(SimulationOptions.speedRange.lowerBound)) to \(formatNumber(SimulationOptions.speedRange.upperBound))"
        switch self {
        case .badSeed(let text):
            return "--seed must be a whole number from 0 to \(UInt64.max) (got --seed \(text))"
        case .badSpeed(let text, .offline):
            return "--speed must be a number \(range) (times real time), or max for as fast as possible (got --speed \(text))"
        case .badSpeed(let text, .daemon):
            return "--speed must be a number \(range) (times real time) (got --speed \(text))"
        case .maxSpeedInDaemon:
            return "--speed max: a daemon runs its station at a steady pace, never as fast as possible; give a number \(range) (times real time)"
        case .tooManyFaults(let count):
            return "--fault given \(count) times; at most \(SimulationOptions.maxFaults)"
        case .badFault(let error):
            return error.description
        case .badPlant(let text):
            return "--plant must be a plant file or the name of one in \(SimulationOptions.plantDirectory) (got --plant \"\(text)\")"
        }
    }
}
