import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// Something the bench could not set up, in words for the person running it.
struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

func monotonic() -> Double { SystemLoopClock().nowSeconds() }

func sleep(seconds: Double) {
    guard seconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    var left = timespec()
    while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
}

/// This program's own path, from /proc/self/exe.
func ownExecutable() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A program built beside this benchmark (the same configuration).
func siblingBinary(_ name: String) throws(BenchError) -> String {
    guard let me = ownExecutable() else { throw BenchError("cannot find my own path") }
    let path = parentDirectory(me) + "/" + name
    guard fileExists(path) else {
        throw BenchError("\(path) is missing; build it with `swift build -c release --static-swift-stdlib`")
    }
    return path
}

/// How a child process ended.
enum ChildEnd: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    init(waitStatus status: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import as macros.
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signalled(status & 0x7f)
        }
    }

    var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let number): "killed by signal \(number) (\(String(cString: strsignal(number))))"
        }
    }
}

/// A process this bench started: polled without blocking, stopped with a bounded wait, reaped once.
final class ChildProcess {
    let pid: pid_t
    let name: String
    private(set) var end: ChildEnd?

    /// Starts `argv` with standard output and error sent to files (nil: /dev/null) and `extraEnvironment`
    /// (`NAME=value`) added to this process's own.
    init(
        name: String, argv: [String], standardOutput: String? = nil, standardError: String? = nil,
        extraEnvironment: [String] = []
    ) throws(BenchError) {
        self.name = name
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        for (descriptor, path) in [(Int32(1), standardOutput), (Int32(2), standardError)] {
            if let path {
                posix_spawn_file_actions_addopen(&fileActions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            } else {
                posix_spawn_file_actions_addopen(&fileActions, descriptor, "/dev/null", O_WRONLY, 0)
            }
        }
        var environment: [String] = []
        var index = 0
        while let entry = environ[index] {
            environment.append(String(cString: entry))
            index += 1
        }
        environment += extraEnvironment
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &fileActions, nil, &cArguments, &cEnvironment)
        guard result == 0 else { throw BenchError("cannot start \(argv[0]): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Whether it still runs; reaps it if it has ended.
    var isRunning: Bool {
        guard end == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            end = ChildEnd(waitStatus: status)
        } else if result < 0 && errno == ECHILD {
            end = .exited(-1)
        }
        return end == nil
    }

    /// Waits up to `seconds` for it to end by itself.
    @discardableResult
    func wait(seconds: Double) -> ChildEnd? {
        let deadline = monotonic() + seconds
        while isRunning && monotonic() < deadline { sleep(seconds: 0.02) }
        return end
    }

    /// Sends `signal`, waits up to `graceSeconds`, then kills it outright; returns how it ended.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, graceSeconds: Double = 5) -> ChildEnd? {
        guard isRunning else { return end }
        kill(pid, signal)
        if wait(seconds: graceSeconds) == nil {
            kill(pid, SIGKILL)
            wait(seconds: 5)
        }
        return end
    }
}

/// A spinning shell, to keep the other core busy as a compile or a browser beside the stove would.
func startSpinner() throws(BenchError) -> ChildProcess {
    try ChildProcess(name: "spinner", argv: ["/bin/sh", "-c", "while :; do :; done"])
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

/// A `kB` figure of /proc/PID/status, such as `VmRSS` (resident now) or `VmHWM` (resident at its peak).
func statusKilobytes(_ pid: pid_t, _ field: String) -> Double? {
    guard let text = try? readSmallFile("/proc/\(pid)/status", maxBytes: 64 * 1024) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
    }
    return nil
}

/// A private directory under /tmp.
func makeTemporaryDirectory(_ prefix: String) throws(BenchError) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else { throw BenchError("mkdtemp failed: \(String(cString: strerror(errno)))") }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes a directory this bench made and what is in it (two levels: the daemon's state directory).
func removeTemporaryDirectory(_ directory: String) {
    guard directory.hasPrefix("/tmp/wokd-bench") else { return }
    for name in (try? listDirectory(directory)) ?? [] {
        let path = directory + "/" + name
        for inner in (try? listDirectory(path)) ?? [] { try? removeFile(path + "/" + inner) }
        if rmdir(path) != 0 { try? removeFile(path) }
    }
    rmdir(directory)
}

/// The last `count` lines of a small text file, for showing why a process died.
func lastLines(of path: String, count: Int) -> [String] {
    guard let text = try? readSmallFile(path, maxBytes: 16 << 20) else { return [] }
    return Array(text.split(separator: "\n").suffix(count).map(String.init))
}
