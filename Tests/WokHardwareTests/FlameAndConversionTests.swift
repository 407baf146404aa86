// The converter's "T_H updated" flag through the real driver against the register-level chip, and
// the flame-proven input over an input line and in the probe.
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct ConversionFlagTests {
    typealias R = MCP9600Registers

    static func opened(_ configuration: MCP9600Configuration = .init()) throws -> MCP9600<SimulatedMCP9600> {
        try MCP9600.open(device: SimulatedMCP9600(), configuration: configuration)
    }

    static func fresh(_ result: Result<ThermocoupleSample, SensorFault>) -> Bool? {
        guard case .success(let sample) = result else { return nil }
        return sample.freshConversion
    }

    @Test func eachReadSaysWhetherItIsANewConversionAndClearsTheFlag() throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.present(hotC: 150, coldC: 25, atSeconds: 0)
        #expect(Self.fresh(driver.read()) == true)
        #expect(try chip.readByte(register: R.status) & R.Status.temperatureUpdatedMask == 0, "the driver cleared it")
        // No conversion since: the same registers, and the driver says so.
        #expect(Self.fresh(driver.read()) == false)
        // 0.25 s later at 16 bits, three conversions have completed.
        chip.present(hotC: 151, coldC: 25, atSeconds: 0.25)
        guard case .success(let sample) = driver.read() else {
            Issue.record("no reading")
            return
        }
        #expect(sample.freshConversion == true)
        #expect(sample.hotC == 151)
    }

    @Test func theFlagIsClearedByWritingZeroAsTheDataSheetSays() throws {
        var driver = try Self.opened()
        let chip = driver.device
        let before = chip.transfers
        _ = driver.read()
        // STATUS read, STATUS cleared, T_H, T_C: four transfers when the flag was set.
        #expect(chip.transfers - before == 4)
        let stale = chip.transfers
        _ = driver.read()
        #expect(chip.transfers - stale == 3, "nothing to clear: no write")
    }

    @Test func aFrozenConverterReadsStaleEveryTime() throws {
        var driver = try Self.opened()
        let chip = driver.device
        chip.present(hotC: 150, coldC: 25, atSeconds: 0)
        _ = driver.read()
        chip.isFrozen = true
        for step in 1...8 {
            chip.present(hotC: 150 + Double(step), coldC: 25, atSeconds: Double(step) * 0.25)
            guard case .success(let sample) = driver.read() else {
                Issue.record("no reading")
                return
            }
            #expect(sample.freshConversion == false)
            #expect(sample.hotC == 150)
        }
        chip.isFrozen = false
        #expect(Self.fresh(driver.read()) == true)
    }

    @Test(arguments: [(MCP9600Registers.ADCResolution.bits18, 0.32), (.bits16, 0.08), (.bits12, 0.005)])
    func theChipConvertsAtItsResolutionsPace(resolution: MCP9600Registers.ADCResolution, cycleSeconds: Double) throws {
        var driver = try Self.opened(MCP9600Configuration(adcResolution: resolution))
        let chip = driver.device
        chip.present(hotC: 100, coldC: 25, atSeconds: 0)
        _ = driver.read()
        let start = chip.conversions
        var freshReads = 0
        // Forty reads a quarter-second apart: 10 s.
        for step in 1...40 {
            chip.present(hotC: 100, coldC: 25, atSeconds: Double(step) * 0.25)
            if Self.fresh(driver.read()) == true { freshReads += 1 }
        }
        // Conversions are counted when a presentation finds one or more complete.
        #expect(chip.conversions - start == (cycleSeconds > 0.25 ? 31 : 40))
        // Slower than the reads at 18 bits: about one read in five finds nothing new.
        #expect(freshReads == (cycleSeconds > 0.25 ? 31 : 40))
    }

    @Test func theLeastBoundCoversTheSlowestHealthyGap() throws {
        // At 18 bits and 0.25 s reads, the longest run without a new conversion, read to read,
        // stays inside the bound the station derives for that resolution.
        var station = Station.standard
        var settings = ThermocoupleSettings()
        settings.adcResolutionBits = 18
        station.devices = StationDevices(thermocouple: settings, relay: OutputLineSettings(line: 4))
        var driver = try Self.opened(MCP9600Configuration(settings: settings))
        let chip = driver.device
        var lastFresh = 0.0
        var longest = 0.0
        for step in 0...400 {
            let now = Double(step) * 0.25
            chip.present(hotC: 100, coldC: 25, atSeconds: now)
            if Self.fresh(driver.read()) == true { lastFresh = now }
            longest = max(longest, now - lastFresh)
        }
        #expect(longest > 0)
        #expect(longest < station.noConversionBoundSeconds)
        #expect(Double(R.ADCResolution.bits18.conversionTimeMilliseconds) / 1000 == settings.hotConversionSeconds)
    }

    @Test func theCoreAndTheDriverAgreeOnConversionTimes() {
        for resolution in R.ADCResolution.allCases {
            var settings = ThermocoupleSettings()
            settings.adcResolutionBits = resolution.bits
            #expect(settings.hotConversionSeconds == Double(resolution.conversionTimeMilliseconds) / 1000)
        }
        #expect(ThermocoupleSettings.coldConversionSeconds == Double(R.ColdJunctionResolution.sixteenthDegree.conversionTimeMilliseconds) / 1000)
    }
}

@Suite struct FlameInputTests {
    @Test func anActiveLineIsAProvenFlameAndAFailedReadIsTyped() {
        let line = SimulatedInputLine(name: "/dev/gpiochip0 line 5")
        var sensor = GPIOFlameSensor(line: line)
        #expect(sensor.read() == .success(.absent))
        line.isActive = true
        #expect(sensor.read() == .success(.proven))
        line.failureErrno = 19
        guard case .failure(let failure) = sensor.read() else {
            Issue.record("a failed read was not a failure")
            return
        }
        #expect(failure.reason.contains("/dev/gpiochip0 line 5"))
        sensor.close()
        #expect(line.isReleased)
    }

    static let devices = StationDevices(
        thermocouple: ThermocoupleSettings(), relay: OutputLineSettings(line: 17),
        flameSense: FlameSenseSettings(line: OutputLineSettings(line: 22, activeLow: true)))

    @Test func theProbeReadsTheInputAndGivesItBack() throws {
        let access = SimulatedHardwareAccess(chip: SimulatedMCP9600(hotC: 24, coldC: 22))
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.isHealthy, "\(report.problems)")
        #expect(report.flameSense?.isActive == false)
        #expect(report.flameSense?.line == "gpiochip0 line 22 (active-low)")
        #expect(report.lines.contains("  state:         no flame (read as an input)"))
        #expect(report.json.serialized().contains(#""flameSense":{"#))
        #expect(access.requestedInputs.count == 1 && access.requestedInputs[0].isReleased)
        #expect(access.requestedLines.allSatisfy { $0.history.allSatisfy { !$0 } }, "no output went on")
    }

    @Test func aFlameWithTheBurnerOffIsAProblem() {
        let access = SimulatedHardwareAccess(chip: SimulatedMCP9600(hotC: 24, coldC: 22))
        access.inputLevels[22] = true
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.problems.contains { $0.hasPrefix("flame sense: reads a flame proven with the burner off") })
    }

    @Test func aHeldInputIsNotRequested() {
        let access = SimulatedHardwareAccess(chip: SimulatedMCP9600(hotC: 24, coldC: 22))
        access.heldLines[22] = "wokd"
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.flameSense?.notes.first?.contains("held by wokd") == true)
        #expect(access.requestedInputs.isEmpty)
    }
}
