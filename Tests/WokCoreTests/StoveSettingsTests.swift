// The station file's buttons, buzzer, and lines named by chip label or line name.
import Testing

@testable import WokCore

@Suite struct StoveSettingsTests {
    static let devices = StationDevicesTests.devices
    static let problems = StationDevicesTests.problems

    @Test func buttonsAndABuzzerAreReadWithTheDebounceDefault() throws {
        let devices = try #require(
            try Self.devices(
                #"""
                {"relay": {"line": 17},
                 "buttons": {"next": {"line": 22, "activeLow": true, "bias": "pull-up"},
                             "hold": {"line": 23, "debounceSeconds": 0.05},
                             "stop": {"chipLabel": "pinctrl-rp1", "line": 24}},
                 "buzzer": {"lineName": "GPIO18"}}
                """#))
        #expect(devices.buttons[.next] == ButtonSettings(line: OutputLineSettings(line: 22, activeLow: true), bias: .pullUp))
        #expect(devices.buttons[.next]?.debounceSeconds == 0.03)
        #expect(devices.buttons[.hold]?.debounceSeconds == 0.05)
        #expect(devices.buttons[.hold]?.bias == .asIs)
        #expect(devices.buttons[.stop]?.line == OutputLineSettings(line: 24, chipLabel: "pinctrl-rp1"))
        #expect(devices.buzzer == .named("GPIO18"))
        #expect(devices.buzzer?.needsLookup == true)
        #expect(devices.relay.needsLookup == false)
    }

    @Test func everyButtonIsOptional() throws {
        let devices = try #require(try Self.devices(#"{"relay": {"line": 17}, "buttons": {"stop": {"line": 5}}}"#))
        #expect(devices.buttons.keys.sorted { $0.rawValue < $1.rawValue } == [.stop])
        #expect(devices.buzzer == nil)
    }

    @Test(arguments: [
        (#""buttons": {"next": {"line": 22, "debounceSeconds": 0}}"#, #"field "next", field "debounceSeconds""#, "out of range"),
        (#""buttons": {"next": {"line": 22, "debounceSeconds": 2}}"#, "debounceSeconds", "0.001 to 0.5 s"),
        (#""buttons": {"go": {"line": 22}}"#, #"field "buttons", field "go""#, "unknown field"),
        (#""buttons": {"next": {"line": 22, "bias": "up"}}"#, "bias", #""pull-up""#),
        (#""buttons": {"next": {"activeLow": true}}"#, #"field "next", field "line""#, "is required"),
        (#""buzzer": {"lineName": "GPIO18", "line": 18}"#, #"field "buzzer", field "line""#, "cannot be given with lineName"),
        (#""buzzer": {"chip": "gpiochip0", "chipLabel": "pinctrl-rp1", "line": 18}"#, "chipLabel", "name the chip one way"),
        (#""buzzer": {"lineName": ""}"#, "lineName", "must name a line such as"),
        (#""buzzer": {"line": 17}"#, #"field "buzzer""#, "uses the relay's line"),
        (#""buttons": {"next": {"line": 9}, "stop": {"line": 9}}"#, #"field "buttons.stop""#, "uses the buttons.next's line"),
        (#""flameSense": {"lineName": "GPIO5"}, "buzzer": {"lineName": "GPIO5"}"#, #"field "buzzer""#, "uses the flameSense's line"),
    ])
    func badStoveSettingsSayWhatAndWhere(fields: String, location: String, message: String) {
        let problems = Self.problems(#"{"relay": {"line": 17}, \#(fields)}"#)
        #expect(problems.contains { $0.contains(location) && $0.contains(message) }, "\(problems)")
    }

    @Test func linesDescribeHowTheyAreFound() {
        #expect(OutputLineSettings(line: 17).description == "gpiochip0 line 17")
        #expect(OutputLineSettings(line: 17, chipLabel: "pinctrl-rp1").description == #"line 17 of the chip labelled "pinctrl-rp1""#)
        #expect(OutputLineSettings.named("GPIO17", activeLow: true).description == #"the line named "GPIO17" (active-low)"#)
        let found = OutputLineSettings.named("GPIO17", activeLow: true).resolved(chipPath: "/dev/gpiochip4", line: 17)
        #expect(found == OutputLineSettings(chip: "/dev/gpiochip4", line: 17, activeLow: true))
    }
}

@Suite struct ButtonDebouncerTests {
    static func edge(_ active: Bool, _ milliseconds: Double) -> ButtonEdge {
        ButtonEdge(becameActive: active, timestampSeconds: 100 + milliseconds / 1000)
    }

    @Test func aBouncingPressAndReleaseIsOnePress() {
        var debouncer = ButtonDebouncer(debounceSeconds: 0.03)
        let press = [true, false, true, false, true].enumerated().map { Self.edge($1, Double($0)) }
        let release = [false, true, false, true, false].enumerated().map { Self.edge($1, 200 + Double($0) * 2) }
        #expect(debouncer.presses(in: press) == 1)
        #expect(debouncer.presses(in: release) == 0)
    }

    @Test func twoDeliberatePressesAreTwoEvenWhenReadTogether() {
        var debouncer = ButtonDebouncer(debounceSeconds: 0.03)
        let edges = [Self.edge(true, 0), Self.edge(false, 150), Self.edge(true, 400), Self.edge(false, 520)]
        #expect(debouncer.presses(in: edges) == 2)
    }

    @Test func chatterSpreadOverTwoReadsIsStillOnePress() {
        var debouncer = ButtonDebouncer(debounceSeconds: 0.03)
        #expect(debouncer.presses(in: [Self.edge(true, 0), Self.edge(false, 1)]) == 1)
        #expect(debouncer.presses(in: [Self.edge(true, 10), Self.edge(false, 15), Self.edge(true, 20)]) == 0)
    }

    @Test func aPressNeedsAQuietSpellAsLongAsTheDebounceTime() {
        var short = ButtonDebouncer(debounceSeconds: 0.03)
        var long = ButtonDebouncer(debounceSeconds: 0.1)
        let edges = [Self.edge(true, 0), Self.edge(false, 40), Self.edge(true, 80)]
        #expect(short.presses(in: edges) == 2)
        #expect(long.presses(in: edges) == 1)
    }
}

@Suite struct BuzzerPatternTests {
    static func samples(_ pattern: BuzzerPattern, seconds: Double) -> [Bool?] {
        stride(from: 0.0, to: seconds, by: 0.25).map { pattern.isOn(afterSeconds: $0) }
    }

    @Test func thePromptBeepsTwiceEveryFourSecondsAndRepeats() {
        let samples = Self.samples(.prompt, seconds: 8)
        let first: [Bool?] = [true, true, false, false, true, true] + Array(repeating: false, count: 10)
        #expect(samples == first + first)
    }

    @Test func theWarningBeepsThreeTimesOnceThenEnds() {
        let samples = Self.samples(.warning, seconds: 3)
        #expect(samples == [true, true, false, false, true, true, false, false, true, true, nil, nil])
    }

    @Test func theAlarmIsContinuous() {
        #expect(Self.samples(.alarm, seconds: 20).allSatisfy { $0 == true })
    }
}

@Suite struct BuzzerPlayerTests {
    static let prompt = BuzzerCue(pattern: .prompt, key: "stage 1 waiting", reason: "waits")
    static let warning = BuzzerCue(pattern: .warning, key: "stage 1 safe hold", reason: "safe hold")
    static let alarm = BuzzerCue(pattern: .alarm, key: "fault", reason: "fault")

    static func play(_ player: inout BuzzerPlayer, _ cues: [BuzzerCue], from start: Double, seconds: Double) -> [Bool] {
        stride(from: start, to: start + seconds, by: 0.25).map { player.level(cues: cues, nowSeconds: $0) }
    }

    @Test func theMostUrgentCueSoundsAndAWarningGivesWayWhenPlayedOut() {
        var player = BuzzerPlayer()
        #expect(Self.play(&player, [Self.alarm, Self.prompt], from: 0, seconds: 5).allSatisfy { $0 })
        let levels = Self.play(&player, [Self.warning, Self.prompt], from: 10, seconds: 4)
        #expect(Array(levels.prefix(10)) == [true, true, false, false, true, true, false, false, true, true])
        #expect(player.playing?.cue == Self.prompt, "the prompt comes back once the warning has played")
        #expect(Array(levels.suffix(6)) == [true, true, false, false, true, true])
    }

    @Test func silencingLastsUntilACueWithANewKeyIsDue() {
        var player = BuzzerPlayer()
        _ = Self.play(&player, [Self.prompt], from: 0, seconds: 1)
        player.silence()
        #expect(Self.play(&player, [Self.prompt], from: 1, seconds: 20).allSatisfy { !$0 })
        #expect(Self.play(&player, [Self.alarm, Self.prompt], from: 21, seconds: 2).allSatisfy { $0 })
    }

    @Test func aCueThatEndsAndComesBackLaterSoundsAgain() {
        var player = BuzzerPlayer()
        _ = Self.play(&player, [Self.warning], from: 0, seconds: 5)
        #expect(Self.play(&player, [Self.warning], from: 5, seconds: 2).allSatisfy { !$0 }, "played once")
        _ = Self.play(&player, [], from: 7, seconds: 1)
        #expect(Self.play(&player, [Self.warning], from: 8, seconds: 1).contains(true))
    }
}
