// The plant's command line: parsing, bounds, and the settings each command makes of it.
import Testing
import WokHardware
import WokRigPlant

@Suite struct OptionsTests {
    static func options(_ line: String) throws(RigError) -> Options {
        try Options(line.split(separator: " ").map(String.init), known: plantOptionNames)
    }

    @Test func nameValuePairsFollowTheCommand() throws {
        let options = try Self.options("run --line /sys/v --seed 9")
        #expect(options.command == "run")
        #expect(options.text("line") == "/sys/v")
        #expect(options.text("bus") == nil)
        #expect(try options.required("seed") == "9")
        #expect(try options.number("seed", in: 0...10, default: 1) == 9)
        #expect(try options.number("hold", in: 0...10, default: 1.5) == 1.5)
    }

    @Test(arguments: [
        ("", "no command given"),
        ("run --colour red", "unknown option \"--colour\""),
        ("run line /x", "unknown option \"line\""),
        ("run --line", "option --line needs a value"),
        ("run --line /a --line /b", "option --line given twice"),
    ])
    func badCommandLinesSayWhatIsWrong(line: String, message: String) {
        #expect(throws: RigError(message)) { _ = try Self.options(line) }
    }

    @Test func aCommandLineHasABoundedLength() {
        let words = ["run"] + Array(repeating: "x", count: Options.maxWords)
        #expect(throws: RigError("too many words (65, at most 64)")) { _ = try Options(words, known: []) }
    }

