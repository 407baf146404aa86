// The probe and the relay test against the simulated chip and lines.
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct HardwareProbeTests {
    static let devices = StationDevices(
        thermocouple: ThermocoupleSettings(), relay: OutputLineSettings(line: 17),
        shutoffValve: OutputLineSettings(line: 27, activeLow: true))

    static func access(_ model: MCP9600Model = .mcp9600, hotC: Double = 24, coldC: Double = 22) -> SimulatedHardwareAccess {
        SimulatedHardwareAccess(chip: SimulatedMCP9600(model: model, revision: 0x12, hotC: hotC, coldC: coldC))
    }

    @Test(arguments: MCP9600Model.allCases)
    func aHealthyStationIsReportedInFull(model: MCP9600Model) throws {
        let access = Self.access(model)
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.isHealthy, "\(report.problems)")
        #expect(report.thermocouple.location == "/dev/i2c-1 @ 0x67")
        #expect(report.thermocouple.identity == "\(model) revision 0x12")
        #expect(report.thermocouple.sensorConfiguration == "type K, filter 1")
        #expect(report.thermocouple.deviceConfiguration?.hasPrefix("ADC 16-bit") == true)
        #expect(report.thermocouple.hotC == 24)
        #expect(report.thermocouple.coldC == 22)
        #expect(report.thermocouple.reading == "24.0 °C")
        #expect(report.relay.chipLabel == "sim-gpio")
        #expect(report.relay.heldBy == "")
        #expect(report.relay.isActive == false)
        #expect(report.shutoffValve?.line == "gpiochip0 line 27 (active-low)")
        #expect(report.lines.last == "no problems found")
        #expect(report.json.serialized().contains(#""healthy":true"#))
    }

    @Test func theProbeNeverDrivesALineOnAndGivesEveryLineBack() {
        let access = Self.access()
        _ = HardwareProbe(access: access).run(Self.devices)
        #expect(access.requestedLines.count == 2)
        for line in access.requestedLines {
            #expect(line.history.allSatisfy { !$0 }, "\(line.name): \(line.history)")
            #expect(line.isReleased)
        }
    }

    @Test func theConfiguredTypeFilterAndResolutionAreWrittenToTheChip() throws {
        let access = Self.access()
        var settings = ThermocoupleSettings()
        settings.type = .j
        settings.filter = 3
        settings.adcResolutionBits = 14
        let report = HardwareProbe(access: access).probeThermocouple(settings)
        #expect(report.sensorConfiguration == "type J, filter 3")
        #expect(report.deviceConfiguration?.hasPrefix("ADC 14-bit") == true)
        #expect(access.chip?.thermocoupleType == .j)
    }

    @Test func nothingAtTheAddressIsANoDeviceProblem() {
        var settings = ThermocoupleSettings()
        settings.address = 0x60
        let report = HardwareProbe(access: Self.access()).probeThermocouple(settings)
        #expect(report.identity == nil)
        #expect(report.problems.count == 1)
        #expect(report.problems[0].contains("/dev/i2c-1 @ 0x60"))
        #expect(report.problems[0].contains("no device answered"))
    }

    @Test func aMissingBusIsReported() {
        let access = Self.access()
        access.busOpenErrno = 2
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.problems.first == "thermocouple: cannot open /dev/i2c-1 @ 0x67: no such bus (is I2C enabled and the i2c-dev module loaded?)")
    }

    @Test(arguments: [
        (MCP9600Model.mcp9601, ProbeCondition.open, "thermocouple open circuit", "open circuit"),
        (.mcp9601, .shorted, "thermocouple short circuit", "short circuit"),
        (.mcp9600, .open, "out of the amplifier's range", "input range"),
    ])
    func aThermocoupleFaultIsAProblemAndStatusIsShown(
        model: MCP9600Model, condition: ProbeCondition, phrase: String, statusFlag: String
    ) {
        let access = Self.access(model)
        access.chip?.probe = condition
        let report = HardwareProbe(access: access).probeThermocouple(ThermocoupleSettings())
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains(phrase) == true, "\(report.problems)")
        #expect(report.status?.contains(statusFlag) == true, "\(report.status ?? "no status")")
    }

    @Test func aLineHeldByTheDaemonIsANoteAndByAnotherAProblem() {
        let access = Self.access()
        access.heldLines = [17: "wokd", 27: "gpioset"]
        let report = HardwareProbe(access: access).run(Self.devices)
        #expect(report.relay.problems.isEmpty)
        #expect(report.relay.notes.first?.contains("held by wokd") == true)
        #expect(report.relay.isActive == nil)
        #expect(report.shutoffValve?.problems == ["held by gpioset; the daemon could not request it"])
        #expect(access.requestedLines.isEmpty)
        #expect(report.problems == ["shut-off valve: held by gpioset; the daemon could not request it"])
    }

    @Test func aLineBeyondTheChipAndAMissingChipAreProblems() {
        let access = Self.access()
        access.chipDescription = GPIOChipInfo(label: "small", lineCount: 8)
        let report = HardwareProbe(access: access).probeLine(OutputLineSettings(line: 17))
        #expect(report.problems == ["the chip has lines 0 to 7; line 17 does not exist"])
        access.gpioErrno = 2
        let missing = HardwareProbe(access: access).probeLine(OutputLineSettings(line: 17))
        #expect(missing.problems == ["read chip information /dev/gpiochip0: no such GPIO chip"])
    }
}

