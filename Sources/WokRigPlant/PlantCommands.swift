// The two commands' options, checked and turned into settings before anything touches a device.
public import WokHardware

/// Every option either command accepts.
public let plantOptionNames: Set<String> = [
    "line", "bus", "address", "model", "plant", "active-low", "step-seconds", "max-seconds", "control-dir", "seed",
    "flame-pull",
    "level", "wait-level", "wait-seconds", "kill", "touch", "write", "value", "timeout", "hold",
]

/// What `wok-rig-plant run` was asked for.
public struct RunCommand: Sendable, Equatable {
    /// The part the stub plays.
    public var model: MCP9600Model
    /// The stub's bus device.
    public var bus: String
    /// The stub's 7-bit address.
    public var address: UInt8
    /// A plant file (JSON, as `Simulator/Plants`), or nil for the built-in default plant.
    public var plantPath: String?
    /// The relay module closes on a low line.
    public var activeLow: Bool
    /// The noise generator's seed.
    public var seed: UInt64
    /// The loop's pace, bound and flag directory.
    public var loop: PlantLoopSettings

    /// Reads and checks the options of `run`.
    public init(_ options: Options) throws(RigError) {
        let modelName = options.text("model") ?? "mcp9600"
        switch modelName {
        case "mcp9600": model = .mcp9600
        case "mcp9601": model = .mcp9601
        default: throw RigError("--model must be mcp9600 or mcp9601, not \"\(modelName)\"")
        }
        bus = options.text("bus") ?? "/dev/i2c-0"
        address = try Self.address(options.text("address") ?? "0x67")
        plantPath = options.text("plant")
        activeLow = try options.level("active-low") == 1
        seed = UInt64(try options.number("seed", in: 0...1e9, default: 1))
        loop = PlantLoopSettings(
            linePath: try options.required("line"),
            stepSeconds: try options.number("step-seconds", in: 0.01...1, default: 0.05),
            maxSeconds: try options.number("max-seconds", in: 1...7200, default: 1800),
            controlDirectory: options.text("control-dir") ?? "/run/rig", flamePullPath: options.text("flame-pull"))
    }

    /// A 7-bit address in hex, with or without "0x", outside the reserved ranges (0x03...0x77).
    static func address(_ text: String) throws(RigError) -> UInt8 {
        let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard let address = UInt8(digits, radix: 16), (0x03...0x77).contains(address) else {
            throw RigError("--address must be a 7-bit hex address such as 0x67, not \"\(text)\"")
        }
        return address
    }
}

/// Reads and checks the options of `time-to-level`.
public func timeToLevelRequest(_ options: Options) throws(RigError) -> LevelTimingRequest {
    var killPID: Int32?
    if let text = options.text("kill") {
        // pid 1 is the VM's init (the scenarios themselves); 0 and negatives would signal groups.
        guard let pid = Int32(text), pid > 1 else { throw RigError("--kill needs a process id, not \"\(text)\"") }
        killPID = pid
    }
    if options.text("write") != nil, options.text("value") == nil {
        throw RigError("--write needs --value")
    }
    guard let target = try options.level("level") else { throw RigError("--level is required") }
    return LevelTimingRequest(
        linePath: try options.required("line"), waitForLevel: try options.level("wait-level"),
        waitSeconds: try options.number("wait-seconds", in: 0...600, default: 60),
        actions: LevelTimingActions(
            killPID: killPID, touchPath: options.text("touch"), writePath: options.text("write"),
            writeValue: options.text("value")),
        level: target,
        timeoutSeconds: try options.number("timeout", in: 0.01...600, default: 5),
        holdSeconds: try options.number("hold", in: 0...60, default: 0))
}

/// The plant's first line: what it plays, and which libgpiod the programs in this build use.
///
/// The plant links the same GPIO shim as wokd and wokctl, so the library it reports having
/// loaded is the one they load in the same VM.
public func plantReadyLine(model: MCP9600Model, address: UInt8, bus: String, plantName: String) -> String {
    "PLANT ready: \(model) at 0x\(String(address, radix: 16)) on \(bus), plant \"\(plantName)\", "
        + "libgpiod \(GPIOChip.libraryVersion) api=\(GPIOChip.apiVersion)"
}

extension PlantSummary {
    /// The plant's last line, for run.sh's log.
    public func line(failedWrites: Int, lastErrno: Int32) -> String {
        let hottest = maxWokC.isFinite ? String(Int(maxWokC.rounded())) : "none"
        return "PLANT summary seconds=\(Int(seconds)) steps=\(steps) lateSteps=\(lateSteps) "
            + "relaySwitches=\(relaySwitches) unreadableLine=\(unreadableLine) "
            + "maxWokC=\(hottest) failedWrites=\(failedWrites) lastErrno=\(lastErrno) "
            + "flameChanges=\(flameChanges) failedFlameWrites=\(failedFlameWrites) foodAdded=\(foodAdded)"
    }
}
