import Glibc
import WokCore
import WokDaemon
import WokHistory
import WokSimulator
import WokSystem

/// `wokd`: the wok station daemon. Wiring only: options, files, devices, then the runner.
let usage = """
    Usage: wokd [--config FILE] [--socket PATH] [--state-dir DIR] [--recipes DIR] [--history-max-mb N]
                [--history-max-days N] [--no-history] [--verbose]
           wokd --check-config [--config FILE]
           wokd --simulate [--plant FILE|NAME] [--speed X] [--seed N] [--fault KIND@SECONDS]...
                           [--press BUTTON@SECONDS]... [options above]

    Runs the station: reads the thermocouple, drives the burner relay, cooks what `wokctl start` asks,
    and serves the control socket (newline-delimited JSON, see docs/protocol.md).

      --config FILE      station file (default \(DefaultPaths.stationFile); --simulate falls back to the built-in station)
      --socket PATH      control socket (default \(DefaultPaths.controlSocket))
      --state-dir DIR    the interrupted-cook record and the history (default \(DefaultPaths.stateDirectory))
      --history-max-mb N    keep the cook history under N megabytes, oldest cooks go first (default 256)
      --history-max-days N  delete cooks older than N days (default 730; 0 keeps them by size alone)
      --no-history       keep no cook history
      --recipes DIR      recipe directory for `start NAME` (default: $WOK_RECIPE_DIR, else the first of
                         \(DefaultPaths.recipeSearchOrder.joined(separator: ", ")) that has it)
      --check-config     check that the station file loads and names real devices, then exit: 0 ready,
                         1 no "devices" section yet (the unit's ExecCondition skips the start), 3 invalid
      --simulate         drive the simulated station instead of real devices; a helper adds each stage's
                         food and plates it when the cook ends, so every cook starts with an empty wok
      --plant FILE|NAME  simulated plant (a file, or a name from Simulator/Plants)
      --speed X          simulated seconds per real second, 0.1 to 1000 (default 1; no "max": a daemon keeps pace)
      --seed N           seed of the simulation's noise and kitchen helper (default 1)
      --fault KIND@SECONDS[+SECONDS]  inject a fault into the simulation (up to 64), timed from the
                         first cook's start; each strikes once, however many cooks follow
      --press BUTTON@SECONDS  press the simulated station's button next, hold or stop (up to 64),
                         timed from the first cook's start as --fault is; the buzzer's patterns are logged
      --verbose          log debug lines too

    Exit status: 0 stopped cleanly with the burner off; 1 failed (a device, the socket, the burner);
    2 bad usage; 3 invalid station, plant or recipe file.
    """

func fail(_ message: String, _ status: Int32) -> Never {
    StandardErrorLog().write(.error, message)
    exit(status)
}

// Before anything else, and before any thread starts (threads inherit the mask): every signal
// that would end the process is blocked, to be read by the loop, which turns the burner off first.
do { try SignalReceiver.blockForAllThreads() } catch { fail("signal handling: \(error)", 1) }

let raw = Array(CommandLine.arguments.dropFirst())
if raw.contains("--help") || raw.contains("-h") {
    print(usage)
    exit(0)
}
let args: Arguments
do {
    args = try Arguments(
        raw,
        valued: [
            "config", "socket", "state-dir", "recipes", "plant", "speed", "seed", "fault", "press", "history-max-mb",
            "history-max-days",
        ],
        flags: ["simulate", "verbose", "help", "no-history", "check-config"])
} catch {
    fail("\(error.message); see wokd --help", 2)
}
if let extra = args.positional.first { fail("unexpected argument \"\(extra)\"; see wokd --help", 2) }
let simulate = args.has("simulate")
for option in ["plant", "speed", "seed", "fault", "press"] where !simulate && (args.value(option) != nil) {
    fail("--\(option) only applies with --simulate", 2)
}

