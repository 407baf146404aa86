/// Watches a held wok over whole relay windows and works out the duty that would keep it
/// steady: the duty it had, less the drift it showed, converted through the burner's heating
/// rate. Averaging over exactly one window cancels the relay's ripple, so the estimate is the
/// load itself (losses, food), found within a couple of windows instead of by a slow integral.
struct HoldObserver: Sendable {
    let windowSeconds: Double
    private var temperature: MovingAverage
    private var duty: MovingAverage
    /// The duty average, averaged again: the same triangular weighting the change in mean
    /// temperature across one window carries, so the two line up in time.
    private var dutyTwice: MovingAverage
    private var pastTemperatureMeans: [Double]
    private var next = 0
    private var samples = 0
    private let samplesPerWindow: Int

    init(windowSeconds: Double, periodSeconds: Double) {
        self.windowSeconds = windowSeconds
        samplesPerWindow = max(1, Int((windowSeconds / periodSeconds).rounded()))
        temperature = MovingAverage(capacity: samplesPerWindow)
        duty = MovingAverage(capacity: samplesPerWindow)
        dutyTwice = MovingAverage(capacity: samplesPerWindow)
        pastTemperatureMeans = Array(repeating: 0, count: samplesPerWindow)
    }

    mutating func reset() {
        temperature.reset()
        duty.reset()
        dutyTwice.reset()
        samples = 0
        next = 0
    }

    /// One tick: the (predicted) wok temperature and the duty commanded for it.
    mutating func add(celsius: Double, duty commanded: Double) {
        temperature.add(celsius)
        duty.add(commanded)
        dutyTwice.add(duty.mean ?? commanded)
        pastTemperatureMeans[next] = temperature.mean ?? celsius
        next = (next + 1) % samplesPerWindow
        samples += 1
    }

    /// The wok's temperature averaged over the last window.
    var meanCelsius: Double? { temperature.mean }

    /// The duty that would have held the temperature steady over the last two windows, given the
    /// burner's full-power heating rate; nil until two whole windows have been seen.
    func steadyDuty(fullPowerRateCPerSecond rate: Double) -> Double? {
        guard samples > 2 * samplesPerWindow, rate > 0, let now = temperature.mean, let applied = dutyTwice.mean else {
            return nil
        }
        // `next` now points at the oldest stored mean: the one from a window ago.
        let windowAgo = pastTemperatureMeans[next]
        let drift = (now - windowAgo) / windowSeconds
        return applied - drift / rate
    }
}
