import WokCore

/// What one scenario measured.
struct ScenarioResult {
    let scenario: HostileScenario
    /// Why it could not run at all.
    var setupProblem: String?
    var cookStarted = false
    /// When the load began (monotonic seconds): statistics read before it say nothing about it.
    var loadStartedAt: Double?
    var loadSecondsRun = 0.0
    /// What the load process said it did.
    var loadReport: [String] = []
    var probe: AbortProbe?
    var finalStatusRead = false
    var highWaterKilobytes: Double?
    var killedAtKilobytes: Double?
    var aliveAtEnd = false
    /// How it ended by itself (or by the bench's memory ceiling) before the end, if it did.
    var diedHow: ChildEnd?
    /// How it stopped when asked to at the end.
    var stoppedHow: ChildEnd?
    var daemonLogTail: [String] = []
    var shimLoaded: Bool?
    var stalls: [String] = []
}

/// The targets the hostile benchmark holds the daemon to (docs/daemon.md).
enum HostileTargets {
    static let latenessMaxMilliseconds = 20.0
    static let highWaterMegabytes = 24.0
}

private func verdict(_ met: Bool?) -> String {
    switch met {
    case true?: "met"
    case false?: "MISSED"
    case nil: "unknown"
    }
}

private func rounded(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return formatNumber((value * scale).rounded() / scale)
}

extension ScenarioResult {
    /// The daemon's loop statistics, if it answered a status after the load began.
    var loop: JSONObject? {
        guard let seen = probe?.loopSeenAt, let start = loadStartedAt, seen >= start else { return nil }
        return probe?.loop
    }
    var latenessMaxMilliseconds: Double? { loop?["latenessMaxMs"]?.numberValue }
    var highWaterMegabytes: Double? { highWaterKilobytes.map { $0 / 1024 } }
    var abortsAllInTime: Bool? {
        guard let probe, !probe.attempts.isEmpty else { return nil }
        return probe.answeredInTime == probe.attempts.count
    }
}

func printHostileHeader(_ settings: HostileSettings) {
    let core = settings.busyOtherCore ? "busy" : "idle"
    print("wokd-bench --hostile: each scenario against a fresh wokd --simulate at 1x, the default recipe cooking")
    print(
        "  each load runs \(formatNumber(settings.loadSeconds)) s after a \(formatNumber(HostileSettings.warmUpSeconds)) s warm-up; other core \(core)"
    )
    print(
        "  every \(formatNumber(settings.probeEverySeconds)) s a well-behaved client aborts on a fresh connection (waiting up to "
            + "\(formatNumber(AbortProbe.answerWaitSeconds)) s), then starts the cook again")
    print("  the daemon is killed past \(formatNumber(settings.maxDaemonMegabytes)) MB resident (--max-daemon-mb)")
    print("  note: simulated station time follows the ticks, so a late loop cannot latch loop-stalled here; on real devices it would")
}

/// Distinct messages with how often each came: `a (x3); b (x1)`.
private func tally(_ messages: [String]) -> String {
    Dictionary(grouping: messages) { $0 }.map { "\($0.key) (x\($0.value.count))" }.sorted().joined(separator: "; ")
}

/// One figure with its target and whether it was met.
private func figure(_ name: String, _ value: String, target: String, met: Bool?) {
    print("  \(name): \(value)   (target: \(target): \(verdict(met)))")
}

