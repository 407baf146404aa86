import Foundation
import Testing
import WokCore
import WokWeb
import WokWire

@Suite struct MetricsTextTests {
    func cookingView() -> StationView {
        var view = StationView()
        view.connected = true
        view.problem = nil
        view.snapshot = StationSnapshot(
            state: .cooking, recipe: "reheat", stage: .init(index: 1, name: "Heat \"through\"", elapsedSeconds: 20, remainingSeconds: 40),
            targetC: 180, temperatureC: 176.5, burnerOn: true, duty: 0.62, timeSeconds: 300, station: "test", simulated: true,
            historyStore: ["ok": true, "queued": 2, "droppedSamples": 0, "droppedEvents": 0, "writerStalledSeconds": 0],
            loop: .init(ticks: 3000, missedDeadlines: 1, latenessP50Ms: 0.2, latenessP99Ms: 1.5, latenessMaxMs: 3),
            shownReading: ShownReading(celsius: 176.5, trusted: true))
        view.faultsByKind = ["over-temperature": 2, "sensor\n\"odd\"": 1]
        view.burnerSwitches = 14
        return view
    }

    @Test func theFiguresAreThereWithUnitsAndCounters() {
        let text = MetricsText.render(cookingView(), streams: 3, version: "1.2.3")
        #expect(text.contains("wok_temperature_celsius 176.5\n"))
        #expect(text.contains("wok_target_celsius 180\n"))
        #expect(text.contains("wok_burner_on 1\n"))
        #expect(text.contains("wok_state{state=\"cooking\"} 1\n"))
        #expect(text.contains("wok_state{state=\"idle\"} 0\n"))
        #expect(text.contains("wok_stage_index 1\n"))
        #expect(text.contains("wok_faults_total{kind=\"over-temperature\"} 2\n"))
        #expect(text.contains("wok_faults_total{kind=\"sensor\\n\\\"odd\\\"\"} 1\n"), "label values escaped")
        #expect(text.contains("wok_burner_switches_total 14\n"))
        #expect(text.contains("wok_loop_missed_deadlines_total 1\n"))
        #expect(text.contains("\nwok_loop_lateness_p99_seconds 0.0015\n"))
        #expect(text.contains("wokweb_build_info{version=\"1.2.3\"} 1\n"))
        #expect(text.contains("wokweb_event_streams 3\n"))
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE") && line.hasSuffix(" counter") {
            #expect(line.split(separator: " ")[2].hasSuffix("_total"), "\(line)")
        }
    }

    @Test func aValueNotKnownNowHasNoSample() {
        var view = cookingView()
        view.snapshot?.shownReading = nil
        view.snapshot?.targetC = nil
        let text = MetricsText.render(view, streams: 0, version: "1")
        #expect(text.contains("# TYPE wok_temperature_celsius gauge\n"))
        #expect(!text.contains("\nwok_temperature_celsius "))
        #expect(!text.contains("\nwok_target_celsius "))
    }

    @Test(arguments: [true, false]) func promtoolAcceptsTheText(connected: Bool) throws {
        var view = connected ? cookingView() : StationView()
        view.faultsByKind["sensor-open"] = 1
        let text = MetricsText.render(view, streams: 1, version: "0.1.0")
        let result = try Promtool.checkMetrics(text)
        #expect(result.status == 0, "promtool: \(result.output)")
        #expect(result.output.isEmpty, "promtool's lint has nothing to say: \(result.output)")
    }
}

/// Debian's `promtool` (package prometheus, installed by .ci/setup).
enum Promtool {
    static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
