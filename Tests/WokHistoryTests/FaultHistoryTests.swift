import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon
@testable import WokHistory

/// A faulted cook as the history keeps it: it ends at the fault, and the wok after it is kept too.
@Suite struct FaultHistoryTests {
    /// Runs the caramelised pork into a thermocouple that comes loose at 30 s and is plugged back
    /// 10 s later, then `latchedSeconds` with the fault latched, acknowledges, and runs 5 s more.
    static func faultedCook(_ directory: TemporaryDirectory, latchedSeconds: Double = 30) throws -> (HistoryRig, ackSeconds: Double) {
        var rig = try HistoryRig(database: directory.database, faults: [FaultInjection(kind: .sensorOpen, atSeconds: 30, durationSeconds: 10)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(limitSeconds: 120, until: { $0["state"]?.stringValue == "fault" })
        try #require(faulted)
        _ = rig.run(limitSeconds: latchedSeconds, until: { _ in false })
        _ = try rig.ask(.ack).get()
        let ackSeconds = rig.now
        _ = rig.run(limitSeconds: 5, until: { _ in false })
        return (rig, ackSeconds)
    }

    @Test func aFaultedCooksDurationEndsAtTheFaultNotAtTheAcknowledgement() throws {
        let directory = try TemporaryDirectory()
        let (rig, ackSeconds) = try Self.faultedCook(directory)
        let start = try #require(rig.journal.starts.first)
        let end = try #require(rig.journal.endings.first)
        #expect(end.outcome == .fault)

        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        #expect(cook.summary.outcome == .fault)
        #expect(cook.summary.durationSeconds == end.stationSeconds - start.stationSeconds, "the fault's time, not the ack's")
        #expect(cook.summary.durationSeconds < ackSeconds - start.stationSeconds - 20)
        #expect(cook.summary.endedAtUnixSeconds == rig.wallSeconds)
        let acknowledged = try #require(cook.events.last)
        #expect(acknowledged.name == "fault-acknowledged")
        #expect(acknowledged.timeSeconds > cook.summary.durationSeconds, "the acknowledgement is kept with the cook, after its end")
        #expect(cook.stages.compactMap(\.endedSeconds).allSatisfy { $0 <= cook.summary.durationSeconds })
    }

    @Test func theWokAfterTheFaultIsRecordedUntilTheAcknowledgementAndReadsBackIdentical() throws {
        let directory = try TemporaryDirectory()
        let (rig, ackSeconds) = try Self.faultedCook(directory)
        let start = try #require(rig.journal.starts.first).stationSeconds
        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))

        // Every tick the daemon wrote, the cool-down included, value for value.
        let written = rig.journal.samples.map { sample in
            var relative = sample
            relative.timeSeconds -= start
            return relative
        }
        #expect(cook.samples == written)

        let after = cook.samples.filter { $0.timeSeconds > cook.summary.durationSeconds }
        #expect(after.count >= 100, "the ticks after the fault are kept: \(after.count)")
        #expect(after.allSatisfy { $0.measuredC == nil && !$0.burnerOn }, "control used nothing and the burner stayed off")
        #expect(after.contains { $0.shownReading == nil }, "the open thermocouple: no reading")
        let pluggedBack = after.compactMap(\.shownReading)
        #expect(!pluggedBack.isEmpty)
        #expect(pluggedBack.allSatisfy { !$0.trusted }, "the sensor's own fault: shown, not trusted")
        #expect((cook.samples.last?.timeSeconds ?? .infinity) <= ackSeconds - start, "nothing after the acknowledgement")
        // Before the fault, the shown reading is what control used.
        let before = cook.samples.filter { $0.timeSeconds < cook.summary.durationSeconds }
        #expect(before.allSatisfy { $0.shownReading == $0.measuredC.map { ShownReading(celsius: $0, trusted: true) } })
    }

    @Test func theRecordAfterAFaultStopsAtItsBoundAndAtTheNextCook() throws {
        let directory = try TemporaryDirectory()
        // A converter that stays frozen: the fault stays latched, nobody acknowledges it.
        var rig = try HistoryRig(database: directory.database, faults: [FaultInjection(kind: .frozen, atSeconds: 30)])
        _ = try rig.ask(.start, ["recipe": "caramelised-pork-mince"]).get()
        let faulted = rig.run(limitSeconds: 120, until: { $0["state"]?.stringValue == "fault" })
        try #require(faulted)
        _ = rig.run(limitSeconds: FaultCoolDown.maxSeconds + 60, until: { _ in false })
        let cook = try #require(try HistoryReader(path: directory.database).cook(id: 1))
        let last = try #require(cook.samples.last)
        #expect(last.timeSeconds <= cook.summary.durationSeconds + FaultCoolDown.maxSeconds)
        #expect(last.timeSeconds > cook.summary.durationSeconds + FaultCoolDown.maxSeconds - 1)
        #expect(cook.samples.filter { $0.timeSeconds > cook.summary.durationSeconds }.allSatisfy { $0.shownReading?.trusted == false })
    }

    @Test func aNewCookTakesNoSampleOfTheFaultedOne() throws {
        let directory = try TemporaryDirectory()
        var (rig, _) = try Self.faultedCook(directory, latchedSeconds: 15)
        let before = try #require(try HistoryReader(path: directory.database).cook(id: 1)).samples.count
        _ = try rig.ask(.start, ["recipe": "reheat"]).get()
        _ = rig.run(limitSeconds: 20, until: { _ in false })
        let reader = try HistoryReader(path: directory.database)
        #expect(try #require(try reader.cook(id: 1)).samples.count == before)
        let second = try #require(try reader.cook(id: 2))
        #expect(second.samples.count >= 79)
        #expect(second.samples.first.map { $0.timeSeconds < 1 } == true)
    }
}
