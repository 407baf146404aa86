// Lines found by chip label or line name, the button panel's bounded polls, the buzzer's line,
// and the probe's report of all three, against simulated chips and lines.
import Glibc
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct GPIOLineLookupTests {
    /// A Pi 5 on a later kernel: the header chip first, then the others.
    static let pi5 = GPIOChipScan(
        chips: [
            ScannedChip(path: "/dev/gpiochip0", label: "pinctrl-rp1", lineCount: 54, lineNames: (0..<54).map { "GPIO\($0)" }),
            ScannedChip(path: "/dev/gpiochip10", label: "gpio-brcmstb@107d508500", lineCount: 32, lineNames: Array(repeating: "", count: 32)),
        ],
        unreadable: ["/dev/gpiochip11: permission denied"])

    @Test func aChipLabelFindsItsChipAndKeepsTheOffset() throws {
        let settings = OutputLineSettings(line: 17, activeLow: true, chipLabel: "pinctrl-rp1")
        let found = try GPIOLineLookup.resolve(settings, in: Self.pi5).get()
        #expect(found == OutputLineSettings(chip: "/dev/gpiochip0", line: 17, activeLow: true))
    }

    @Test func aLineNameFindsTheChipAndTheOffset() throws {
        let found = try GPIOLineLookup.resolve(.named("GPIO22"), in: Self.pi5).get()
        #expect(found.chipPath == "/dev/gpiochip0")
        #expect(found.line == 22)
    }

    @Test func aChipNamedDirectlyIsLeftAsItIs() throws {
        let settings = OutputLineSettings(chip: "gpiochip4", line: 17)
        #expect(try GPIOLineLookup.resolve(settings, in: GPIOChipScan(chips: [])).get() == settings)
    }

    @Test func nothingFoundSaysWhatWasSearched() {
        guard case .failure(let error) = GPIOLineLookup.resolve(OutputLineSettings(line: 17, chipLabel: "pinctrl-bcm2711"), in: Self.pi5)
        else {
            Issue.record("found a chip that is not there")
            return
        }
        #expect(error == .noChipLabelled("pinctrl-bcm2711", scan: Self.pi5))
        #expect(error.description.contains(#"no GPIO chip is labelled "pinctrl-bcm2711""#))
        #expect(error.description.contains(#"/dev/gpiochip0 ("pinctrl-rp1", 54 lines)"#))
        #expect(error.description.contains("could not read /dev/gpiochip11: permission denied"))
        guard case .failure(let missing) = GPIOLineLookup.resolve(.named("GPIO99"), in: Self.pi5) else {
            Issue.record("found a line that is not there")
            return
        }
        #expect(missing.description.hasPrefix(#"no GPIO line is named "GPIO99" (searched /dev/gpiochip0"#))
    }

    @Test func twoMatchesAreRefusedNamingBoth() {
        var scan = Self.pi5
        scan.chips.append(ScannedChip(path: "/dev/gpiochip12", label: "pinctrl-rp1", lineCount: 2, lineNames: ["GPIO22", ""]))
        guard case .failure(let label) = GPIOLineLookup.resolve(OutputLineSettings(line: 1, chipLabel: "pinctrl-rp1"), in: scan),
            case .failure(let name) = GPIOLineLookup.resolve(.named("GPIO22"), in: scan)
        else {
            Issue.record("picked one of two")
            return
        }
        #expect(label == .severalChipsLabelled("pinctrl-rp1", paths: ["/dev/gpiochip0", "/dev/gpiochip12"]))
        #expect(name == .severalLinesNamed("GPIO22", places: ["/dev/gpiochip0 line 22", "/dev/gpiochip12 line 0"]))
    }

    @Test func theAccessTurnsALookupFailureIntoAGPIOErrorNamingTheLine() {
        let access = SimulatedHardwareAccess(chip: nil)
        #expect(throws: GPIOError.self) { try access.resolve(.named("GPIO99")) }
        do {
            _ = try access.resolve(.named("GPIO99"))
        } catch {
            #expect(error.description.hasPrefix(#"find the line named "GPIO99": no GPIO line is named "GPIO99""#))
        }
    }

    @Test func chipPathsComeInTheKernelsOrder() throws {
        // /dev of the test machine may have no GPIO chips: the order is checked on a made-up directory.
        let directory = "/tmp/wok-chip-scan-\(getpid())"
        let names = ["gpiochip10", "gpiochip2", "gpiochip0", "gpiochipX", "i2c-1"]
        #expect(mkdir(directory, 0o700) == 0)
        for name in names { close(open(directory + "/" + name, O_CREAT | O_WRONLY, 0o600)) }
        defer {
            for name in names { unlink(directory + "/" + name) }
            rmdir(directory)
        }
        #expect(GPIOChip.chipPaths(in: directory) == ["gpiochip0", "gpiochip2", "gpiochip10"].map { directory + "/" + $0 })
    }
}

@Suite struct ButtonPanelTests {
    static func panel(_ lines: [StationButton: SimulatedEdgeInputLine]) -> ButtonPanel<SimulatedEdgeInputLine> {
        ButtonPanel(
            StationButton.allCases.compactMap { button in lines[button].map { (button, $0, ButtonSettings(line: OutputLineSettings(line: 1))) } })
    }