let log = StandardErrorLog(threshold: args.has("verbose") ? .debug : .info)

// The station file.
var station = Station.standard
var stationSource = "built-in default"
let configPath = args.value("config") ?? (fileExists(DefaultPaths.stationFile) ? DefaultPaths.stationFile : nil)
if let configPath {
    do {
        let text = try readSmallFile(configPath, maxBytes: 1 << 20)
        switch StationLoader.parse(text, source: configPath) {
        case .success(let loaded): station = loaded
        case .failure(let error): fail(error.description, 3)
        }
        stationSource = configPath
    } catch {
        fail("station file: \(error)", 3)
    }
} else if !simulate {
    fail("no station file at \(DefaultPaths.stationFile); real devices need one (or run with --simulate)", 3)
}

// `--check-config`: the unit's ExecCondition. A station file without devices is a fresh install
// not yet edited, so the start is skipped (1) rather than failed and restarted (docs/packaging.md).
if args.has("check-config") {
    if simulate { fail("--check-config checks the real station; it takes no --simulate", 2) }
    if let name = station.daemon.group, groupID(named: name) == nil {
        fail("\(stationSource): daemon.group \"\(name)\" is not a group on this system", 3)
    }
    guard let devices = station.devices else {
        log.write(
            .notice,
            "\(stationSource) names no devices yet: add its \"devices\" section (docs/configuration.md), then `systemctl start wokd`")
        exit(1)
    }
    print(
        "\(stationSource): thermocouple at \(devices.thermocouple.bus) address 0x\(String(devices.thermocouple.address, radix: 16)), relay \(devices.relay.chip) line \(devices.relay.line); ready to start"
    )
    exit(0)
}

var speed = 1.0  // real devices run in real time

// Where things live. The state directory is locked before anything in it is read or written,
// and before the devices are touched: one daemon per station.
let socketPath = args.value("socket") ?? DefaultPaths.controlSocket
let stateDirectory = args.value("state-dir") ?? DefaultPaths.stateDirectory
do {
    let socketDirectory = parentDirectory(socketPath)
    // The fallback folder in the shared /tmp must be ours alone: another user could have made it.
    if socketDirectory == DefaultPaths.temporaryFolder { try ensurePrivateDirectory(socketDirectory) } else { try makeDirectories(socketDirectory) }
    if stateDirectory == DefaultPaths.temporaryFolder + "/state" { try ensurePrivateDirectory(DefaultPaths.temporaryFolder) }
    try makeDirectories(stateDirectory)
} catch {
    fail("\(error)", 1)
}
let stateLock: DirectoryLock
do {
    stateLock = try DirectoryLock(directory: stateDirectory)
} catch {
    fail("\(error); not starting (nothing was touched)", 1)
}

let devices: any DaemonDevices
if simulate {
    // --seed, --speed, --fault and --plant as wokctl simulate takes them, but always paced.
    let options: SimulationOptions
    do {
        options = try SimulationOptions.parse(
            seed: args.value("seed"), speed: args.value("speed"), faults: args.all("fault"), plant: args.value("plant"),
            for: .daemon)
    } catch {
        fail(error.description, 2)
    }
    switch options.speed {
    case .timesRealTime(let factor): speed = factor
    case .asFastAsPossible: fail(SimulationOptionError.maxSpeedInDaemon.description, 2)  // parse refuses it already
    }
    var plant = PlantParameters()
    if let path = options.plantPath {
        do {
            switch PlantLoader.parse(try readSmallFile(path, maxBytes: 1 << 20), source: path) {
            case .success(let loaded):
                plant = loaded
                // A named plant comes with its own measured figures: the station as commissioned for it.
                station = loaded.commissioned(station)
            case .failure(let error): fail(error.description, 3)
            }
        } catch {
            fail("plant file: \(error)", 3)
        }
    }
    let pressTexts = args.all("press")
    if pressTexts.count > 64 { fail("--press may be given at most 64 times", 2) }
    var presses: [PlannedPress] = []
    for text in pressTexts {
        switch PlannedPress.parse(text) {
        case .success(let press): presses.append(press)
        case .failure(let error): fail(error.description, 2)
        }
    }
    do {
        devices = try SimulatedDaemonDevices(plant: plant, seed: options.seed, faults: options.faults, presses: presses)
    } catch {
        fail("\(error)", 1)
    }
} else {
    do {
        devices = try HardwareDaemonDevices.open(station: station, source: stationSource)
    } catch {
        fail("cannot open the station's devices: \(error); the burner stays off", 1)
    }
}

