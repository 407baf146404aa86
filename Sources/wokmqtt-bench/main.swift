// The bridge's benchmark: a local mosquitto, `wokd --simulate` cooking the default recipe and the
// built `wokmqtt` between them. It prints the bridge's resident memory and CPU over the run, and the
// time from wokd pushing a burner change to an MQTT subscriber receiving it (p50, p99, max), both
// observers in this process on one monotonic clock. Build with the rest, then from the repository
// root: `.build/release/wokmqtt-bench [--seconds N] [--speed X]`.
import CMosquitto
import Foundation
import WokClient
import WokCore
import WokSystem
import WokWire

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// The processes this bench started; ended however it ends.
var children: [Process] = []

@MainActor func endChildren() {
    for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
}

@MainActor func fail(_ message: String) -> Never {
    print("wokmqtt-bench: \(message)")
    endChildren()
    exit(1)
}

func sibling(_ name: String) -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
}

func launch(_ path: String, _ arguments: [String], log: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    guard FileManager.default.createFile(atPath: log, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log])
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
}

func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicSeconds() + seconds
    while monotonicSeconds() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// VmRSS and VmHWM in KiB, and user+system CPU seconds, of a process.
func usage(of pid: Int32) -> (rssKiB: Int, peakKiB: Int, cpuSeconds: Double) {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Int {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "") ?? 0
    }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th there.
    let rest = stat.split(separator: ")").last?.split(separator: " ") ?? []
    let ticks = rest.count > 12 ? (Double(rest[11]) ?? 0) + (Double(rest[12]) ?? 0) : 0
    return (field("VmRSS"), field("VmHWM"), ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
}

func percentile(_ sorted: [Double], _ share: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * share).rounded()))]
}

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()), valued: ["seconds", "speed"], flags: [])
} catch {
    fail("\(error)\nUsage: wokmqtt-bench [--seconds N] [--speed X]")
}
let seconds = Double(arguments.value("seconds") ?? "60") ?? 60
let speed = Double(arguments.value("speed") ?? "10") ?? 10
signal(SIGPIPE, SIG_IGN)

var template = Array("/tmp/wokmqtt-bench-XXXXXX".utf8CString)
guard let made = mkdtemp(&template) else { fail("mkdtemp failed") }
let directory = String(cString: made)
let port = 20000 + Int(getpid() % 20000)

do {
    try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\n".write(
        toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
    children.append(try launch("/usr/sbin/mosquitto", ["-c", directory + "/mosquitto.conf"], log: directory + "/mosquitto.log"))
    let socket = directory + "/control.sock"
    children.append(
        try launch(
            sibling("wokd"),
            ["--simulate", "--speed", String(speed), "--socket", socket, "--state-dir", directory + "/state", "--recipes", "recipes"],
            log: directory + "/wokd.log"))
    guard waitFor(30, { (try? ControlClient(path: socket)) != nil }) else { fail("wokd did not start: see \(directory)/wokd.log") }
    try """
    {"station": "bench", "mqtt": {"host": "127.0.0.1", "port": \(port), "maxBackoffSeconds": 1}}
    """.write(toFile: directory + "/mqtt.json", atomically: true, encoding: .utf8)
    let bridge = try launch(sibling("wokmqtt"), ["--config", directory + "/mqtt.json", "--socket", socket], log: directory + "/wokmqtt.log")
    children.append(bridge)

    // The MQTT subscriber, on libmosquitto's own thread.
    mosquitto_lib_init()
    guard let subscriber = mosquitto_new("wokmqtt-bench-subscriber", true, nil) else { fail("mosquitto_new failed") }
    observeBurner(subscriber)
    guard waitFor(30, { mosquitto_connect(subscriber, "127.0.0.1", Int32(port), 30) == MOSQ_ERR_SUCCESS.rawValue }) else {
        fail("mosquitto did not start: see \(directory)/mosquitto.log")
    }
    mosquitto_subscribe(subscriber, nil, "wok/bench/state", 0)
    mosquitto_loop_start(subscriber)

    // The direct observer: wokd's own subscription.
    let watcher = try ControlClient(path: socket)
    guard case .success = try watcher.subscribe() else { fail("wokd refused the subscription") }
    guard case .success = try ControlClient(path: socket).command(.start, params: ["recipe": "caramelised-pork-mince"]) else {
        fail("wokd refused to start the cook")
    }
    var seenAtWokd: [(Double, Bool)] = []
    var lastConfirm = 0.0
    let startUsage = usage(of: bridge.processIdentifier)
    let started = monotonicSeconds()
    while monotonicSeconds() - started < seconds {
        guard case .snapshot(let snapshot) = try watcher.nextPush(timeoutSeconds: 1) else { continue }
        if seenAtWokd.last?.1 != snapshot.burnerOn { seenAtWokd.append((monotonicSeconds(), snapshot.burnerOn)) }
        // A confirm stage waits for the cook: confirm it so the cook goes on (once a second at
        // most, so this observer stays a prompt reader).
        if snapshot.state == .waitingForCook, monotonicSeconds() - lastConfirm > 1 {
            lastConfirm = monotonicSeconds()
            _ = try? ControlClient(path: socket).command(.next)
        }
    }
    let elapsed = monotonicSeconds() - started
    let endUsage = usage(of: bridge.processIdentifier)
    mosquitto_loop_stop(subscriber, true)

    // Each change on the broker against wokd's change to the same value nearest in time (within
    // 2 s); the first entry of each list is the state found at the start, not a change. Both
    // observers read wokd's pushes, so a figure can come out a little below zero when this
    // process's own reader was the later one.
    let onBroker = seenOnBroker.withLock { $0 }
    var latencies: [Double] = []
    var used: Set<Int> = [0]
    for (time, on) in onBroker.dropFirst() where time <= started + elapsed {
        let candidates = seenAtWokd.indices.filter { !used.contains($0) && seenAtWokd[$0].1 == on && abs(seenAtWokd[$0].0 - time) < 2 }
        guard let index = candidates.min(by: { abs(seenAtWokd[$0].0 - time) < abs(seenAtWokd[$1].0 - time) }) else { continue }
        used.insert(index)
        latencies.append((time - seenAtWokd[index].0) * 1000)
    }
    latencies.sort()
    if onBroker.isEmpty {
        fail("nothing reached the subscriber; the logs are in \(directory)")
    }
    print("wokmqtt-bench: \(formatNumber(elapsed.rounded())) s at speed \(formatNumber(speed)), default recipe")
    print("  bridge memory: VmRSS \(endUsage.rssKiB / 1024) MiB, peak VmHWM \(endUsage.peakKiB / 1024) MiB")
    let cpu = (endUsage.cpuSeconds - startUsage.cpuSeconds) / elapsed * 100
    print("  bridge CPU: \(String(format: "%.1f", cpu)) % of one core")
    print("  burner changes: \(seenAtWokd.count) pushed by wokd, \(onBroker.count) received on the broker, \(latencies.count) matched")
    print(
        "  wokd push to MQTT subscriber: p50 \(String(format: "%.1f", percentile(latencies, 0.5))) ms, "
            + "p99 \(String(format: "%.1f", percentile(latencies, 0.99))) ms, max \(String(format: "%.1f", latencies.last ?? .nan)) ms")
} catch {
    fail("\(error)")
}
endChildren()
try? FileManager.default.removeItem(atPath: directory)