@Suite struct RelayTestTests {
    /// Virtual time: sleeping advances the clock and runs `onSleep` (to change the chip mid-test).
    final class Timeline {
        var seconds = 0.0
        var onSleep: (Double) -> Void = { _ in }
    }

    static let station = Station.standard
    static let devices = HardwareProbeTests.devices

    static func test(_ access: SimulatedHardwareAccess, _ timeline: Timeline) -> RelayTest<SimulatedHardwareAccess> {
        RelayTest(
            access: access, nowSeconds: { timeline.seconds },
            sleep: { seconds in
                timeline.seconds += seconds
                timeline.onSleep(timeline.seconds)
            })
    }

    @Test func aSaneStationClicksOnForTheTimeAskedThenOffAndReleased() throws {
        let access = HardwareProbeTests.access(hotC: 40)
        let timeline = Timeline()
        let outcome = try Self.test(access, timeline).run(devices: Self.devices, station: Self.station, onSeconds: 1.5).get()
        #expect(outcome.startC == 40)
        #expect(abs(outcome.onSeconds - 1.5) < 1e-9)
        #expect(outcome.readingsC.count == 15)
        #expect(outcome.endedEarly == nil)
        let line = try #require(access.requestedLines.first)
        #expect(access.requestedLines.count == 1, "only the relay: the valve is not touched")
        #expect(line.history == [false, false, true, false, false])
        #expect(line.isReleased)
    }

    @Test(arguments: [0.0, -1, 2.01, 10])
    func theTimeIsBoundedAndNothingIsTouchedOutsideTheBound(seconds: Double) {
        let access = HardwareProbeTests.access()
        let result = Self.test(access, Timeline()).run(devices: Self.devices, station: Self.station, onSeconds: seconds)
        guard case .failure(.refused) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(access.requestedLines.isEmpty)
    }

    @Test func aHotWokOrAFaultedProbeOrNoConverterIsRefusedWithTheRelayNeverRequested() {
        let hot = HardwareProbeTests.access(hotC: 300)
        let open = HardwareProbeTests.access(.mcp9601)
        open.chip?.probe = .open
        let absent = SimulatedHardwareAccess(chip: nil)
        for (access, phrase) in [(hot, "at or above the station's limit"), (open, "open circuit"), (absent, "no device answered")] {
            let result = Self.test(access, Timeline()).run(devices: Self.devices, station: Self.station, onSeconds: 1)
            guard case .failure(.refused(let reason)) = result else {
                Issue.record("expected a refusal, got \(result)")
                continue
            }
            #expect(reason.contains(phrase), "\(reason)")
            #expect(access.requestedLines.isEmpty)
        }
    }

