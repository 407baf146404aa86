// Timing the relay line: how long after an event the line reaches a level, on one monotonic clock.
internal import Glibc
internal import WokHardware

/// What `time-to-level` does: optionally wait for a starting level, then act, then time the line.
struct LevelTimingRequest {
    var linePath: String
    /// Wait (up to `waitSeconds`) until the line shows this level before acting.
    var waitForLevel: Int?
    var waitSeconds: Double
    /// The actions, all at one instant: SIGKILL a process, create a flag file, write a sysfs value.
    var killPID: Int32?
    var touchPath: String?
    var writePath: String?
    var writeValue: String?
    /// The level to time, and how long to wait for it.
    var level: Int
    var timeoutSeconds: Double
    /// After the level is reached, check that it stays there this long.
    var holdSeconds: Double
}

/// The figures a timing run produced.
struct LevelTimingResult {
    var waitedSeconds = 0.0
    /// From the action to the first read showing the level; nil if it never did.
    var reachedAfterSeconds: Double?
    /// Reads of the line while timing (the poll runs every 0.2 ms).
    var reads = 0
    /// Whether the line left the level during the hold.
    var leftLevelDuringHold = false
}

/// Polls the line's sysfs value around one action. Every wait is bounded by the request.
func timeLevel(_ request: LevelTimingRequest) throws(RigError) -> LevelTimingResult {
    var result = LevelTimingResult()
    let pollSeconds = 0.0002
    if let start = request.waitForLevel {
        let begin = MonotonicClock.nowSeconds()
        while SystemFiles.lineLevel(request.linePath) != start {
            guard MonotonicClock.nowSeconds() - begin < request.waitSeconds else {
                throw RigError("the line never showed \(start) within \(request.waitSeconds) s")
            }
            MonotonicClock.sleep(seconds: 0.001)
        }
        result.waitedSeconds = MonotonicClock.nowSeconds() - begin
    }
    let actedAt = MonotonicClock.nowSeconds()
    if let pid = request.killPID, kill(pid, SIGKILL) != 0 {
        throw RigError("cannot SIGKILL pid \(pid): errno \(errno)")
    }
    if let path = request.touchPath, !SystemFiles.touch(path) {
        throw RigError("cannot create \(path)")
    }
    if let path = request.writePath, !SystemFiles.write(request.writeValue ?? "", to: path) {
        throw RigError("cannot write \(request.writeValue ?? "") to \(path)")
    }
    while MonotonicClock.nowSeconds() - actedAt < request.timeoutSeconds {
        result.reads += 1
        if SystemFiles.lineLevel(request.linePath) == request.level {
            result.reachedAfterSeconds = MonotonicClock.nowSeconds() - actedAt
            break
        }
        MonotonicClock.sleep(seconds: pollSeconds)
    }
    guard result.reachedAfterSeconds != nil, request.holdSeconds > 0 else { return result }
    let holdStart = MonotonicClock.nowSeconds()
    while MonotonicClock.nowSeconds() - holdStart < request.holdSeconds {
        if SystemFiles.lineLevel(request.linePath) != request.level {
            result.leftLevelDuringHold = true
            break
        }
        MonotonicClock.sleep(seconds: 0.005)
    }
    return result
}
