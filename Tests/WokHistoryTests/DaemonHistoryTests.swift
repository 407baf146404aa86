import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon
@testable import WokHistory

@Suite struct DaemonHistoryTests {
    @Test func aCookWrittenByTheDaemonReadsBackIdentical() throws {
        let directory = try TemporaryDirectory()
        var rig = try HistoryRig(database: directory.database)
        let finished = try rig.cookCaramelisedPork()
        #expect(finished)
        #expect(rig.core.state == .done)

        let reader = try HistoryReader(path: directory.database)
        let cooks = try reader.cooks()
        try #require(cooks.count == 1)
        let cook = try #require(try reader.cook(id: cooks[0].id))
        let start = try #require(rig.journal.starts.first)
        let end = try #require(rig.journal.endings.first)

        #expect(cook.summary.recipeName == start.recipeName)
        #expect(cook.summary.recipeHash == recipeContentHash(start.recipeDocument))
        #expect(cook.recipeDocument == start.recipeDocument)
        #expect(cook.summary.startedBy == "uid 1000 (cook) pid 42")
        #expect(cook.summary.station == Station.standard.name)
        #expect(cook.summary.outcome == .completed)
        #expect(cook.summary.startedAtUnixSeconds == rig.wallSeconds)
        #expect(cook.summary.durationSeconds == end.stationSeconds - start.stationSeconds)

        // Every tick, value for value.
        let written = rig.journal.samples.map { sample in
            var relative = sample
            relative.timeSeconds -= start.stationSeconds
            return relative
        }
        #expect(cook.samples.count == written.count)
        #expect(cook.samples == written)
        #expect(written.contains { $0.trueC != nil }, "a simulated cook keeps the true temperature")

        // Every event, in order.
        let events = rig.journal.events.map { CookEventRecord($0.event, timeSeconds: $0.stationSeconds - start.stationSeconds) }
        #expect(cook.events == events)
        #expect(cook.events.contains { $0.name == "confirmed" })

        // The stage timeline: every stage started, in order, each ending where the next began.
        let recipeStages = rig.journal.starts[0].stages
        #expect(cook.stages.map(\.name) == recipeStages.map(\.name))
        #expect(cook.stages.map(\.targetC) == recipeStages.map(\.targetC))
        for (stage, next) in zip(cook.stages, cook.stages.dropFirst()) {
            #expect(stage.endedSeconds == next.startedSeconds)
        }
        #expect(cook.stages.last?.endedSeconds == cook.summary.durationSeconds)
        let analysis = StageAnalysis.stages(of: cook)
        #expect(analysis.count == recipeStages.count)
        let heated = analysis.filter { $0.stage.targetC != nil }
        #expect(heated.allSatisfy { $0.secondsToReach != nil && ($0.holdMeanAbsErrorC ?? 99) < 5 })
    }

    @Test func anAbortedCookAndTheNextAreTwoRowsNewestFirst() throws {
        let directory = try TemporaryDirectory()
        var rig = try HistoryRig(database: directory.database)
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        _ = rig.run(limitSeconds: 30, until: { _ in false })
        _ = try rig.ask(.abort).get()
        let finished = try rig.cookCaramelisedPork()
        #expect(finished)

        let cooks = try HistoryReader(path: directory.database).cooks()
        #expect(cooks.map(\.outcome) == [.completed, .aborted])
        #expect(cooks[1].reason?.contains("aborted by uid 1000") == true)
        #expect(try HistoryReader(path: directory.database).cooks(recipe: "PORK", limit: 1).count == 1)
        #expect(try HistoryReader(path: directory.database).cooks(recipe: "lamb").isEmpty)
    }

    @Test func aFaultEndsTheCookAndItsAcknowledgementIsKeptWithIt() throws {
        let directory = try TemporaryDirectory()
        var rig = try HistoryRig(database: directory.database, faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30, durationSeconds: 5)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(limitSeconds: 120, until: { $0["state"]?.stringValue == "fault" })
        #expect(faulted)
        _ = rig.run(limitSeconds: 10, until: { _ in false })
        _ = try rig.ask(.ack).get()
        _ = rig.run(limitSeconds: 1, until: { _ in false })

        let reader = try HistoryReader(path: directory.database)
        let newest = try #require(try reader.newestCookID())
        let cook = try #require(try reader.cook(id: newest))
        #expect(cook.summary.outcome == .fault)
        let latched = rig.journal.events.compactMap { entry -> SafetyFault? in
            if case .faultLatched(let fault) = entry.event { return fault }
            return nil
        }
        let fault = try #require(latched.first)
        #expect(cook.summary.reason == "\(fault.kind.rawValue): \(fault.reason)")
        #expect(cook.events.contains { $0.name == "fault" && $0.detail == fault.kind.rawValue })
        #expect(cook.events.last?.name == "fault-acknowledged")
    }

    @Test func aCookLeftRunningIsClosedAsInterruptedByTheNextDaemon() throws {
        let directory = try TemporaryDirectory()
        do {
            var rig = try HistoryRig(database: directory.database)
            _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
            _ = rig.run(limitSeconds: 20, until: { _ in false })
            // The daemon dies here: no shutdown, no end.
        }
        _ = try HistoryRig(database: directory.database)
        let cook = try #require(try HistoryReader(path: directory.database).cooks().first)
        #expect(cook.outcome == .interrupted)
        #expect(cook.durationSeconds > 18)
    }

    /// A resume from the first stage used to read as a new cook in the log and the history alike.
    @Test func aCookResumedFromItsFirstStageIsLoggedAndStoredAsAResume() throws {
        let directory = try TemporaryDirectory()
        let records = MemoryCookRecordStore()
        do {
            var rig = try HistoryRig(database: directory.database, records: records)
            _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
            _ = rig.run(limitSeconds: 5, until: { _ in false })
            #expect(rig.core.shutdown(reason: "SIGTERM"))
        }
        var rig = try HistoryRig(database: directory.database, records: records)
        _ = try rig.ask(.resume).get()
        _ = rig.run(limitSeconds: 2, until: { _ in false })
        let notices = rig.log.lines.map(\.message)
        #expect(notices.contains { $0.contains("resumed \"Vietnamese caramelised pork mince\" from stage 1 ") })
        #expect(!notices.contains { $0.contains(" started \"") })

        let cooks = try HistoryReader(path: directory.database).cooks()
        #expect(cooks.map(\.resumed) == [true, false])
        #expect(cooks.map(\.firstStageIndex) == [0, 0])
        #expect(cooks.map(\.outcome) == [.running, .interrupted])
    }

    @Test func aShutdownMidCookMarksItInterruptedWithTheReason() throws {
        let directory = try TemporaryDirectory()
        var rig = try HistoryRig(database: directory.database)
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        _ = rig.run(limitSeconds: 20, until: { _ in false })
        #expect(rig.core.shutdown(reason: "SIGTERM"))
        let cook = try #require(try HistoryReader(path: directory.database).cooks().first)
        #expect(cook.outcome == .interrupted)
        #expect(cook.reason == "wokd stopped (SIGTERM)")
        #expect(rig.core.snapshot()["historyStore"]?.objectValue?["ok"]?.boolValue == true)
    }
}
