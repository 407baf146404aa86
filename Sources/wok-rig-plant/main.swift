// wok-rig-plant: the kernel-level rig's plant and line timer, run inside the rig's VM
// (Tests/rig/run.sh, docs/hardware-rig.md). Never on a station: it writes to an I2C bus.
// The logic lives in WokRigPlant; this file reads the command line and reaches the system.
internal import Glibc
internal import WokRigPlant
internal import WokSimulator

let usage = """
    Usage: wok-rig-plant run --line SYSFS_VALUE [--bus /dev/i2c-0] [--address 0x67] [--model mcp9600|mcp9601]
                             [--plant FILE] [--active-low 0|1] [--step-seconds S] [--max-seconds S]
                             [--control-dir DIR] [--seed N] [--flame-pull SYSFS_PULL]
           wok-rig-plant time-to-level --line SYSFS_VALUE --level 0|1 [--wait-level 0|1] [--wait-seconds S]
                             [--kill PID] [--touch FILE] [--write FILE --value TEXT] [--timeout S] [--hold S]

    run: plays the wok for a real wokd inside the kernel-level rig. It fills i2c-stub's registers as an
    MCP9600 (or MCP9601) and, every step, reads the burner relay's level from gpio-sim's sysfs, advances
    the simulator's thermal model in real time, and writes the thermocouple reading and STATUS. With
    --flame-pull it pulls that gpio-sim line up while a flame burns and down while none does, as an
    ignition controller's flame-proven output. Flag files in the control directory (default /run/rig)
    break it: open-circuit, short-circuit, frozen, flame-out; stop ends it. A file "food" holding
    "GRAMS TEMP_C WATER" tips that food into the wok once.
    Its first line names the libgpiod library the build loaded and the API it was compiled for.
    time-to-level: waits for a starting level, acts (SIGKILL, a flag file, a sysfs write), then prints how
    long the line took to reach the level. Exit 0 when it did, 1 when it did not, 2 on bad usage.
    """

func fail(_ message: String, _ status: Int32) -> Never {
    var line = "wok-rig-plant: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func runCommand(_ command: RunCommand) throws(RigError) {
    var parameters = PlantParameters()
    if let path = command.plantPath {
        guard let text = SystemFiles.read(path, maxBytes: 1 << 20) else { throw RigError("cannot read \(path)") }
        switch PlantLoader.parse(text, source: path) {
        case .success(let loaded): parameters = loaded
        case .failure(let error): throw RigError(error.description)
        }
    }
    var chip = StubChip(writer: try I2CStubBus(bus: command.bus, address: command.address))
    chip.writeIdentity(model: command.model, revision: 0x10)
    var stepper = PlantStepper(plant: WokPlant(parameters: parameters), activeLow: command.activeLow, seed: command.seed)
    // The registers hold a sample before anything reads them.
    stepper.step(atSeconds: 0, lineLevel: 0, flags: PlantFlags(), chip: &chip)
    print(plantReadyLine(model: command.model, address: command.address, bus: command.bus, plantName: parameters.name))
    var clock = MonotonicRigClock()
    let summary = runPlant(
        command.loop, stepper: &stepper, chip: &chip, clock: &clock, readLevel: SystemFiles.lineLevel,
        readFlags: { PlantFlags.read(directory: $0, exists: SystemFiles.exists) },
        takeFood: { SystemFiles.take($0 + "/" + FoodFile.name, maxBytes: 256).flatMap(FoodFile.parse) },
        writePull: { SystemFiles.write($1, to: $0) })
    print(summary.line(failedWrites: chip.failedWrites, lastErrno: chip.lastErrno))
}

func timeLine(_ request: LevelTimingRequest) throws(RigError) -> Bool {
    var clock = MonotonicRigClock()
    let result = try timeLevel(request, clock: &clock, readLevel: SystemFiles.lineLevel, act: performActions)
    print(result.line(holdSeconds: request.holdSeconds))
    return result.passed
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") {
    print(usage)
    exit(arguments.isEmpty ? 2 : 0)
}
do {
    let options = try Options(arguments, known: plantOptionNames)
    switch options.command {
    case "run": try runCommand(RunCommand(options))
    case "time-to-level": exit(try timeLine(timeToLevelRequest(options)) ? 0 : 1)
    default: fail("unknown command \"\(options.command)\"; see --help", 2)
    }
} catch {
    fail(error.description, 2)
}