    @Test func aFaultWhileOnEndsItAtOnceWithTheRelayOff() throws {
        let access = HardwareProbeTests.access(.mcp9601, hotC: 40)
        let timeline = Timeline()
        timeline.onSleep = { now in if now >= 0.5 - 1e-9 { access.chip?.probe = .open } }
        let outcome = try Self.test(access, timeline).run(devices: Self.devices, station: Self.station, onSeconds: 2).get()
        #expect(outcome.endedEarly?.contains("open circuit") == true)
        #expect(outcome.onSeconds <= 0.5 + 1e-9)
        let line = try #require(access.requestedLines.first)
        #expect(line.history.last == false)
        #expect(line.isReleased)
    }

    @Test func reachingTheLimitWhileOnEndsIt() throws {
        let access = HardwareProbeTests.access(hotC: 280)
        let timeline = Timeline()
        timeline.onSleep = { now in access.chip?.present(hotC: 280 + now * 30, coldC: 25) }
        let outcome = try Self.test(access, timeline).run(devices: Self.devices, station: Self.station, onSeconds: 2).get()
        #expect(outcome.endedEarly?.contains("limit") == true)
        #expect(access.requestedLines.first?.isActive == false)
    }

    @Test func aRelayThatWillNotTurnOnIsTurnedOffAndReleased() throws {
        let access = HardwareProbeTests.access()
        access.lineFailsWhenSetTo = true
        let result = Self.test(access, Timeline()).run(devices: Self.devices, station: Self.station, onSeconds: 1)
        guard case .failure(.relay) = result else {
            Issue.record("expected a relay failure, got \(result)")
            return
        }
        let line = try #require(access.requestedLines.first)
        #expect(!line.isActive)
        #expect(line.isReleased)
    }

    @Test func aRelayThatWillNotTurnOffIsReleased() throws {
        let access = HardwareProbeTests.access()
        let timeline = Timeline()
        timeline.onSleep = { _ in access.requestedLines.first?.failsWhenSetTo = false }
        let result = Self.test(access, timeline).run(devices: Self.devices, station: Self.station, onSeconds: 1)
        guard case .failure(.relay(let reason)) = result else {
            Issue.record("expected a relay failure, got \(result)")
            return
        }
        #expect(reason.contains("released the line"))
        let line = try #require(access.requestedLines.first)
        #expect(line.isReleased)
        #expect(!line.isActive)
    }

    @Test func aLineHeldElsewhereIsARelayFailureWithNothingDriven() {
        let access = HardwareProbeTests.access()
        access.heldLines = [17: "wokd"]
        let result = Self.test(access, Timeline()).run(devices: Self.devices, station: Self.station, onSeconds: 1)
        guard case .failure(.relay(let reason)) = result else {
            Issue.record("expected a relay failure, got \(result)")
            return
        }
        #expect(reason.contains("busy"))
    }
}

@Suite struct StationSettingsMappingTests {
    @Test(arguments: ThermocoupleLetter.allCases)
    func everyLetterSelectsItsType(letter: ThermocoupleLetter) {
        var settings = ThermocoupleSettings()
        settings.type = letter
        #expect(MCP9600Configuration(settings: settings).type.description == letter.rawValue)
    }

    @Test(arguments: [
        (12, MCP9600Registers.ADCResolution.bits12), (14, .bits14), (16, .bits16), (18, .bits18),
    ])
    func everyResolutionSelectsItsCode(bits: Int, resolution: MCP9600Registers.ADCResolution) {
        var settings = ThermocoupleSettings()
        settings.adcResolutionBits = bits
        settings.filter = 5
        let configuration = MCP9600Configuration(settings: settings)
        #expect(configuration.adcResolution == resolution)
        #expect(configuration.filterCoefficient == 5)
        #expect(configuration.coldJunctionFine)
    }
}