    @Test(arguments: ["11", "-1", "ten", "nan"])
    func numbersOutsideTheirRangeAreRefused(text: String) throws {
        let options = try Self.options("run --seed \(text)")
        #expect(throws: RigError("--seed must be a number from 0.0 to 10.0, not \"\(text)\"")) {
            _ = try options.number("seed", in: 0...10, default: 1)
        }
    }

    @Test func levelsAreZeroOrOne() throws {
        #expect(try Self.options("t --level 0").level("level") == 0)
        #expect(try Self.options("t --level 1").level("level") == 1)
        #expect(try Self.options("t").level("level") == nil)
        #expect(throws: RigError("--level must be 0 or 1, not \"2\"")) { _ = try Self.options("t --level 2").level("level") }
    }

    @Test func runHasTheRigsDefaults() throws {
        let run = try RunCommand(Self.options("run --line /sys/v"))
        #expect(run.model == .mcp9600)
        #expect(run.bus == "/dev/i2c-0")
        #expect(run.address == 0x67)
        #expect(run.plantPath == nil)
        #expect(!run.activeLow)
        #expect(run.seed == 1)
        #expect(run.loop == PlantLoopSettings(linePath: "/sys/v", stepSeconds: 0.05, maxSeconds: 1800, controlDirectory: "/run/rig"))
    }

    @Test func runTakesEveryOption() throws {
        let run = try RunCommand(
            Self.options(
                "run --line /l --bus /dev/i2c-3 --address 60 --model mcp9601 --plant /p.json --active-low 1 "
                    + "--step-seconds 0.1 --max-seconds 60 --control-dir /tmp/c --seed 5 --flame-pull /f/pull"))
        #expect(run.model == .mcp9601)
        #expect(run.bus == "/dev/i2c-3")
        #expect(run.address == 0x60)
        #expect(run.plantPath == "/p.json")
        #expect(run.activeLow)
        #expect(run.seed == 5)
        #expect(
            run.loop
                == PlantLoopSettings(linePath: "/l", stepSeconds: 0.1, maxSeconds: 60, controlDirectory: "/tmp/c", flamePullPath: "/f/pull"))
    }

    @Test(arguments: [
        ("run", "--line is required"),
        ("run --line /l --model mcp9700", "--model must be mcp9600 or mcp9601, not \"mcp9700\""),
        ("run --line /l --address 0x78", "--address must be a 7-bit hex address such as 0x67, not \"0x78\""),
        ("run --line /l --address 0x02", "--address must be a 7-bit hex address such as 0x67, not \"0x02\""),
        ("run --line /l --address 0xzz", "--address must be a 7-bit hex address such as 0x67, not \"0xzz\""),
        ("run --line /l --step-seconds 0", "--step-seconds must be a number from 0.01 to 1.0, not \"0\""),
        ("run --line /l --active-low yes", "--active-low must be 0 or 1, not \"yes\""),
    ])
    func runRefusesBadOptions(line: String, message: String) {
        #expect(throws: RigError(message)) { _ = try RunCommand(Self.options(line)) }
    }

    @Test func timeToLevelReadsItsRequest() throws {
        let request = try timeToLevelRequest(
            Self.options(
                "time-to-level --line /l --wait-level 1 --wait-seconds 30 --level 0 --timeout 3 --hold 1 --kill 321 "
                    + "--touch /run/rig/open-circuit --write /sys/knob --value 6"))
        #expect(
            request
                == LevelTimingRequest(
                    linePath: "/l", waitForLevel: 1, waitSeconds: 30,
                    actions: LevelTimingActions(
                        killPID: 321, touchPath: "/run/rig/open-circuit", writePath: "/sys/knob", writeValue: "6"),
                    level: 0, timeoutSeconds: 3, holdSeconds: 1))
        let plain = try timeToLevelRequest(Self.options("time-to-level --line /l --level 1"))
        #expect(plain.waitForLevel == nil)
        #expect(plain.actions == LevelTimingActions())
        #expect(plain.timeoutSeconds == 5)
        #expect(plain.holdSeconds == 0)
    }

    @Test(arguments: [
        ("time-to-level --line /l", "--level is required"),
        ("time-to-level --level 0", "--line is required"),
        ("time-to-level --line /l --level 0 --kill 1", "--kill needs a process id, not \"1\""),
        ("time-to-level --line /l --level 0 --kill -5", "--kill needs a process id, not \"-5\""),
        ("time-to-level --line /l --level 0 --write /sys/knob", "--write needs --value"),
        ("time-to-level --line /l --level 0 --timeout 0", "--timeout must be a number from 0.01 to 600.0, not \"0\""),
    ])
    func timeToLevelRefusesBadOptions(line: String, message: String) {
        #expect(throws: RigError(message)) { _ = try timeToLevelRequest(Self.options(line)) }
    }

    @Test func theReadyLineNamesThePartAndTheLibgpiodInUse() {
        let line = plantReadyLine(model: .mcp9601, address: 0x67, bus: "/dev/i2c-0", plantName: "default")
        #expect(
            line == "PLANT ready: MCP9601 at 0x67 on /dev/i2c-0, plant \"default\", libgpiod \(GPIOChip.libraryVersion) api=\(GPIOChip.apiVersion)")
        // The library loaded at run time is of the API the shim was compiled for.
        #expect(GPIOChip.libraryVersion.hasPrefix("\(GPIOChip.apiVersion)."))
    }

    @Test func theSummaryLineCarriesEveryCount() {
        var summary = PlantSummary()
        #expect(summary.line(failedWrites: 0, lastErrno: 0).contains("maxWokC=none"))
        summary.steps = 3
        summary.lateSteps = 1
        summary.relaySwitches = 2
        summary.unreadableLine = 1
        summary.maxWokC = 212.6
        summary.seconds = 9.7
        summary.flameChanges = 6
        summary.failedFlameWrites = 1
        summary.foodAdded = 2
        #expect(
            summary.line(failedWrites: 4, lastErrno: 121)
                == "PLANT summary seconds=9 steps=3 lateSteps=1 relaySwitches=2 unreadableLine=1 maxWokC=213 failedWrites=4 lastErrno=121 "
                + "flameChanges=6 failedFlameWrites=1 foodAdded=2")
    }
}
