// wok-rig-plant: the kernel-level rig's plant and line timer, run inside the rig's VM
// (Tests/rig/run.sh, docs/hardware-rig.md). Never on a station: it writes to an I2C bus.
internal import Glibc
internal import WokCore
internal import WokHardware
internal import WokSimulator

let usage = """
    Usage: wok-rig-plant run --line SYSFS_VALUE [--bus /dev/i2c-0] [--address 0x67] [--model mcp9600|mcp9601]
                             [--plant FILE] [--active-low 0|1] [--step-seconds S] [--max-seconds S]
                             [--control-dir DIR] [--seed N]
           wok-rig-plant time-to-level --line SYSFS_VALUE --level 0|1 [--wait-level 0|1] [--wait-seconds S]
                             [--kill PID] [--touch FILE] [--write FILE --value TEXT] [--timeout S] [--hold S]

    run: plays the wok for a real wokd inside the kernel-level rig. It fills i2c-stub's registers as an
    MCP9600 (or MCP9601) and, every step, reads the burner relay's level from gpio-sim's sysfs, advances
    the simulator's thermal model in real time, and writes the thermocouple reading and STATUS. Flag files
    in the control directory (default /run/rig) break it: open-circuit, short-circuit, frozen; stop ends it.
    time-to-level: waits for a starting level, acts (SIGKILL, a flag file, a sysfs write), then prints how
    long the line took to reach the level. Exit 0 when it did, 1 when it did not, 2 on bad usage.
    """

func fail(_ message: String, _ status: Int32) -> Never {
    var line = "wok-rig-plant: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func formatMilliseconds(_ seconds: Double) -> String {
    let micro = Int((seconds * 1e6).rounded())
    let fraction = String(micro % 1000)
    return "\(micro / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}

func runCommand(_ options: Options) throws(RigError) {
    let modelName = options.text("model") ?? "mcp9600"
    let model: MCP9600Model
    switch modelName {
    case "mcp9600": model = .mcp9600
    case "mcp9601": model = .mcp9601
    default: throw RigError("--model must be mcp9600 or mcp9601, not \"\(modelName)\"")
    }
    var parameters = PlantParameters()
    if let path = options.text("plant") {
        guard let text = SystemFiles.read(path, maxBytes: 1 << 20) else { throw RigError("cannot read \(path)") }
        switch PlantLoader.parse(text, source: path) {
        case .success(let loaded): parameters = loaded
        case .failure(let error): throw RigError(error.description)
        }
    }
    let addressText = options.text("address") ?? "0x67"
    guard let address = UInt8(addressText.hasPrefix("0x") ? String(addressText.dropFirst(2)) : addressText, radix: 16),
        (0x03...0x77).contains(address)
    else { throw RigError("--address must be a 7-bit hex address such as 0x67, not \"\(addressText)\"") }
    let settings = PlantLoopSettings(
        linePath: try options.required("line"),
        activeLow: try options.number("active-low", in: 0...1, default: 0) == 1,
        model: model,
        stepSeconds: try options.number("step-seconds", in: 0.01...1, default: 0.05),
        maxSeconds: try options.number("max-seconds", in: 1...7200, default: 1800),
        controlDirectory: options.text("control-dir") ?? "/run/rig",
        seed: UInt64(try options.number("seed", in: 0...1e9, default: 1)))
    var chip = try StubChip(bus: options.text("bus") ?? "/dev/i2c-0", address: address)
    chip.writeIdentity(model: model, revision: 0x10)
    let plant = WokPlant(parameters: parameters)
    // The registers hold a sample before anything reads them.
    chip.writeConversion(hotC: plant.sensedC, coldC: parameters.ambientC, status: MCP9600Registers.Status.temperatureUpdatedMask)
    print("PLANT ready: \(model) at 0x\(String(address, radix: 16)) on \(chip.bus), plant \"\(parameters.name)\"")
    let summary = runPlant(settings, plant: plant, chip: &chip)
    print(
        "PLANT summary seconds=\(Int(summary.seconds)) steps=\(summary.steps) lateSteps=\(summary.lateSteps) "
            + "relaySwitches=\(summary.relaySwitches) unreadableLine=\(summary.unreadableLine) "
            + "maxWokC=\(Int(summary.maxWokC.rounded())) failedWrites=\(chip.failedWrites) lastErrno=\(chip.lastErrno)")
}

func timeCommand(_ options: Options) throws(RigError) -> Bool {
    func level(_ name: String) throws(RigError) -> Int? {
        guard options.text(name) != nil else { return nil }
        return Int(try options.number(name, in: 0...1, default: 0))
    }
    var killPID: Int32?
    if let text = options.text("kill") {
        guard let pid = Int32(text), pid > 1 else { throw RigError("--kill needs a process id, not \"\(text)\"") }
        killPID = pid
    }
    guard let target = try level("level") else { throw RigError("--level is required") }
    let request = LevelTimingRequest(
        linePath: try options.required("line"), waitForLevel: try level("wait-level"),
        waitSeconds: try options.number("wait-seconds", in: 0...600, default: 60),
        killPID: killPID, touchPath: options.text("touch"), writePath: options.text("write"),
        writeValue: options.text("value"), level: target,
        timeoutSeconds: try options.number("timeout", in: 0.01...600, default: 5),
        holdSeconds: try options.number("hold", in: 0...60, default: 0))
    let result = try timeLevel(request)
    let reached = result.reachedAfterSeconds.map(formatMilliseconds) ?? "never"
    print(
        "TIMING waitedMs=\(formatMilliseconds(result.waitedSeconds)) reachedMs=\(reached) reads=\(result.reads) "
            + "heldForMs=\(result.leftLevelDuringHold ? "no" : formatMilliseconds(request.holdSeconds))")
    return result.reachedAfterSeconds != nil && !result.leftLevelDuringHold
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") {
    print(usage)
    exit(arguments.isEmpty ? 2 : 0)
}
do {
    let options = try Options(
        arguments,
        known: ["line", "bus", "address", "model", "plant", "active-low", "step-seconds", "max-seconds", "control-dir",
            "seed", "level", "wait-level", "wait-seconds", "kill", "touch", "write", "value", "timeout", "hold"])
    switch options.command {
    case "run": try runCommand(options)
    case "time-to-level": exit(try timeCommand(options) ? 0 : 1)
    default: fail("unknown command \"\(options.command)\"; see --help", 2)
    }
} catch {
    fail(error.description, 2)
}