func printScenario(_ result: ScenarioResult, _ settings: HostileSettings) {
    print("")
    print("\(result.scenario.rawValue): \(result.scenario.summary(stallEverySeconds: settings.stallEverySeconds))")
    if let problem = result.setupProblem {
        print("  NOT RUN: \(problem)")
        return
    }
    if !result.cookStarted { print("  (the cook did not start before the load)") }
    for line in result.loadReport { print("  load: \(line)") }
    if let loaded = result.shimLoaded {
        let state = loaded ? "loaded into wokd" : "NOT LOADED (no line in its log)"
        print("  shim: \(state), \(result.stalls.count) stall(s): \(result.stalls.joined(separator: "; "))")
    }

    // The loop's own statistics: the daemon keeps p50, p99 and max of its last 8192 ticks.
    if let loop = result.loop {
        func ms(_ key: String) -> String { loop[key]?.numberValue.map { formatNumber($0) } ?? "-" }
        figure(
            "loop lateness p50 / p99 / max", "\(ms("latenessP50Ms")) / \(ms("latenessP99Ms")) / \(ms("latenessMaxMs")) ms",
            target: "max under \(formatNumber(HostileTargets.latenessMaxMilliseconds)) ms",
            met: result.latenessMaxMilliseconds.map { $0 < HostileTargets.latenessMaxMilliseconds })
        let source = result.finalStatusRead ? "the status read after the load" : "the last status answered, before the end"
        print("    \(ms("missedDeadlines")) missed deadlines in \(ms("ticks")) ticks (from \(source))")
    } else {
        print("  loop lateness: unknown (the daemon answered no status after the load began)")
    }
    figure(
        "daemon VmHWM", result.highWaterMegabytes.map { rounded($0, 1) + " MB" } ?? "unknown",
        target: "under \(formatNumber(HostileTargets.highWaterMegabytes)) MB",
        met: result.highWaterMegabytes.map { $0 < HostileTargets.highWaterMegabytes })

    if let probe = result.probe {
        let within = formatNumber(AbortProbe.answerTargetSeconds)
        let slowest = probe.worstAnsweredSeconds.map { rounded($0, 3) + " s" } ?? "-"
        figure(
            "abort",
            "\(probe.answeredInTime) of \(probe.attempts.count) answered within \(within) s, slowest answer \(slowest), \(probe.unanswered) not answered",
            target: "all within \(within) s", met: result.abortsAllInTime)
        let times = probe.attempts.map { rounded($0.seconds, 3) + ($0.failure == nil ? "" : "*") }
        print("    each, in s (* not answered): \(times.joined(separator: ", "))")
        let failures = tally(probe.attempts.compactMap(\.failure))
        if !failures.isEmpty { print("    not answered: \(failures)") }
        let others = tally(probe.otherProblems)
        if !others.isEmpty { print("    also: \(others)") }
        figure("fault latched", probe.fault ?? "none", target: "none", met: probe.fault == nil)
    }
    if result.aliveAtEnd {
        let stopped = result.stoppedHow.map { "\($0)" } ?? "did not stop in time, killed"
        print("  daemon alive at the end: yes (then stopped with SIGTERM: \(stopped))")
    } else {
        let how =
            result.killedAtKilobytes.map { "killed by the bench at \(rounded($0 / 1024, 0)) MB resident (--max-daemon-mb)" }
            ?? result.diedHow.map { "\($0)" } ?? "gone"
        print("  daemon alive at the end: NO, \(how), \(formatNumber(result.loadSecondsRun.rounded())) s into the load")
        for line in result.daemonLogTail { print("    wokd.log: \(line)") }
    }
}

private func column(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }

func printSummary(_ results: [ScenarioResult]) {
    print("")
    print("scenario     lateness max   VmHWM        aborts in 1 s   slowest abort answer   fault   alive")
    for result in results {
        guard result.setupProblem == nil else {
            print(column(result.scenario.rawValue, 13) + "not run")
            continue
        }
        let lateness = result.latenessMaxMilliseconds.map { formatNumber($0) + " ms" } ?? "?"
        let highWater = result.highWaterMegabytes.map { rounded($0, 1) + " MB" } ?? "?"
        let aborts = result.probe.map { "\($0.answeredInTime) of \($0.attempts.count)" } ?? "?"
        var worst = result.probe?.worstAnsweredSeconds.map { rounded($0, 2) + " s" } ?? "-"
        if let unanswered = result.probe?.unanswered, unanswered > 0 { worst += " (\(unanswered) unanswered)" }
        let fault = result.probe?.fault == nil ? "none" : "LATCHED"
        print(
            column(result.scenario.rawValue, 13) + column(lateness, 15) + column(highWater, 13) + column(aborts, 16) + column(worst, 23)
                + column(fault, 8) + (result.aliveAtEnd ? "yes" : "NO"))
    }
    print(
        "targets      " + column("under \(formatNumber(HostileTargets.latenessMaxMilliseconds)) ms", 15)
            + column("under \(formatNumber(HostileTargets.highWaterMegabytes)) MB", 13) + column("all", 16)
            + column("under \(formatNumber(AbortProbe.answerTargetSeconds)) s", 23) + column("none", 8) + "yes")
}
