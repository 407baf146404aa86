import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The daemon's benchmark. By default: resident memory, CPU use and the control loop's punctuality
/// while `wokd --simulate` cooks the default recipe at real-time speed, with the other core kept busy.
/// With `--hostile` (or `--scenario NAME`): the same daemon facing hostile clients and a stalling
/// disk, one scenario at a time (docs/daemon.md). Run from the repository root:
/// `swift build -c release --static-swift-stdlib && .build/release/wokd-bench [options]`.

let scenarioNames = HostileScenario.allCases.map(\.rawValue).joined(separator: "|")
let usage = """
    Usage: wokd-bench [--seconds N] [--speed X] [--idle-core]
           wokd-bench --hostile [--scenario \(scenarioNames)]... [--load-seconds N] [--probe-every S]
                      [--stall-every S] [--max-daemon-mb N] [--idle-core]
    Run from the repository root, after `swift build -c release --static-swift-stdlib`.
    """

func fail(_ message: String) -> Never {
    print("wokd-bench: \(message)")
    exit(1)
}

// A closed socket must be an error to handle, not a signal that ends the bench.
signal(SIGPIPE, SIG_IGN)

let arguments: Arguments
do {
    arguments = try Arguments(
        Array(CommandLine.arguments.dropFirst()),
        valued: ["seconds", "speed", "scenario", "load-seconds", "probe-every", "stall-every", "max-daemon-mb", "load", "socket", "load-for"],
        flags: ["idle-core", "hostile", "help"])
} catch {
    fail("\(error.message)\n\(usage)")
}
if arguments.has("help") {
    print(usage)
    exit(0)
}

/// A number option within bounds, or the default.
func number(_ arguments: Arguments, _ name: String, default value: Double, _ range: ClosedRange<Double>) -> Double {
    guard let text = arguments.value(name) else { return value }
    guard let number = Double(text), range.contains(number) else {
        fail("--\(name) must be a number from \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound))")
    }
    return number
}

// The hostile load's own process, started by the bench itself (not for people).
if let name = arguments.value("load") {
    guard let scenario = HostileScenario(rawValue: name), let socketPath = arguments.value("socket") else { fail("--load NAME --socket PATH") }
    exit(runHostileLoad(scenario, socketPath: socketPath, seconds: number(arguments, "load-for", default: 25, 1...3600)))
}

if arguments.has("hostile") || !arguments.all("scenario").isEmpty {
    var settings = HostileSettings()
    if !arguments.all("scenario").isEmpty {
        settings.scenarios = arguments.all("scenario").map { name in
            guard let scenario = HostileScenario(rawValue: name) else { fail("unknown scenario \"\(name)\"; one of \(scenarioNames)") }
            return scenario
        }
    }
    settings.loadSeconds = number(arguments, "load-seconds", default: settings.loadSeconds, 5...600)
    settings.probeEverySeconds = number(arguments, "probe-every", default: settings.probeEverySeconds, 1...60)
    settings.stallEverySeconds = number(arguments, "stall-every", default: settings.stallEverySeconds, 1...600)
    settings.maxDaemonMegabytes = number(arguments, "max-daemon-mb", default: settings.maxDaemonMegabytes, 64...16384)
    settings.busyOtherCore = !arguments.has("idle-core")
    exit(runHostileBench(settings))
}

let seconds = number(arguments, "seconds", default: 60, 5...3600)
let speed = number(arguments, "speed", default: 1, 1...1000)
exit(runQuietBench(seconds: seconds, speed: speed, busyOtherCore: !arguments.has("idle-core")))
