// Timing the relay line: how long after an event the line reaches a level, on one clock.

/// What `time-to-level` does: optionally wait for a starting level, then act, then time the line.
public struct LevelTimingRequest: Sendable, Equatable {
    /// gpio-sim's `sim_gpioN/value` for the line.
    public var linePath: String
    /// Wait (up to `waitSeconds`) until the line shows this level before acting.
    public var waitForLevel: Int?
    /// How long to wait for the starting level.
    public var waitSeconds: Double
    /// The actions, all at one instant: SIGKILL a process, create a flag file, write a sysfs value.
    public var actions: LevelTimingActions
    /// The level to time.
    public var level: Int
    /// How long to wait for it after acting.
    public var timeoutSeconds: Double
    /// After the level is reached, check that it stays there this long.
    public var holdSeconds: Double

    /// A request; see each property.
    public init(
        linePath: String, waitForLevel: Int?, waitSeconds: Double, actions: LevelTimingActions, level: Int,
        timeoutSeconds: Double, holdSeconds: Double
    ) {
        self.linePath = linePath
        self.waitForLevel = waitForLevel
        self.waitSeconds = waitSeconds
        self.actions = actions
        self.level = level
        self.timeoutSeconds = timeoutSeconds
        self.holdSeconds = holdSeconds
    }
}

/// The things `time-to-level` may do at the instant it starts timing.
public struct LevelTimingActions: Sendable, Equatable {
    /// A process to SIGKILL.
    public var killPID: Int32?
    /// A flag file to create.
    public var touchPath: String?
    /// A file (a sysfs attribute) to write `writeValue` to.
    public var writePath: String?
    /// What to write there.
    public var writeValue: String?

    /// The actions; nil ones are not done.
    public init(killPID: Int32? = nil, touchPath: String? = nil, writePath: String? = nil, writeValue: String? = nil) {
        self.killPID = killPID
        self.touchPath = touchPath
        self.writePath = writePath
        self.writeValue = writeValue
    }
}

/// The figures a timing run produced.
public struct LevelTimingResult: Sendable, Equatable {
    /// How long the line took to show the starting level.
    public var waitedSeconds = 0.0
    /// From the action to the first read showing the level; nil if it never did.
    public var reachedAfterSeconds: Double?
    /// Reads of the line while timing.
    public var reads = 0
    /// Whether the line left the level during the hold.
    public var leftLevelDuringHold = false

    /// No figures yet.
    public init() {}

    /// The level was reached and held.
    public var passed: Bool { reachedAfterSeconds != nil && !leftLevelDuringHold }

    /// The line `run.sh` reads, e.g. "TIMING waitedMs=12.000 reachedMs=5.800 reads=29 heldForMs=1000.000".
    public func line(holdSeconds: Double) -> String {
        let reached = reachedAfterSeconds.map(formatMilliseconds) ?? "never"
        return "TIMING waitedMs=\(formatMilliseconds(waitedSeconds)) reachedMs=\(reached) reads=\(reads) "
            + "heldForMs=\(leftLevelDuringHold ? "no" : formatMilliseconds(holdSeconds))"
    }
}

/// Seconds between reads while timing: fine enough that the poll is not what the figure measures.
public let levelPollSeconds = 0.0002
/// Seconds between reads while waiting for the starting level.
public let levelWaitPollSeconds = 0.001
/// Seconds between reads during the hold, which only has to catch a line that comes back.
public let levelHoldPollSeconds = 0.005

/// Polls the line around one action. Every wait is bounded by the request's seconds on `clock`.
public func timeLevel<Clock: RigClock>(
    _ request: LevelTimingRequest, clock: inout Clock, readLevel: (String) -> Int?,
    act: (LevelTimingActions) throws(RigError) -> Void
) throws(RigError) -> LevelTimingResult {
    var result = LevelTimingResult()
    if let start = request.waitForLevel {
        let begin = clock.nowSeconds()
        while readLevel(request.linePath) != start {
            guard clock.nowSeconds() - begin < request.waitSeconds else {
                throw RigError("the line never showed \(start) within \(request.waitSeconds) s")
            }
            clock.sleep(seconds: levelWaitPollSeconds)
        }
        result.waitedSeconds = clock.nowSeconds() - begin
    }
    let actedAt = clock.nowSeconds()
    try act(request.actions)
    while clock.nowSeconds() - actedAt < request.timeoutSeconds {
        result.reads += 1
        if readLevel(request.linePath) == request.level {
            result.reachedAfterSeconds = clock.nowSeconds() - actedAt
            break
        }
        clock.sleep(seconds: levelPollSeconds)
    }
    guard result.reachedAfterSeconds != nil, request.holdSeconds > 0 else { return result }
    let holdStart = clock.nowSeconds()
    while clock.nowSeconds() - holdStart < request.holdSeconds {
        if readLevel(request.linePath) != request.level {
            result.leftLevelDuringHold = true
            break
        }
        clock.sleep(seconds: levelHoldPollSeconds)
    }
    return result
}

/// Milliseconds with three decimals (microseconds), e.g. 0.0058 s is "5.800".
public func formatMilliseconds(_ seconds: Double) -> String {
    let micro = Int((seconds * 1e6).rounded())
    let fraction = String(micro % 1000)
    return "\(micro / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
