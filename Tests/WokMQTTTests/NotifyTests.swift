import Foundation
import Testing
import WokCore
import WokNotify
import WokWire

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// Polls `condition` until it holds: a liveness bound for a loaded host, never a measure of speed.
func eventually(limitSeconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limitSeconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

func temporaryDirectory() -> String {
    var template = Array("/tmp/wokmqtt-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { return "/tmp" }
    return String(cString: made)
}

@Suite struct NotifyTests {
    let station = StationSnapshot(
        state: .waitingForCook, recipe: "Caramelised pork mince", stage: .init(index: 1, name: "Caramel", elapsedSeconds: 200, remainingSeconds: nil),
        temperatureC: 181.26, station: "Kitchen", shownReading: ShownReading(celsius: 181.26, trusted: true))

    @Test func eventsMapToTheKindsPeopleAreToldAbout() {
        #expect(NotificationRule.kind(ofEvent: "prompt") == .prompt)
        #expect(NotificationRule.kind(ofEvent: "awaiting-confirmation") == .prompt)
        #expect(NotificationRule.kind(ofEvent: "confirmation-overdue") == .warning)
        #expect(NotificationRule.kind(ofEvent: "fault") == .fault)
        #expect(NotificationRule.kind(ofEvent: "alarm") == .alarm)
        #expect(NotificationRule.kind(ofEvent: "cook-completed") == .cookEnded)
        #expect(NotificationRule.kind(ofEvent: "cook-aborted") == .cookEnded)
        #expect(NotificationRule.kind(ofEvent: "stage-started") == nil)
        #expect(NotificationRule.kind(ofEvent: "target-reached") == nil)
    }

    @Test func theEnvironmentNamesTheStationRecipeStageAndTemperature() {
        let event = WireEvent(name: "awaiting-confirmation", message: "stage 2: waiting for the cook to confirm", timeSeconds: 300, stageIndex: 1)
        let notification = NotificationRule.notification(for: event, station: station)
        let environment = Dictionary(uniqueKeysWithValues: notification?.environment ?? [])
        #expect(environment["WOK_EVENT"] == "prompt")
        #expect(environment["WOK_EVENT_NAME"] == "awaiting-confirmation")
        #expect(environment["WOK_MESSAGE"] == "stage 2: waiting for the cook to confirm")
        #expect(environment["WOK_STATION"] == "Kitchen")
        #expect(environment["WOK_RECIPE"] == "Caramelised pork mince")
        #expect(environment["WOK_STAGE"] == "Caramel")
        #expect(environment["WOK_TEMPERATURE_C"] == "181.3")
        let long = Notification(
            kind: .fault, event: "fault", message: String(repeating: "é", count: 3000), station: "", recipe: nil, stage: nil, temperatureC: nil)
        let message = long.environment.first { $0.0 == "WOK_MESSAGE" }?.1 ?? ""
        #expect(message.utf8.count <= 1024 && message.hasSuffix("..."))
    }

    @Test func theBudgetAllowsABurstThenOneEveryFewSeconds() {
        var budget = RateBudget(perMinute: 6)
        let times: [Double] = [0, 0, 0, 0, 0, 0, 0, 9, 10.5, 11, 5]
        let taken = times.map { budget.take(atSeconds: $0) }
        // Six at once, then none until ten seconds have refilled one; a clock that goes backwards
        // gives nothing back.
        #expect(taken == [true, true, true, true, true, true, false, false, true, false, false])
    }

    @Test func aCommandRunsWithTheEnvironmentAndNoShell() throws {
        let directory = temporaryDirectory()
        let log = LogLines()
        // `env` itself, no shell: its output goes to /dev/null, so write through a file argument.
        let script = directory + "/record.sh"
        try "#!/bin/sh\nenv | grep '^WOK_' | sort > \"$1\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let runner = ChildRunner(config: NotifyConfig(command: [script, directory + "/env.txt"]), log: log.add)
        let notification = Notification(
            kind: .fault, event: "fault", message: "over-limit; it's \"hot\"", station: "Kitchen", recipe: "Reheat", stage: "Warm",
            temperatureC: 301.04)
        #expect(runner.start(notification, now: 0) != nil)
        #expect(eventually { runner.poll(now: 0).contains { $0.outcome == .exited(status: 0) } })
        let text = (try? String(contentsOfFile: directory + "/env.txt", encoding: .utf8)) ?? ""
        #expect(text.contains("WOK_EVENT=fault\n"))
        #expect(text.contains("WOK_MESSAGE=over-limit; it's \"hot\"\n"))
        #expect(text.contains("WOK_STATION=Kitchen\n"))
        #expect(text.contains("WOK_RECIPE=Reheat\n"))
        #expect(text.contains("WOK_STAGE=Warm\n"))
        #expect(text.contains("WOK_TEMPERATURE_C=301.0\n"))
        #expect(log.all.isEmpty, "\(log.all)")
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func aSlowCommandIsKilledAtItsTimeoutWithWhatItStarted() throws {
        let directory = temporaryDirectory()
        let log = LogLines()
        // A shell that starts a child of its own: the whole group must go.
        let config = NotifyConfig(command: ["sleep 600 & echo $! > \(directory)/child.pid; wait"], shell: true, timeoutSeconds: 1)
        let runner = ChildRunner(config: config, log: log.add)
        let start = monotonicNow()
        guard
            let pid = runner.start(
                Notification(kind: .alarm, event: "alarm", message: "m", station: "s", recipe: nil, stage: nil, temperatureC: nil), now: start)
        else {
            Issue.record("not started")
            return
        }
        // Still running before its time is up, whatever the host's speed.
        #expect(runner.poll(now: start).isEmpty)
        #expect(kill(pid, 0) == 0)
        var outcome: ChildRunner.Outcome?
        #expect(
            eventually {
                outcome = runner.poll(now: monotonicNow()).first?.outcome ?? outcome
                return outcome != nil
            })
        #expect(outcome == .timedOut)
        #expect(runner.running.isEmpty)
        let childPID = Int32(
            ((try? String(contentsOfFile: directory + "/child.pid", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if let childPID {
            #expect(eventually { kill(childPID, 0) != 0 }, "the shell's own child was killed too")
        }
        #expect(log.all.contains { $0.contains("was killed") })
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func aFailingOrMissingCommandIsLoggedAndNothingWaits() {
        let log = LogLines()
        let failing = ChildRunner(config: NotifyConfig(command: ["/bin/false"]), log: log.add)
        let note = Notification(kind: .prompt, event: "prompt", message: "m", station: "s", recipe: nil, stage: nil, temperatureC: nil)
        #expect(failing.start(note, now: 0) != nil)
        #expect(eventually { !failing.poll(now: 0).isEmpty })
        #expect(log.all.contains { $0.contains("exit status 1") })
        let missing = ChildRunner(config: NotifyConfig(command: ["/nonexistent/notify-me"]), log: log.add)
        #expect(missing.start(note, now: 0) == nil || eventually { !missing.poll(now: 0).isEmpty })
        #expect(log.all.count >= 2)
    }

    @Test func childrenAtOnceAreBounded() {
        let log = LogLines()
        let runner = ChildRunner(config: NotifyConfig(command: ["sleep", "600"], timeoutSeconds: 1, maxRunning: 2), log: log.add)
        let note = Notification(kind: .prompt, event: "prompt", message: "m", station: "s", recipe: nil, stage: nil, temperatureC: nil)
        #expect(runner.start(note, now: 0) != nil)
        #expect(runner.start(note, now: 0) != nil)
        #expect(runner.start(note, now: 0) == nil)
        #expect(log.all.contains { $0.contains("dropped") })
        #expect(eventually { runner.poll(now: 1000).count >= 0 && runner.running.isEmpty })
    }
}

func monotonicNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
