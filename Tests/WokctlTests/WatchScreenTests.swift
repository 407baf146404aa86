import Testing
import WokCore
import WokWatch
import WokWire

/// The screen of `wokctl watch` as a pure function: sizes, cook time, colour, keys, the bell's
/// repeats and the reconnect backoff, with time given rather than read.
@Suite struct WatchScreenTests {
    static let sizes = [ScreenSize(columns: 120, rows: 40), ScreenSize(columns: 80, rows: 24), ScreenSize(columns: 60, rows: 20)]

    /// The caramel's confirm window, ten minutes after the daemon started and four into the cook.
    static func caramel(prompt: String? = "Confirm when the caramel is a rich amber, bubbling hard and smelling toasty.") -> WatchModel {
        var snapshot = StationSnapshot(
            state: .waitingForCook, recipe: "Vietnamese caramelised pork mince",
            stage: .init(index: 1, name: "Caramel", elapsedSeconds: 190, remainingSeconds: 0, untilSafeHoldSeconds: 50),
            stages: [
                .init(name: "Preheat the wok", targetC: 200), .init(name: "Caramel", targetC: 200), .init(name: "Brown the pork", targetC: 230),
                .init(name: "Aromatics", targetC: 230), .init(name: "Sauce and glaze", targetC: 200), .init(name: "Serve", targetC: nil),
            ],
            targetC: 200, temperatureC: 198.6, burnerOn: true, duty: 0.4, prompt: prompt, timeSeconds: 600, station: "test",
            simulated: true, speed: 20, shownReading: ShownReading(celsius: 198.6, trusted: true))
        snapshot.cookElapsedSeconds = 240
        let history = stride(from: 300.0, through: 600, by: 1).map {
            TemperaturePoint(timeSeconds: $0, temperatureC: min(200, 20 + ($0 - 360)), targetC: $0 >= 360 ? 200 : nil, burnerOn: true)
        }
        var model = WatchModel(Subscription(snapshot: snapshot, history: history))
        model.apply(WireEvent(name: "target-reached", message: "stage 1: target reached (197.2 °C)", timeSeconds: 460, stageIndex: 0))
        model.apply(WireEvent(name: "awaiting-confirmation", message: "stage 2: waiting for the cook to confirm", timeSeconds: 590, stageIndex: 1))
        return model
    }

    static func plain(_ lines: [String]) -> String { lines.joined(separator: "\n") }

