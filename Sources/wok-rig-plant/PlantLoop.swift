// The closed loop's other half: relay line in, thermocouple registers out, in real time.
internal import WokHardware
internal import WokSimulator

/// What the plant loop is told at start.
struct PlantLoopSettings {
    var linePath: String
    var activeLow: Bool
    var model: MCP9600Model
    /// Real seconds between steps; the thermal model integrates in its own smaller steps.
    var stepSeconds: Double
    /// The loop ends by itself after this long, whatever happens.
    var maxSeconds: Double
    /// Flag files: `open-circuit`, `short-circuit`, `frozen` and `stop`.
    var controlDirectory: String
    var seed: UInt64
}

/// What the plant saw over its run, printed when it stops.
struct PlantSummary {
    var steps = 0
    var lateSteps = 0
    var relaySwitches = 0
    var unreadableLine = 0
    var maxWokC = -Double.infinity
    var seconds = 0.0
}

/// Runs the wok's thermal model against the real relay line and the stub's registers until the
/// `stop` flag appears or `maxSeconds` pass.
///
/// Each step reads the relay line's level from gpio-sim's sysfs (a process that does not own a
/// line can read it there), advances `WokPlant` to the monotonic clock's time, and writes the
/// reading (the thermocouple's lagged view plus seeded noise) and STATUS into i2c-stub. STATUS
/// carries "T_H updated" and, while the flag files say so, the open- or short-circuit bit; while
/// `frozen` exists the temperatures stop updating, as a hung converter's would.
func runPlant(_ settings: PlantLoopSettings, plant start: WokPlant, chip: inout StubChip) -> PlantSummary {
    var plant = start
    var noise = SplitMix64(seed: settings.seed)
    var summary = PlantSummary()
    var relayOn = false
    let origin = MonotonicClock.nowSeconds()
    var deadline = origin
    let flag = { (name: String) in SystemFiles.exists(settings.controlDirectory + "/" + name) }
    while !flag("stop") {
        let now = MonotonicClock.nowSeconds() - origin
        guard now < settings.maxSeconds else { break }
        if let level = SystemFiles.lineLevel(settings.linePath) {
            let on = (level == 1) != settings.activeLow
            if on != relayOn { summary.relaySwitches += 1 }
            relayOn = on
        } else {
            // An unreadable line is taken as off: the plant must never light a burner it cannot see.
            summary.unreadableLine += 1
            relayOn = false
        }
        plant.setRelay(closed: relayOn)
        plant.advance(to: now)
        summary.maxWokC = max(summary.maxWokC, plant.wokC)
        var status = MCP9600Registers.Status.temperatureUpdatedMask
        if flag("open-circuit") { status |= MCP9600Registers.Status.inputRangeOrOpenCircuitMask }
        if flag("short-circuit") { status |= MCP9600Registers.Status.shortCircuitMask }
        if flag("frozen") {
            chip.writeStatus(status & ~MCP9600Registers.Status.temperatureUpdatedMask)
        } else {
            let hotC = plant.sensedC + plant.parameters.sensor.noiseC * noise.gaussian()
            let coldC = plant.parameters.ambientC + 0.05 * noise.gaussian()
            chip.writeConversion(hotC: hotC, coldC: coldC, status: status)
        }
        summary.steps += 1
        deadline += settings.stepSeconds
        let wait = deadline - MonotonicClock.nowSeconds()
        if wait > 0 {
            MonotonicClock.sleep(seconds: wait)
        } else {
            summary.lateSteps += 1
            // Far behind (the VM stalled): start counting again from now rather than racing.
            if wait < -1 { deadline = MonotonicClock.nowSeconds() }
        }
    }
    summary.seconds = MonotonicClock.nowSeconds() - origin
    return summary
}
