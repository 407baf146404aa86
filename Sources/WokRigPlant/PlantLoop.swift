// The closed loop's other half, in real time: one step per period until stopped.
public import WokCore

/// What the plant loop is told at start.
public struct PlantLoopSettings: Sendable, Equatable {
    /// gpio-sim's `sim_gpioN/value` for the relay's line.
    public var linePath: String
    /// Seconds between steps; the thermal model integrates in its own smaller steps.
    public var stepSeconds: Double
    /// The loop ends by itself after this long, whatever happens.
    public var maxSeconds: Double
    /// Where the flag files are: `open-circuit`, `short-circuit`, `frozen`, `flame-out` and `stop`,
    /// and the `food` file.
    public var controlDirectory: String
    /// gpio-sim's `sim_gpioN/pull` for the flame-proven input's line, which the plant pulls up
    /// while a flame burns and down while none does; nil: no flame-proven input.
    public var flamePullPath: String?

    /// Settings for a loop.
    public init(
        linePath: String, stepSeconds: Double, maxSeconds: Double, controlDirectory: String, flamePullPath: String? = nil
    ) {
        self.linePath = linePath
        self.stepSeconds = stepSeconds
        self.maxSeconds = maxSeconds
        self.controlDirectory = controlDirectory
        self.flamePullPath = flamePullPath
    }
}

/// Steps `stepper` every `stepSeconds` on `clock` until the `stop` flag appears or `maxSeconds`
/// pass, and returns its summary. Each step first tips in any food `takeFood` hands over (it reads
/// and removes the control directory's `food` file), and after it pulls the flame-proven line up or
/// down through `writePull` (path, "pull-up" or "pull-down") whenever the flame changed, retrying a
/// failed write at the next step.
///
/// Each deadline follows from the last, so the pace does not drift; a step that starts late is
/// counted, and one more than a second late (the VM stalled) restarts the pace from now rather
/// than racing to catch up.
public func runPlant<Clock: RigClock, Writer>(
    _ settings: PlantLoopSettings, stepper: inout PlantStepper, chip: inout StubChip<Writer>, clock: inout Clock,
    readLevel: (String) -> Int?, readFlags: (String) -> PlantFlags,
    takeFood: (String) -> Addition? = { _ in nil }, writePull: (String, String) -> Bool = { _, _ in true }
) -> PlantSummary {
    let origin = clock.nowSeconds()
    var deadline = origin
    var pulledUp: Bool?
    while true {
        let flags = readFlags(settings.controlDirectory)
        let now = clock.nowSeconds() - origin
        guard !flags.stop, now < settings.maxSeconds else { break }
        if let food = takeFood(settings.controlDirectory) { stepper.add(food, atSeconds: now) }
        stepper.step(atSeconds: now, lineLevel: readLevel(settings.linePath), flags: flags, chip: &chip)
        if let path = settings.flamePullPath, pulledUp != stepper.flameBurning {
            let up = stepper.flameBurning
            let written = writePull(path, up ? "pull-up" : "pull-down")
            stepper.countFlameChange(written: written)
            if written { pulledUp = up }
        }
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
