import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The hostile benchmark's choices, all printed with the figures.
struct HostileSettings {
    var scenarios: [HostileScenario] = HostileScenario.allCases
    /// How long each hostile load runs.
    var loadSeconds = 25.0
    /// How often the well-behaved client aborts and starts the cook again.
    var probeEverySeconds = 4.0
    /// How often one fsync stalls in the disk-stall scenario.
    var stallEverySeconds = 10.0
    /// The daemon is killed past this resident size, so a flood cannot take the shared machine's memory.
    var maxDaemonMegabytes = 2048.0
    var busyOtherCore = true

    /// Time for the daemon to open its socket.
    static let readySeconds = 10.0
    /// The cook runs this long before the load starts.
    static let warmUpSeconds = 2.0
    /// The first abort comes this long after the load starts (1,000 connections take a moment to open).
    static let firstProbeSeconds = 1.0
}

/// Watches the daemon's memory and life between and during the probe's waits; kills it past the
/// ceiling. `sample()` is cheap to call often: it reads /proc at most every 0.1 s.
final class DaemonWatch {
    let daemon: ChildProcess
    private let ceilingKilobytes: Double
    /// The highest VmHWM read while it ran.
    private(set) var highWaterKilobytes: Double?
    /// Set when the bench killed it for growing past the ceiling: its resident size then.
    private(set) var killedAtKilobytes: Double?
    private var lastSampleSeconds = -Double.infinity

    init(_ daemon: ChildProcess, ceilingMegabytes: Double) {
        self.daemon = daemon
        ceilingKilobytes = ceilingMegabytes * 1024
    }

    func sample() {
        let now = monotonic()
        guard now - lastSampleSeconds >= 0.1, daemon.isRunning else { return }
        lastSampleSeconds = now
        if let highWater = statusKilobytes(daemon.pid, "VmHWM") { highWaterKilobytes = max(highWaterKilobytes ?? 0, highWater) }
        if let resident = statusKilobytes(daemon.pid, "VmRSS"), resident > ceilingKilobytes {
            killedAtKilobytes = resident
            daemon.stop(signal: SIGKILL)
        }
    }
}

/// Runs each chosen scenario against a fresh `wokd --simulate` and prints its figures; a scenario
/// that cannot be set up is reported and the next one runs.
func runHostileBench(_ settings: HostileSettings) -> Int32 {
    let wokd: String
    let me: String
    do {
        wokd = try siblingBinary("wokd")
        guard let path = ownExecutable() else { throw BenchError("cannot find my own path") }
        me = path
    } catch {
        print("wokd-bench: \(error)")
        return 1
    }
    guard fileExists("recipes/\(benchRecipe).json") else {
        print("wokd-bench: recipes/\(benchRecipe).json is missing; run the bench from the repository root")
        return 1
    }
    printHostileHeader(settings)
    var spinner: ChildProcess?
    if settings.busyOtherCore {
        do { spinner = try startSpinner() } catch { print("wokd-bench: \(error); the other core stays idle") }
    }
    defer { spinner?.stop(signal: SIGKILL) }
    var results: [ScenarioResult] = []
    for scenario in settings.scenarios {
        let result = runScenario(scenario, settings, wokd: wokd, me: me)
        printScenario(result, settings)
        results.append(result)
    }
    printSummary(results)
    return 0
}

