import Glibc
import WokCore
import WokDaemon

/// The daemon's benchmark: resident memory, CPU use and the control loop's punctuality while
/// `wokd --simulate` cooks the default recipe at real-time speed, with the other core kept busy.
/// Run from the repository root: `swift build -c release --static-swift-stdlib && .build/release/wokd-bench`.

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
exit(runQuietBench(seconds: seconds, speed: speed, busyOtherCore: !arguments.has("idle-core")))
