import Glibc
import WokCore
import WokClient
import WokSystem
import WokWire

/// The daemon's benchmark: resident memory, CPU use and the control loop's punctuality while
/// `wokd --simulate` cooks the default recipe at real-time speed, with the other core kept busy.
/// Run from the repository root: `swift run -c release wokd-bench [--seconds N] [--idle-core]`.

let usage = "Usage: wokd-bench [--seconds N] [--speed X] [--idle-core]   (run from the repository root)"

func fail(_ message: String) -> Never {
    print("wokd-bench: \(message)")
    exit(1)
}

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()), valued: ["seconds", "speed"], flags: ["idle-core", "help"])
} catch {
    fail("\(error.message)\n\(usage)")
}
if arguments.has("help") {
    print(usage)
    exit(0)
}
let seconds = arguments.value("seconds").flatMap(Double.init) ?? 60
let speed = arguments.value("speed").flatMap(Double.init) ?? 1
guard seconds >= 5, seconds <= 3600, speed >= 1, speed <= 1000 else { fail("--seconds 5...3600, --speed 1...1000") }

/// The `wokd` built beside this benchmark (the same configuration).
func siblingBinary(_ name: String) -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { fail("cannot find my own path") }
    let me = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return parentDirectory(me) + "/" + name
}

func clockTicksPerSecond() -> Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

/// User plus system CPU seconds of a process, from /proc/PID/stat.
func cpuSeconds(_ pid: pid_t) -> Double? {
    guard let text = try? readSmallFile("/proc/\(pid)/stat", maxBytes: 4096),
        let close = text.lastIndex(of: ")")
    else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / clockTicksPerSecond()
}

/// Resident memory in kB, from /proc/PID/status.
func residentKilobytes(_ pid: pid_t) -> Double? {
    guard let text = try? readSmallFile("/proc/\(pid)/status", maxBytes: 64 * 1024) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
    }
    return nil
}

func monotonic() -> Double { SystemLoopClock().nowSeconds() }

// A private directory for the socket and state.
var template = Array("/tmp/wokd-bench-XXXXXX".utf8CString)
guard mkdtemp(&template) != nil else { fail("mkdtemp failed") }
let directory = String(cString: template)
let socketPath = directory + "/control.sock"

// Start the daemon.
let wokd = siblingBinary("wokd")
guard fileExists(wokd) else { fail("\(wokd) is missing; build it with `swift build -c release`") }
let argv = [wokd, "--simulate", "--speed", String(speed), "--socket", socketPath, "--state-dir", directory + "/state", "--recipes", "recipes"]
var pid: pid_t = 0
var cArguments = argv.map { strdup($0) } + [nil]
var fileActions = posix_spawn_file_actions_t()
posix_spawn_file_actions_init(&fileActions)
posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
posix_spawn_file_actions_addopen(&fileActions, 2, directory + "/wokd.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
guard posix_spawn(&pid, wokd, &fileActions, nil, &cArguments, environ) == 0 else { fail("cannot start \(wokd)") }

func stopDaemon(_ pid: pid_t) {
    kill(pid, SIGTERM)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
}

var client: ControlClient?
let readyBy = monotonic() + 10
while client == nil && monotonic() < readyBy {
    client = try? ControlClient(path: socketPath)
    if client == nil { usleep(20_000) }
}
guard let client else {
    stopDaemon(pid)
    fail("wokd did not start; see \(directory)/wokd.log")
}
func status(_ client: ControlClient) -> JSONObject {
    guard case .success(let value)? = try? client.request(.status) else { return JSONObject() }
    return value.objectValue ?? JSONObject()
}
guard case .success? = try? client.request(.start, params: ["recipe": "caramelised-pork-mince"]) else {
    stopDaemon(pid)
    fail("could not start the default recipe")
}

// Keep the other core busy with a spinning process, as a compile or a browser beside the stove would.
let busyOtherCore = !arguments.has("idle-core")
var spinnerPID: pid_t = 0
if busyOtherCore {
    let spinArgv: [String] = ["/bin/sh", "-c", "while :; do :; done"]
    var spinArguments = spinArgv.map { strdup($0) } + [nil]
    guard posix_spawn(&spinnerPID, "/bin/sh", nil, nil, &spinArguments, environ) == 0 else { fail("cannot start the spinner") }
}

// Measure: after a few seconds of warm-up, CPU and memory over the window.
usleep(2_000_000)
let cpuStart = cpuSeconds(pid) ?? 0
let wallStart = monotonic()
var peakResident = 0.0
while monotonic() - wallStart < seconds {
    usleep(500_000)
    if let resident = residentKilobytes(pid) { peakResident = max(peakResident, resident) }
}
let cpuUsed = (cpuSeconds(pid) ?? cpuStart) - cpuStart
let wall = monotonic() - wallStart
let final = status(client)
if busyOtherCore {
    kill(spinnerPID, SIGKILL)
    var spinnerStatus: Int32 = 0
    waitpid(spinnerPID, &spinnerStatus, 0)
}
stopDaemon(pid)
try? removeFile(directory + "/wokd.log")
try? removeFile(directory + "/state/current-cook.json")
rmdir(directory + "/state")
rmdir(directory)

let loop = final["loop"]?.objectValue ?? JSONObject()
func figure(_ key: String) -> String { loop[key]?.numberValue.map { formatNumber($0) } ?? "-" }
let cookState = final["state"]?.stringValue ?? "?"
let stage = final["stage"]?.objectValue?["name"]?.stringValue ?? "-"
print("wokd --simulate at \(formatNumber(speed))x, default recipe, \(formatNumber(wall.rounded())) s measured, other core \(busyOtherCore ? "busy" : "idle")")
print("  cook at the end: \(cookState), stage \"\(stage)\"")
print("  resident memory, peak: \(formatNumber((peakResident / 1024 * 10).rounded() / 10)) MB   (target: under 12 MB)")
print("  CPU: \(formatNumber((cpuUsed / wall * 10000).rounded() / 100)) % of one core (\(formatNumber((cpuUsed * 1000).rounded() / 1000)) s of CPU in \(formatNumber(wall.rounded())) s)   (target: under 1 %)")
print("  loop: \(figure("ticks")) ticks, \(figure("missedDeadlines")) missed deadlines")
print("  period jitter (lateness against the deadline): p50 \(figure("latenessP50Ms")) ms, p99 \(figure("latenessP99Ms")) ms, max \(figure("latenessMaxMs")) ms   (target: p99 under 2 ms)")