private func runScenario(_ scenario: HostileScenario, _ settings: HostileSettings, wokd: String, me: String) -> ScenarioResult {
    var result = ScenarioResult(scenario: scenario)
    let directory: String
    do {
        directory = try makeTemporaryDirectory("wokd-bench")
    } catch {
        result.setupProblem = "\(error)"
        return result
    }
    defer { removeTemporaryDirectory(directory) }
    let socketPath = directory + "/control.sock"
    let daemonLog = directory + "/wokd.log"
    let loadLog = directory + "/load.log"

    var shim: SlowFsyncShim?
    var environment: [String] = []
    let daemon: ChildProcess
    do {
        if scenario == .diskStall {
            let built = try SlowFsyncShim.build(into: directory)
            environment = built.environment(everySeconds: settings.stallEverySeconds, stallSeconds: HostileScenario.stallSeconds)
            shim = built
        }
        daemon = try ChildProcess(
            name: "wokd",
            argv: [wokd, "--simulate", "--speed", "1", "--socket", socketPath, "--state-dir", directory + "/state", "--recipes", "recipes"],
            standardError: daemonLog, extraEnvironment: environment)
    } catch {
        result.setupProblem = "\(error)"
        return result
    }
    let watch = DaemonWatch(daemon, ceilingMegabytes: settings.maxDaemonMegabytes)
    var probe = AbortProbe(socketPath: socketPath)
    defer { daemon.stop(signal: SIGKILL, graceSeconds: 0) }

    // Up, cooking, warmed up.
    let readyBy = monotonic() + HostileSettings.readySeconds
    var listening = false
    while !listening, daemon.isRunning, monotonic() < readyBy {
        listening = (try? BenchClient.connect(to: socketPath, deadline: readyBy).get()) != nil
        if !listening { sleep(seconds: 0.05) }
    }
    guard listening, probe.readStatus(whileWaiting: watch.sample) else {
        result.setupProblem = "wokd did not start serving: \(lastLines(of: daemonLog, count: 3).joined(separator: " | "))"
        return result
    }
    result.cookStarted = probe.startCook(whileWaiting: watch.sample)
    let warmUpEnd = monotonic() + HostileSettings.warmUpSeconds
    while monotonic() < warmUpEnd {
        watch.sample()
        sleep(seconds: 0.05)
    }

    // The load, and an abort every few seconds while it lasts.
    var load: ChildProcess?
    if scenario.hasClientLoad {
        do {
            load = try ChildProcess(
                name: "load",
                argv: [me, "--load", scenario.rawValue, "--socket", socketPath, "--load-for", "\(settings.loadSeconds)"],
                standardOutput: loadLog, standardError: loadLog)
        } catch {
            result.setupProblem = "\(error)"
            return result
        }
    }
    defer { load?.stop(signal: SIGKILL, graceSeconds: 0) }
    let loadStart = monotonic()
    result.loadStartedAt = loadStart
    var nextProbe = loadStart + HostileSettings.firstProbeSeconds
    while monotonic() - loadStart < settings.loadSeconds, daemon.isRunning {
        watch.sample()
        if monotonic() >= nextProbe {
            probe.abortAndRestart(whileWaiting: watch.sample)
            // A probe that waited long does not make the next one come at once.
            nextProbe = max(nextProbe + settings.probeEverySeconds, monotonic() + 1)
        } else {
            sleep(seconds: 0.05)
        }
    }
    result.loadSecondsRun = monotonic() - loadStart
    if let load {
        // It stops by itself at the end; a daemon that died early ends it now.
        if !daemon.isRunning || load.wait(seconds: 5) == nil { load.stop(graceSeconds: 2) }
    }
    result.loadReport = lastLines(of: loadLog, count: 10)

    // What the daemon says once the load is gone (its statistics cover the whole run).
    if daemon.isRunning { result.finalStatusRead = probe.readStatus(whileWaiting: watch.sample) }
    watch.sample()
    result.highWaterKilobytes = watch.highWaterKilobytes
    result.killedAtKilobytes = watch.killedAtKilobytes
    result.aliveAtEnd = daemon.isRunning
    result.diedHow = daemon.end
    if result.aliveAtEnd {
        result.stoppedHow = daemon.stop(signal: SIGTERM, graceSeconds: 5)
    } else {
        result.daemonLogTail = lastLines(of: daemonLog, count: 3)
    }
    result.probe = probe
    if let shim {
        let report = shim.report()
        result.shimLoaded = report.loaded
        result.stalls = report.stalls
    }
    return result
}
