import Glibc
import WokClient
import WokCore
import WokSystem
import WokWire

/// The disk-stall scenario's shim: Tests/bench/slow-fsync.c built into a shared library for
/// `LD_PRELOAD`, so the daemon's fsync stalls with no test hook in the daemon.
struct SlowFsyncShim {
    static let source = "Tests/bench/slow-fsync.c"

    let libraryPath: String
    let logPath: String

    /// Compiles the shim into `directory` with the toolchain's clang (next to `swift`).
    static func build(into directory: String) throws(BenchError) -> SlowFsyncShim {
        guard fileExists(source) else { throw BenchError("\(source) is missing; run the bench from the repository root") }
        let clang = try findClang()
        let library = directory + "/slow-fsync.so"
        let log = directory + "/clang.log"
        let compiler = try ChildProcess(
            name: "clang", argv: [clang, "-shared", "-fPIC", "-O2", "-o", library, source, "-ldl"], standardOutput: log,
            standardError: log)
        let end = compiler.wait(seconds: 120) ?? compiler.stop(signal: SIGKILL)
        guard end == .exited(0), fileExists(library) else {
            throw BenchError(
                "\(clang) could not build \(source) (\(end.map { "\($0)" } ?? "no end")): \(lastLines(of: log, count: 5).joined(separator: " | "))")
        }
        return SlowFsyncShim(libraryPath: library, logPath: directory + "/slow-fsync.log")
    }

    /// The environment that loads it into the daemon: one stall of `stallSeconds` every `everySeconds`.
    func environment(everySeconds: Double, stallSeconds: Double) -> [String] {
        [
            "LD_PRELOAD=\(libraryPath)", "WOK_SLOW_FSYNC_EVERY_SECONDS=\(everySeconds)",
            "WOK_SLOW_FSYNC_STALL_SECONDS=\(stallSeconds)", "WOK_SLOW_FSYNC_LOG=\(logPath)",
        ]
    }

    /// What the shim logged: whether it was loaded, and the stalls it made.
    func report() -> (loaded: Bool, stalls: [String]) {
        let lines = lastLines(of: logPath, count: 10_000)
        return (lines.contains { $0.hasPrefix("loaded ") }, lines.filter { $0.hasPrefix("stall ") })
    }

    /// clang from the Swift toolchain: beside the real `swift` on PATH, else `clang` on PATH.
    private static func findClang() throws(BenchError) -> String {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init)
        for directory in directories where access(directory + "/swift", X_OK) == 0 {
            guard let resolved = realpath(directory + "/swift", nil) else { continue }
            defer { free(resolved) }
            let candidate = parentDirectory(String(cString: resolved)) + "/clang"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        for directory in directories where access(directory + "/clang", X_OK) == 0 { return directory + "/clang" }
        throw BenchError("no clang found beside swift or on PATH; the disk-stall scenario needs one to build \(source)")
    }
}
