import Foundation
import Testing
import WokCore
import WokDaemon
import WokHistory
import WokSimulator
import WokSystem
import WokWire

/// The history as people meet it: a real `wokd --simulate` writing it, `kill -9` at random
/// moments, and `wokctl history/show/export/plot` reading it; plots checked as pictures.
@Suite(.serialized) struct HistoryProcessTests {
    /// The measured temperature's colour in plots (CookPlotting.measuredColor, #d62728).
    static let measuredRGB = (214, 39, 40)
    /// The plotting area of a 1000×560 plot with one strip (SVGRenderer.Layout).
    static let axesBox = (x0: 64, y0: 64, x1: 976, y1: 482)

    @Test func killMinus9MidCookLosesAtMostOneSecondOfSamplesAndNoEvent() throws {
        let speed = 20.0
        var random = SplitMix64(seed: 6)
        for round in 1...3 {
            let daemon = try DaemonProcess(speed: speed)
            defer { daemon.cleanUp() }
            let started = try daemon.wokctl(["start", "caramelised-pork-mince"])
            #expect(started.status == 0, "\(started.err)")
            let first = try daemon.status()
            let stage = try #require(first["stage"] as? [String: Any])
            let cookStartStation = try #require(first["timeSeconds"] as? Double) - (stage["elapsedSeconds"] as? Double ?? 0)
            // A random moment 0.3 to 1.3 real seconds into the cook (6 to 26 s of station time).
            usleep(useconds_t(300_000 + random.next() % 1_000_000))
            let last = try daemon.status()
            let killedAtStation = try #require(last["timeSeconds"] as? Double)
            daemon.signal(SIGKILL)
            #expect(daemon.waitForExit() != nil)

            let reader = try HistoryReader(path: daemon.stateDirectory + "/" + HistoryReader.fileName)
            let cook = try #require(try reader.cook(id: 1))
            #expect(cook.summary.outcome == .running, "nobody closed it: the daemon was killed")
            let lastSample = try #require(cook.samples.last?.timeSeconds)
            let killedAt = killedAtStation - cookStartStation
            // At most one real second of samples lost (`speed` station seconds), plus one tick of slack.
            #expect(lastSample >= killedAt - speed * 1.0 - 0.25, "round \(round): last sample \(lastSample) s, killed after \(killedAt) s")
            // Every event the daemon logged is in the history (it commits before it logs).
            let stored = Set(cook.events.map(\.message))
            let logged = daemon.log.split(separator: "\n").compactMap { line -> String? in
                guard let close = line.firstIndex(of: ">") else { return nil }
                return String(line[line.index(after: close)...])
            }
            let eventsLogged = logged.filter { line in
                line.hasPrefix("cook started") || line.hasPrefix("stage ") || line.hasPrefix("FAULT") || line.hasPrefix("cook ")
            }
            #expect(!eventsLogged.isEmpty)
            for line in eventsLogged { #expect(stored.contains(line), "round \(round): \"\(line)\" was logged but not stored") }
        }
    }

    @Test func wokctlReadsAStoredCookAndPlotsIt() throws {
        let directory = NSTemporaryDirectory() + "wok-history-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + HistoryReader.fileName
        try VirtualDaemon.cook(into: path)
        let db = ["--db", path]

        let history = try Wokctl.run(["history"] + db)
        #expect(history.status == 0, "\(history.err)")
        #expect(history.out.contains("Vietnamese caramelised pork"))
        #expect(history.out.contains("completed"))

        let show = try Wokctl.run(["show", "last"] + db)
        #expect(show.status == 0, "\(show.err)")
        #expect(show.out.contains("Brown the pork"))
        #expect(show.out.contains("hold err"))
        #expect(show.out.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "a braille chart")

        let csv = try Wokctl.run(["export", "1", "--csv"] + db)
        #expect(csv.out.hasPrefix("time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events\n"))
        #expect(csv.out.split(separator: "\n").count > 3000)
        let json = try Wokctl.run(["export", "1", "--json"] + db)
        let object = try DaemonProcess.object(json.out)
        #expect((object["samples"] as? [Any])?.count ?? 0 > 3000)

        let svg = directory + "/cook.svg"
        let plotted = try Wokctl.run(["plot", "last", "-o", svg] + db)
        #expect(plotted.status == 0, "\(plotted.err)")
        #expect(try PictureCheck.xmlProblem(svg) == nil)

        let png = directory + "/cook.png"
        let converted = try Wokctl.run(["plot", "1", "-o", png] + db)
        #expect(converted.status == 0, "\(converted.err)")
        try Self.expectTemperatureLineInsideTheAxes(png)

        let missing = try Wokctl.run(["show", "7"] + db)
        #expect(missing.status == 1)
        #expect(missing.err.contains("no cook 7"))
    }

    @Test func twoCooksCompareAlignedOnAStageAndTheMarksHaveAKey() throws {
        let directory = NSTemporaryDirectory() + "wok-compare-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + HistoryReader.fileName
        try VirtualDaemon.cook(into: path)
        // A weaker burner: the preheat takes longer, so every later stage starts later.
        var weak = PlantParameters()
        weak.burner.powerW = 3500
        try VirtualDaemon.cook(into: path, plant: weak)
        let db = ["--db", path]
        let reader = try HistoryReader(path: path)
        let first = try #require(try reader.cook(id: 1))
        let second = try #require(try reader.cook(id: 2))
        let start1 = try #require(first.stages.first { $0.index == 2 }?.startedSeconds)
        let start2 = try #require(second.stages.first { $0.index == 2 }?.startedSeconds)
        #expect(start2 > start1 + 10, "the weak burner's pork starts later (\(start1) s against \(start2) s)")

        func firstX(ofLine label: String, in svg: String) -> Double? {
            guard let line = svg.split(separator: "\n").first(where: { $0.contains("data-label=\"\(label)\"") }),
                let move = line.range(of: "d=\"M")
            else { return nil }
            return Double(line[move.upperBound...].prefix { $0 != " " })
        }
        let byStart = directory + "/start.svg"
        let byStage = directory + "/stage.svg"
        #expect(try Wokctl.run(["plot", "--compare", "1", "2", "-o", byStart] + db).status == 0)
        let aligned = try Wokctl.run(["plot", "--compare", "1", "2", "--align", "stage:3", "-o", byStage] + db)
        #expect(aligned.status == 0, "\(aligned.err)")
        let startSVG = try String(contentsOfFile: byStart, encoding: .utf8)
        let stageSVG = try String(contentsOfFile: byStage, encoding: .utf8)
        #expect(stageSVG.contains("aligned on stage 3"))
        let unshifted = try #require(firstX(ofLine: "cook 2", in: startSVG))
        let shifted = try #require(firstX(ofLine: "cook 2", in: stageSVG))
        #expect(shifted < unshifted, "cook 2 moved left by the difference of the stage starts")
        #expect(firstX(ofLine: "cook 1", in: stageSVG) == firstX(ofLine: "cook 1", in: startSVG), "cook 1 stays where it was")
        #expect(stageSVG.contains("the cook was asked to act"), "the prompt marks have a key")
        #expect(stageSVG.contains("confirmed, held, resumed"), "so do the notes")

        let bad = try Wokctl.run(["plot", "--compare", "1", "2", "--align", "stage:9", "-o", byStage] + db)
        #expect(bad.status == 2)
        #expect(bad.err.contains("never started stage 9"))
    }

    @Test func simulatePlotDrawsTheCookWithItsTrueTemperature() throws {
        let directory = NSTemporaryDirectory() + "wok-plot-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let svg = directory + "/sim.svg"
        let result = try Wokctl.run(["simulate", "--plot", svg])
        #expect(result.status == 0, "\(result.err)")
        #expect(try PictureCheck.xmlProblem(svg) == nil)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("data-label=\"wok (true)\""))
        #expect(text.contains("data-label=\"wok (measured)\""))
        #expect(text.contains("Brown the pork"))

        let png = directory + "/sim.png"
        #expect(try Wokctl.run(["simulate", "--plot", png]).status == 0)
        try Self.expectTemperatureLineInsideTheAxes(png)
    }

    static func expectTemperatureLineInsideTheAxes(_ png: String) throws {
        let figures = try PictureCheck.png(png, rgb: measuredRGB, box: axesBox)
        #expect(figures.width == 1000 && figures.height == 560)
        #expect(figures.distinctColors > 20, "not blank")
        #expect(figures.colorInBox > 1000, "the measured line is drawn inside the axes")
        // Outside the axes only the legend's short swatch has the line's colour.
        #expect(figures.colorOutsideBox < 200)
    }
}

/// The simulator's generator, repeated here so the test needs no simulator import.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A daemon core in virtual time writing a history: a whole cook in well under a second, with
/// the kitchen helper and a confirmation, as `wokd --simulate` would write it.
enum VirtualDaemon {
    static func cook(into path: String, plant: PlantParameters = PlantParameters()) throws {
        let writer = try HistoryWriter(path: path, nowUnixSeconds: 1_750_000_000)
        let core = try DaemonCore(
            station: .standard, devices: try SimulatedDaemonDevices(plant: plant, seed: 5),
            recipeDirectories: [Wokctl.repositoryRoot.appendingPathComponent("recipes").path], speed: 1, isSimulated: true,
            records: MemoryCookRecordStore(), log: MemoryLog(), nowSeconds: 0, wallClock: { 1_750_000_000 }, journal: writer)
        let cook = Peer(description: "uid 1000 (cook) pid 42", mayChange: true)
        _ = core.handle(ControlRequest(id: 1, method: .start, params: ["recipe": "caramelised-pork-mince"]), from: cook)
        var now = 0.0
        while now < 3600, core.state != .done, core.state != .fault {
            now += 0.25
            core.tick(nowSeconds: now)
            core.flushJournal(realSeconds: now)
            if core.state == .waitingForCook {
                _ = core.handle(ControlRequest(id: 2, method: .next, params: JSONObject()), from: cook)
            }
        }
        _ = core.shutdown(reason: "test done")
    }
}