    @Test(arguments: sizes)
    func theEssentialsAreAlwaysThereAndNothingIsWiderThanTheScreen(size: ScreenSize) {
        let lines = WatchScreen.render(Self.caramel(), status: WatchStatus(), size: size, options: WatchOptions(color: false))
        #expect(lines.count <= size.rows)
        for line in lines { #expect(ScreenText.visibleWidth(line) < size.columns, "\(line)") }
        let text = Self.plain(lines)
        for shown in ["wok 198.6 °C", "target 200 °C", "stage 2/6 Caramel", "left 0:50 to confirm, then safe hold", "YOUR TURN", "n next"] {
            #expect(text.contains(shown), "missing \(shown) at \(size.columns)x\(size.rows):\n\(text)")
        }
        #expect(text.contains("°C│"), "a chart at \(size.columns)x\(size.rows):\n\(text)")
    }

    @Test func bigDigitsWhereThereIsRoomAndPlainLinesWhereThereIsNot() {
        let options = WatchOptions(color: false)
        let tall = Self.plain(WatchScreen.render(Self.caramel(), status: WatchStatus(), size: ScreenSize(columns: 80, rows: 40), options: options))
        #expect(tall.contains(BigDigits.render("199°", rows: 5)[0]), "\(tall)")
        let short = Self.plain(WatchScreen.render(Self.caramel(), status: WatchStatus(), size: ScreenSize(columns: 60, rows: 20), options: options))
        #expect(short.contains(BigDigits.render("199°", rows: 3)[1]), "\(short)")
        let tiny = WatchScreen.render(Self.caramel(prompt: nil), status: WatchStatus(), size: ScreenSize(columns: 40, rows: 8), options: options)
        #expect(tiny.count <= 8)
        #expect(tiny[1].contains("wok 198.6 °C") && tiny[2].contains("stage 2/6"), "\(Self.plain(tiny))")
    }

    @Test func eventsAndTheChartRunOnCookTime() {
        let lines = WatchScreen.render(
            Self.caramel(), status: WatchStatus(), size: ScreenSize(columns: 100, rows: 40), options: WatchOptions(color: false))
        let text = Self.plain(lines)
        // Station 590 s is 3:50 into a cook that started at station 360 s.
        #expect(text.contains("[3:50] stage 2: waiting for the cook to confirm"), "\(text)")
        #expect(text.contains("[1:40] stage 1: target reached"), "\(text)")
        #expect(text.contains("cook 4:00"), "\(text)")
        // The chart's axis ends at the cook's 4:00, not the daemon's 10:00, and starts at its start.
        let axis = lines.first { $0.hasPrefix("        0:00") }
        #expect(axis?.hasSuffix("4:00") == true, "\(text)")
        #expect(!text.contains("10:00"), "\(text)")
    }

    @Test func aCookStartedWhileWatchingStampsItsEventsFromItsStart() {
        var model = Self.caramel()
        model.apply(WireEvent(name: "cook-started", message: "cook started: Reheat", timeSeconds: 700))
        model.apply(WireEvent(name: "stage-started", message: "stage 1 started", timeSeconds: 730, stageIndex: 0))
        let text = Self.plain(
            WatchScreen.render(model, status: WatchStatus(), size: ScreenSize(columns: 100, rows: 40), options: WatchOptions(color: false)))
        #expect(text.contains("[0:30] stage 1 started"), "\(text)")
    }

    @Test func colourOnlyWhenAsked() {
        let coloured = Self.plain(
            WatchScreen.render(Self.caramel(), status: WatchStatus(), size: ScreenSize(columns: 80, rows: 24), options: WatchOptions(color: true)))
        #expect(coloured.contains("\u{1B}[1;33m"))
        let plain = Self.plain(
            WatchScreen.render(Self.caramel(), status: WatchStatus(), size: ScreenSize(columns: 80, rows: 24), options: WatchOptions(color: false)))
        #expect(!plain.contains("\u{1B}"), "\(plain)")
    }

    @Test func textFromTheDaemonIsEscapedAndCutToFit() {
        var snapshot = Self.caramel().snapshot
        snapshot.recipe = "Pork\u{1B}[2J" + String(repeating: "x", count: 300)
        snapshot.stage?.name = "Brown\u{1B}]0;owned\u{7}" + String(repeating: "y", count: 300)
        snapshot.prompt = String(repeating: "word ", count: 200)
        let model = WatchModel(Subscription(snapshot: snapshot, history: []))
        for size in Self.sizes {
            let lines = WatchScreen.render(
                model, status: WatchStatus(notice: String(repeating: "z", count: 500)), size: size, options: WatchOptions(color: true))
            #expect(lines.count <= size.rows)
            for line in lines {
                #expect(ScreenText.visibleWidth(line) < size.columns)
                #expect(!line.contains("\u{1B}[2J") && !line.contains("\u{1B}]"), "\(line.debugDescription)")
            }
            #expect(Self.plain(lines).contains("wok 198.6 °C"))
        }
    }

    @Test func aDaemonThatIsAwaySaysSoAndThatItRetries() {
        let lines = WatchScreen.render(
            Self.caramel(), status: WatchStatus(retrying: "next try in 2 s"), size: ScreenSize(columns: 60, rows: 20),
            options: WatchOptions(color: false))
        #expect(lines[0] == "wokd not running, retrying")
        #expect(lines.contains("next try in 2 s"))
        #expect(!Self.plain(lines).contains("wok 198.6"), "no stale reading while wokd is away")
    }

    @Test func theCountdownSaysWhatTheStageWaitsFor() {
        var snapshot = Self.caramel().snapshot
        snapshot.state = .cooking
        snapshot.stage = .init(index: 2, name: "Brown the pork", elapsedSeconds: 30, remainingSeconds: 89.2)
        #expect(WatchScreen.timeLeftText(snapshot, snapshot.stage!) == "left 1:30")
        snapshot.state = .holding
        #expect(WatchScreen.timeLeftText(snapshot, snapshot.stage!) == "left 1:30 (held)")
        snapshot.state = .preheating
        snapshot.stage = .init(index: 0, name: "Preheat", elapsedSeconds: 30, remainingSeconds: nil)
        #expect(WatchScreen.timeLeftText(snapshot, snapshot.stage!) == "left: until the wok reaches 200 °C")
        snapshot.state = .waitingForCook
        snapshot.stage = .init(index: 1, name: "Caramel", elapsedSeconds: 250, remainingSeconds: 0, untilSafeHoldSeconds: nil)
        #expect(WatchScreen.timeLeftText(snapshot, snapshot.stage!) == "left: none, at the safe hold until you confirm")
        snapshot.state = .cooking
        snapshot.stage = .init(index: 1, name: "Caramel", elapsedSeconds: 100, remainingSeconds: 80, untilSafeHoldSeconds: 140)
        #expect(WatchScreen.timeLeftText(snapshot, snapshot.stage!) == "left 1:20 until you may confirm")
    }

    // MARK: Keys, bell, backoff

    @Test func keysAskForTheirRequestsAndAbortWaitsForYes() {
        var keys = WatchKeys()
        let presses: [(Character, CookState)] = [
            ("n", .waitingForCook), ("h", .cooking), ("h", .holding), ("a", .cooking), ("n", .cooking), ("a", .cooking), ("q", .cooking),
            ("a", .cooking), ("y", .cooking), ("e", .cooking), ("q", .cooking), ("z", .cooking),
        ]
        let actions = presses.map { key, state in keys.press(UInt8(ascii: key.unicodeScalars.first ?? " "), state: state) }
        let asked = KeyAction.ask("abort the cook? y/N")
        let expected: [KeyAction] = [
            .send(.next, JSONObject()), .send(.hold, JSONObject()), .send(.resume, JSONObject()),
            // n answers the question (no), it does not confirm; nor does q leave while asking.
            asked, .cancelled("not aborted"), asked, .cancelled("not aborted"),
            asked, .send(.abort, JSONObject()), .send(.extend, ["seconds": 60]), .quit, .ignored,
        ]
        #expect(actions == expected)
    }

    @Test func theBellRepeatsWhileAPromptWaitsAndStopsWhenItIsAnswered() {
        var bell = BellSchedule(intervalSeconds: 10)
        let moments: [(String?, CookState, Double)] = [
            ("add the pork", .cooking, 100), ("add the pork", .cooking, 105), ("add the pork", .cooking, 110),
            ("add the pork", .cooking, 119),
            // A new state is a new prompt: at once.
            ("add the pork", .waitingForCook, 120),
            // Answered: silence, and a later prompt rings at once.
            (nil, .cooking, 131), (nil, .cooking, 200), ("confirm", .waitingForCook, 201),
        ]
        let rings = moments.map { bell.shouldRing(prompt: $0.0, state: $0.1, nowSeconds: $0.2) }
        #expect(rings == [true, false, true, false, true, false, false, true])
    }

    @Test func reconnectingWaitsOneSecondDoublingToFive() {
        var backoff = ReconnectBackoff()
        let delays = (0..<5).map { _ in backoff.delay() }
        #expect(delays == [1, 2, 4, 5, 5])
        backoff.reset()
        let again = backoff.delay()
        #expect(again == 1)
    }

    @Test func fittingKeepsColourSequencesAndClosesThem() {
        let line = "\u{1B}[31m" + String(repeating: "⣿", count: 30) + "\u{1B}[0m"
        let cut = ScreenText.fit(line, width: 10)
        #expect(ScreenText.visibleWidth(cut) == 10)
        #expect(cut.hasPrefix("\u{1B}[31m") && cut.hasSuffix("\u{1B}[0m"))
        #expect(ScreenText.fit("short", width: 10) == "short")
        #expect(ScreenText.wrap("one two three four", width: 9, maxLines: 2) == ["one two", "three…"])
    }
}
