import Glibc
import Testing
import WokCore
import WokSystem
import WokWire

@testable import WokDaemon

/// The daemon's runner against scripted clients in virtual time: what a crowd, a flood, a slow
/// reader or a signal does to the tick, the memory and the burner.
@Suite struct RunnerTests {
    @Test func aWholeCookIsServedToFiftyPollersAndTwoWatchersWithoutAMissedTick() throws {
        let rig = try RunnerRig()
        let watchers = [rig.cook(), rig.cook()]
        for watcher in watchers { watcher.send(line: ControlRequest(id: 1, method: .subscribe).line) }
        let pollers = (0..<50).map { _ in rig.cook() }
        rig.run(seconds: 1)
        guard case .result = try #require(rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])) else {
            Issue.record("start refused")
            return
        }
        var answered = 0
        var asked = 0
        var events: [String] = []
        while rig.core.state != .done, rig.now < 1000 + 3600 {
            for poller in pollers {
                poller.send(line: ControlRequest(id: 1, method: .status).line)
                asked += 1
            }
            rig.run(seconds: 1)
            for poller in pollers { answered += poller.receivedLines().count }
            for line in watchers[0].receivedLines() {
                if case .event(let event)? = ControlMessage.decode(line), let name = event["name"]?.stringValue { events.append(name) }
            }
            _ = watchers[1].receivedLines()
            if rig.core.state == .waitingForCook { _ = rig.ask(rig.cook(), .next) }
        }
        #expect(rig.core.state == .done)
        #expect(answered == asked, "every poll is answered")
        #expect(rig.runner.statistics.missedDeadlines == 0)
        #expect(events.contains("cook-completed"))
        #expect(!rig.core.burnerIsOn)
        #expect(pollers.allSatisfy { !$0.isClosedByDaemon } && watchers.allSatisfy { !$0.isClosedByDaemon }, "nobody busy was dropped")
    }

    @Test func aClientFloodingRequestsWithoutReadingCostsBoundedMemoryAndNeverBlocksAbort() throws {
        var limits = ClientLimits()
        limits.idleTimeoutSeconds = 10
        let rig = try RunnerRig(limits: limits)
        rig.run(seconds: 0.5)
        #expect(rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])?.snapshot != nil)
        let flooder = rig.cook()
        flooder.isReading = false
        var mostQueued = 0
        for _ in 0..<200 {
            // Far more than any budget: thousands of requests a tenth of a second.
            flooder.send(Array(String(repeating: ControlRequest(method: .status).line + "\n", count: 2000).utf8))
            rig.run(seconds: 0.1)
            mostQueued = max(mostQueued, rig.runner.queuedOutputBytes)
        }
        #expect(mostQueued <= limits.readPauseQueuedBytes + 16 * 1024 * 2, "replies wait in a bounded queue: \(mostQueued)")
        #expect(rig.runner.statistics.missedDeadlines == 0)
        let answer = try #require(rig.ask(rig.cook(), .abort))
        #expect(answer.snapshot?.burnerOn == false)
        // It takes nothing and sends nothing the daemon will read: it is idle, and let go.
        rig.run(seconds: limits.idleTimeoutSeconds + 2)
        #expect(flooder.isClosedByDaemon)
        #expect(rig.runner.queuedOutputBytes == 0)
    }

    @Test func watchersThatNeverReadAreDroppedWithinTheTotalBound() throws {
        var limits = ClientLimits()
        limits.maxQueuedBytesTotal = 1024 * 1024
        let rig = try RunnerRig(limits: limits, speed: 1)
        rig.run(seconds: 0.5)
        _ = rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])
        let watchers = (0..<100).map { _ in rig.cook() }
        for watcher in watchers {
            watcher.isReading = false
            watcher.socketBufferBytes = 8 * 1024
            watcher.send(line: ControlRequest(id: 1, method: .subscribe).line)
        }
        var mostQueued = 0
        for _ in 0..<600 {
            rig.run(seconds: 0.5)
            mostQueued = max(mostQueued, rig.runner.queuedOutputBytes)
        }
        #expect(mostQueued <= limits.maxQueuedBytesTotal + 64 * 1024, "all clients together: \(mostQueued) bytes")
        #expect(watchers.filter(\.isClosedByDaemon).count > 0)
        #expect(rig.runner.statistics.missedDeadlines == 0)
        #expect(rig.log.lines.contains { $0.message.contains("dropping") })
        #expect(rig.ask(rig.cook(), .abort)?.snapshot?.burnerOn == false)
    }

    @Test func aFullHouseOfIdleConnectionsNeverLocksOutAbort() throws {
        let rig = try RunnerRig()
        rig.run(seconds: 0.5)
        _ = rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])
        let idle = (0..<1000).map { _ in rig.source.connect(userID: 2000, groupID: 2000) }
        rig.run(seconds: 1)
        #expect(rig.runner.connectionCount <= ClientLimits().maxConnections)
        let late = rig.cook()
        let answer = try #require(rig.ask(late, .abort))
        #expect(answer.snapshot?.burnerOn == false, "abort answered with the burner off")
        #expect(rig.core.state != .cooking && rig.core.state != .preheating)
        #expect(idle.filter(\.isClosedByDaemon).count >= 1000 - ClientLimits().maxConnections)
        // The idle ones that remain time out.
        rig.run(seconds: ClientLimits().idleTimeoutSeconds + 2)
        #expect(rig.runner.connectionCount == 0)
    }

    @Test func outOfDescriptorsPausesAcceptingInsteadOfSpinning() throws {
        let rig = try RunnerRig()
        rig.source.descriptorLimit = 4
        let clients = (0..<4).map { _ in rig.cook() }
        rig.run(seconds: 0.5)
        let waiting = rig.cook()
        let before = rig.source.waits
        rig.run(seconds: 1)
        // Ticks (4 a second) and the listener's rests (10 a second) wake the loop, nothing else.
        #expect(rig.source.waits - before < 40, "\(rig.source.waits - before) waits in one second")
        _ = clients
        #expect(rig.log.lines.contains { $0.message.contains("not accepting") })
        _ = waiting
    }

    @Test func stopSignalsTurnTheBurnerOffAndOthersAreIgnored() throws {
        let rig = try RunnerRig()
        rig.run(seconds: 0.5)
        _ = rig.ask(rig.cook(), .start, ["recipe": "caramelised-pork-mince"])
        rig.run(seconds: 20)
        #expect(rig.core.burnerIsOn)
        for signal in [SIGUSR1, SIGUSR2, SIGALRM, SIGHUP, Int32(40)] {
            rig.source.raise(signal)
            #expect(rig.run(seconds: 0.5), "\(SignalReceiver.name(of: signal)) does not stop wokd")
        }
        #expect(rig.core.state != .idle)
        #expect(rig.log.lines.contains { $0.message.contains("SIGUSR1 received and ignored") })
        rig.source.raise(SIGQUIT)
        #expect(!rig.run(seconds: 0.5))
        #expect(rig.exitStatus == 0)
        #expect(!rig.core.burnerIsOn)
        #expect(rig.log.lines.contains { $0.message.contains("SIGQUIT during the cook") })
    }

    @Test func badLinesAreAnsweredWithTheirErrorAndALastLineWithoutNewlineIsAnswered() throws {
        let rig = try RunnerRig()
        let client = rig.cook()
        client.send([0x7B, 0xFF, 0xFE, 0x7D, 0x0A])
        #expect(rig.awaitAnswer(client)?.errorCode == .parseError, "invalid UTF-8")
        client.send(line: #"{"v":1,"method":"status","params":{"x":1}}"#)
        #expect(rig.awaitAnswer(client)?.errorCode == .invalidRequest, "params where none are taken")
        client.send(line: #"{"v":1,"method":"status","params":{}}"#)
        #expect(rig.awaitAnswer(client)?.snapshot != nil, "empty params are no params")
        let last = rig.cook()
        last.send(Array(#"{"v":1,"id":9,"method":"status"}"#.utf8))
        last.hangUp()
        #expect(rig.awaitAnswer(last)?.snapshot != nil)
        rig.run(seconds: 0.1)
        #expect(last.isClosedByDaemon)
        let huge = rig.cook()
        huge.send(Array(repeating: UInt8(ascii: "x"), count: ControlProtocol.maxRequestBytes + 10))
        #expect(rig.awaitAnswer(huge)?.errorCode == .requestTooLarge)
        rig.run(seconds: 0.1)
        #expect(huge.isClosedByDaemon)
    }

    @Test func strangersMayWatchAndTheStationsGroupMaySteer() throws {
        let rig = try RunnerRig()
        let stranger = rig.source.connect(userID: 2000, groupID: 2000)
        #expect(rig.ask(stranger, .status)?.snapshot != nil)
        #expect(rig.ask(stranger, .start, ["recipe": "reheat"])?.errorCode == .notPermitted)
        #expect(rig.log.lines.contains { $0.message.contains("may not start") })
        let member = rig.source.connect(userID: 2001, groupID: RunnerRig.stationGroupID)
        #expect(rig.ask(member, .start, ["recipe": "reheat"])?.snapshot?.recipe != nil)
    }

    @Test func aRecipeSentByContentIsValidatedAndStarted() throws {
        let rig = try RunnerRig()
        let text = try readSmallFile(CoreRig.recipes + "/reheat.json", maxBytes: 1 << 20)
        let answer = try #require(rig.ask(rig.cook(), .start, ["document": .string(text), "source": "my-reheat.json"]))
        #expect(answer.snapshot?.state != .idle)
        #expect(rig.log.lines.contains { $0.message.contains("my-reheat.json") })
        _ = rig.ask(rig.cook(), .abort)
        let bad = try #require(rig.ask(rig.cook(), .start, ["document": "{\"name\": \"x\"}", "source": "bad\u{1B}[2J.json"]))
        #expect(bad.errorCode == .invalidRequest, "a source label with control characters")
    }
}
