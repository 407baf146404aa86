public import WokWire

/// Turns cook events into notifications and hands them to the runner, within the rate budget.
public final class Notifier {
    public let config: NotifyConfig
    public let runner: ChildRunner
    private var urgentBudget: RateBudget
    private var otherBudget: RateBudget
    private let log: (String) -> Void

    public init(config: NotifyConfig, log: @escaping (String) -> Void) {
        self.config = config
        self.log = log
        runner = ChildRunner(config: config, log: log)
        urgentBudget = RateBudget(perMinute: config.perMinute)
        otherBudget = RateBudget(perMinute: config.perMinute)
    }

    /// Sends the event's notification if it is one the station wants and the budget allows.
    public func handle(_ event: WireEvent, station: StationSnapshot?, now: Double) {
        guard let notification = NotificationRule.notification(for: event, station: station),
            config.kinds.contains(notification.kind)
        else { return }
        let allowed = notification.kind.isUrgent ? urgentBudget.take(atSeconds: now) : otherBudget.take(atSeconds: now)
        guard allowed else {
            log("notify: over \(config.perMinute) a minute; the \(notification.kind.rawValue) notification \"\(event.name)\" was not sent")
            return
        }
        runner.start(notification, now: now)
    }

    public func poll(now: Double) {
        runner.poll(now: now)
    }
}
