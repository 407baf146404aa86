// The closed loop's other half, in real time: one step per period until stopped.

/// What the plant loop is told at start.
public struct PlantLoopSettings: Sendable, Equatable {
    /// gpio-sim's `sim_gpioN/value` for the relay's line.
    public var linePath: String
    /// Seconds between steps; the thermal model integrates in its own smaller steps.
    public var stepSeconds: Double
    /// The loop ends by itself after this long, whatever happens.
    public var maxSeconds: Double
    /// Where the flag files are: `open-circuit`, `short-circuit`, `frozen` and `stop`.
    public var controlDirectory: String

    /// Settings for a loop.
    public init(linePath: String, stepSeconds: Double, maxSeconds: Double, controlDirectory: String) {
        self.linePath = linePath
        self.stepSeconds = stepSeconds
        self.maxSeconds = maxSeconds
        self.controlDirectory = controlDirectory
    }
}

/// Steps `stepper` every `stepSeconds` on `clock` until the `stop` flag appears or `maxSeconds`
/// pass, and returns its summary.
///
/// Each deadline follows from the last, so the pace does not drift; a step that starts late is
/// counted, and one more than a second late (the VM stalled) restarts the pace from now rather
/// than racing to catch up.
public func runPlant<Clock: RigClock, Writer>(
    _ settings: PlantLoopSettings, stepper: inout PlantStepper, chip: inout StubChip<Writer>, clock: inout Clock,
    readLevel: (String) -> Int?, readFlags: (String) -> PlantFlags
) -> PlantSummary {
    let origin = clock.nowSeconds()
    var deadline = origin
    while true {
        let flags = readFlags(settings.controlDirectory)
        let now = clock.nowSeconds() - origin
        guard !flags.stop, now < settings.maxSeconds else { break }
        stepper.step(atSeconds: now, lineLevel: readLevel(settings.linePath), flags: flags, chip: &chip)
        deadline += settings.stepSeconds
        let wait = deadline - clock.nowSeconds()
        if wait > 0 {
            clock.sleep(seconds: wait)
        } else {
            stepper.countLateStep()
            if wait < -1 { deadline = clock.nowSeconds() }
        }
    }
    stepper.finish(afterSeconds: clock.nowSeconds() - origin)
    return stepper.summary
}