var socketGroup: UInt32?
if let name = station.daemon.group {
    guard let gid = groupID(named: name) else { fail("\(stationSource): daemon.group \"\(name)\" is not a group on this system", 3) }
    socketGroup = gid
}

// The cook history. A history that cannot be opened costs the history, never the station.
var retention = HistoryRetention.standard
if let text = args.value("history-max-mb") {
    guard let megabytes = Double(text), megabytes >= 1, megabytes <= 1_000_000 else {
        fail("--history-max-mb must be a number from 1 to 1000000, not \"\(text)\"", 2)
    }
    retention.maxBytes = Int(megabytes * 1_048_576)
}
if let text = args.value("history-max-days") {
    guard let days = Double(text), days >= 0, days <= 100_000 else {
        fail("--history-max-days must be a number from 0 to 100000, not \"\(text)\"", 2)
    }
    retention.maxAgeDays = days == 0 ? nil : days
}
// The history and the cook record are written by a thread of their own (no disk call on the
// loop's thread); the record is read here, before the loop starts.
var history: HistoryWriter?
var historyProblem: String?
if !args.has("no-history") {
    let historyPath = stateDirectory + "/" + HistoryReader.fileName
    do {
        history = try HistoryWriter(path: historyPath, retention: retention, nowUnixSeconds: wallClockSeconds()) { failure in
            log.write(.error, failure)
        }
    } catch {
        log.write(.error, "the cook history at \(historyPath) cannot be opened: \(error); cooking without one")
        historyProblem = "\(error)"
    }
}
let stateWriter: BackgroundStateWriter
do {
    stateWriter = try BackgroundStateWriter(
        history: history, historyProblem: historyProblem, records: FileCookRecordStore(directory: stateDirectory), log: log)
} catch {
    fail("cannot start the thread that writes the state directory: \(error)", 1)
}

let clock = SystemLoopClock()
// A simulated station's wall clock is the host's, stepped by `--fault clock-jump@...`.
let simulatedWallClock = (devices as? SimulatedDaemonDevices)?.world.wallClock
let core: DaemonCore
do {
    core = try DaemonCore(
        station: station, devices: devices, recipeDirectories: args.value("recipes").map { [$0] } ?? DefaultPaths.recipeDirectories,
        speed: speed, isSimulated: simulate, records: stateWriter, log: log,
        nowSeconds: 0, wallClock: { [simulatedWallClock] in wallClockSeconds() + (simulatedWallClock?.stepSeconds ?? 0) },
        journal: stateWriter)
} catch {
    fail("the burner could not be switched off at start: \(error); not starting", 1)
}
log.write(.info, "station \"\(station.name)\" from \(stationSource); state in \(stateDirectory)")

var runnerOptions = DaemonRunnerOptions(socketGroupID: socketGroup, speed: speed)
runnerOptions.stationTimeFollowsTicks = simulate
let source: PosixEventSource
do {
    source = try PosixEventSource(socketPath: socketPath, groupID: socketGroup, clock: clock)
} catch {
    _ = core.shutdown(reason: "start-up failed")
    fail("\(error)", 1)
}
let status = DaemonRunner(core: core, options: runnerOptions, log: log, source: source).run()
withExtendedLifetime(stateLock) {}
exit(status)