    @Test func pressesComeOutDebouncedAndInButtonOrder() {
        let next = SimulatedEdgeInputLine()
        let stop = SimulatedEdgeInputLine()
        var panel = Self.panel([.next: next, .stop: stop])
        stop.press(atSeconds: 1)
        next.waiting = [true, false, true].enumerated().map { ButtonEdge(becameActive: $1, timestampSeconds: 2 + Double($0) * 0.002) }

        #expect(panel.poll() == ButtonPoll(presses: [.next, .stop]))
        #expect(panel.poll() == ButtonPoll())
    }

    @Test func aFloodOfEdgesIsDrainedABoundedBatchAtATime() {
        let next = SimulatedEdgeInputLine()
        var panel = Self.panel([.next: next])
        for press in 0..<40 { next.press(atSeconds: Double(press), heldSeconds: 0.1) }

        let first = panel.poll()
        #expect(first.presses.count == ButtonPanel<SimulatedEdgeInputLine>.maxEdgesPerPoll / 2)
        #expect(next.largestRead == ButtonPanel<SimulatedEdgeInputLine>.maxEdgesPerPoll)
        #expect(next.waiting.count == 80 - ButtonPanel<SimulatedEdgeInputLine>.maxEdgesPerPoll)
        var total = first.presses.count
        for _ in 0..<10 { total += panel.poll().presses.count }
        #expect(total == 40)
    }

    @Test func aLineThatFailsIsReportedAndTheOthersStillRead() {
        let hold = SimulatedEdgeInputLine(name: "sim line 23")
        let stop = SimulatedEdgeInputLine()
        var panel = Self.panel([.hold: hold, .stop: stop])
        hold.failureErrno = 19
        stop.press(atSeconds: 1)

        let poll = panel.poll()
        #expect(poll.presses == [.stop])
        #expect(poll.failures.count == 1)
        #expect(poll.failures.first?.hasPrefix("button hold: read edges sim line 23") == true)
    }

    @Test func closingReleasesEveryLine() {
        let next = SimulatedEdgeInputLine()
        let hold = SimulatedEdgeInputLine()
        var panel = Self.panel([.next: next, .hold: hold])
        panel.close()
        #expect(next.isReleased && hold.isReleased)
    }
}

@Suite struct LineBuzzerTests {
    @Test func theLineIsWrittenOnlyWhenTheLevelChanges() throws {
        let line = SimulatedOutputLine()
        var buzzer = LineBuzzer(line: line)
        for on in [false, true, true, true, false, false, true] { try buzzer.set(on) }
        #expect(line.history == [false, false, true, false, true])
    }

    @Test func closingSilencesAndReleases() throws {
        let line = SimulatedOutputLine()
        var buzzer = LineBuzzer(line: line)
        try buzzer.set(true)
        buzzer.close()
        #expect(line.history.last == false)
        #expect(line.isReleased)
    }

    @Test func aFailedWriteIsThrownAndTriedAgainNextTime() throws {
        let line = SimulatedOutputLine()
        var buzzer = LineBuzzer(line: line)
        line.failsWhenSetTo = true
        #expect(throws: GPIOError.self) { try buzzer.set(true) }
        line.failsWhenSetTo = nil
        try buzzer.set(true)
        #expect(line.isActive)
    }
}

@Suite struct StoveProbeTests {
    static let devices = StationDevices(
        thermocouple: ThermocoupleSettings(), relay: OutputLineSettings(line: 17, chipLabel: "sim-gpio"),
        buttons: [
            .next: ButtonSettings(line: .named("GPIO22", activeLow: true)), .stop: ButtonSettings(line: OutputLineSettings(line: 24)),
        ],
        buzzer: .named("GPIO18"))

    @Test func theProbeListsTheChipsAndWhereEachNamedLineWasFound() throws {
        let access = HardwareProbeTests.access()
        access.inputLevels[24] = true
        let report = HardwareProbe(access: access).run(Self.devices)

        #expect(report.chips.chips.map(\.path) == ["/dev/gpiochip0"])
        #expect(report.relay.resolvedTo == "/dev/gpiochip0 line 17")
        #expect(report.buttons.map(\.button) == [.next, .stop])
        #expect(report.buttons.first?.report.resolvedTo == "/dev/gpiochip0 line 22")
        #expect(report.buttons.last?.report.resolvedTo == nil, "named by chip and line: nothing to look up")
        #expect(report.buttons.last?.report.notes.contains { $0.contains("reads pressed") } == true)
        #expect(report.buzzer?.resolvedTo == "/dev/gpiochip0 line 18")
        #expect(report.buzzer?.isActive == false)
        #expect(report.isHealthy, "\(report.problems)")
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains(#"/dev/gpiochip0: "sim-gpio", 32 lines"#))
        #expect(text.contains("button next on the line named \"GPIO22\" (active-low)\n  found at:      /dev/gpiochip0 line 22"))
        #expect(report.json.objectValue?["chips"]?.arrayValue?.count == 1)
        #expect(report.json.objectValue?["buttons"]?.objectValue?["next"]?.objectValue?["resolvedTo"]?.stringValue == "/dev/gpiochip0 line 22")
    }

    @Test func aLineThatCannotBeFoundIsAProblemNamingTheSearch() {
        var devices = Self.devices
        devices.buzzer = OutputLineSettings(line: 18, chipLabel: "pinctrl-rp1")
        let report = HardwareProbe(access: HardwareProbeTests.access()).run(devices)
        #expect(report.problems.contains { $0.hasPrefix(#"buzzer: no GPIO chip is labelled "pinctrl-rp1" (searched /dev/gpiochip0"#) })
    }
}
