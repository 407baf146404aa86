import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The recipe every benchmark cooks: the default one, whose preheat lasts minutes.
let benchRecipe = "caramelised-pork-mince"

/// The default benchmark: resident memory, CPU use and the control loop's punctuality while
/// `wokd --simulate` cooks the default recipe with one well-behaved client and nothing else.
func runQuietBench(seconds: Double, speed: Double, busyOtherCore: Bool) -> Int32 {
    func fail(_ message: String) -> Int32 {
        print("wokd-bench: \(message)")
        return 1
    }
    // A private directory for the socket and state.
    let directory: String
    let daemon: ChildProcess
    do {
        directory = try makeTemporaryDirectory("wokd-bench")
        let wokd = try siblingBinary("wokd")
        let argv = [
            wokd, "--simulate", "--speed", String(speed), "--socket", directory + "/control.sock", "--state-dir", directory + "/state", "--recipes",
            "recipes",
        ]
        daemon = try ChildProcess(name: "wokd", argv: argv, standardError: directory + "/wokd.log")
    } catch {
        return fail("\(error)")
    }
    defer { removeTemporaryDirectory(directory) }

    var client: ControlClient?
    let readyBy = monotonic() + 10
    while client == nil && monotonic() < readyBy {
        client = try? ControlClient(path: directory + "/control.sock")
        if client == nil { usleep(20_000) }
    }
    guard let client else {
        daemon.stop()
        return fail("wokd did not start: \(lastLines(of: directory + "/wokd.log", count: 3).joined(separator: " | "))")
    }
    func status(_ client: ControlClient) -> JSONObject {
        guard case .success(let value)? = try? client.request(.status) else { return JSONObject() }
        return value.objectValue ?? JSONObject()
    }
    guard case .success? = try? client.request(.start, params: ["recipe": .string(benchRecipe)]) else {
        daemon.stop()
        return fail("could not start the default recipe")
    }

    // Keep the other core busy with a spinning process, as a compile or a browser beside the stove would.
    var spinner: ChildProcess?
    if busyOtherCore {
        do { spinner = try startSpinner() } catch { return fail("\(error)") }
    }

    // Measure: after a few seconds of warm-up, CPU and memory over the window.
    usleep(2_000_000)
    let cpuStart = cpuSeconds(daemon.pid) ?? 0
    let wallStart = monotonic()
    var peakResident = 0.0
    while monotonic() - wallStart < seconds {
        usleep(500_000)
        if let resident = statusKilobytes(daemon.pid, "VmRSS") { peakResident = max(peakResident, resident) }
    }
    let cpuUsed = (cpuSeconds(daemon.pid) ?? cpuStart) - cpuStart
    let wall = monotonic() - wallStart
    // A fresh connection, as wokctl makes: the daemon closes one left idle for 30 s.
    let final = (try? ControlClient(path: directory + "/control.sock")).map(status) ?? JSONObject()
    spinner?.stop(signal: SIGKILL)
    daemon.stop()

    let loop = final["loop"]?.objectValue ?? JSONObject()
    func figure(_ key: String) -> String { loop[key]?.numberValue.map { formatNumber($0) } ?? "-" }
    let cookState = final["state"]?.stringValue ?? "?"
    let stage = final["stage"]?.objectValue?["name"]?.stringValue ?? "-"
    print(
        "wokd --simulate at \(formatNumber(speed))x, default recipe, \(formatNumber(wall.rounded())) s measured, other core \(busyOtherCore ? "busy" : "idle")"
    )
    print("  cook at the end: \(cookState), stage \"\(stage)\"")
    print("  resident memory, peak: \(formatNumber((peakResident / 1024 * 10).rounded() / 10)) MB   (target: under 12 MB)")
    print(
        "  CPU: \(formatNumber((cpuUsed / wall * 10000).rounded() / 100)) % of one core (\(formatNumber((cpuUsed * 1000).rounded() / 1000)) s of CPU in \(formatNumber(wall.rounded())) s)   (target: under 1 %)"
    )
    print("  loop: \(figure("ticks")) ticks, \(figure("missedDeadlines")) missed deadlines")
    print(
        "  period jitter (lateness against the deadline): p50 \(figure("latenessP50Ms")) ms, p99 \(figure("latenessP99Ms")) ms, max \(figure("latenessMaxMs")) ms   (target: p99 under 2 ms)"
    )
    return 0
}
