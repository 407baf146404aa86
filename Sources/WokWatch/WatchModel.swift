internal import WokCore
public import WokWire

/// What `watch` has seen of the station: the latest snapshot, the temperatures for the chart and
/// the recent events. Fed by the subscription; read by `WatchScreen`.
public struct WatchModel: Sendable, Equatable {
    public private(set) var snapshot: StationSnapshot
    public private(set) var samples: [TemperaturePoint]
    public private(set) var events: [WireEvent] = []
    /// Station seconds at which the current or last cook started, as far as this watch has seen.
    public private(set) var cookStartedSeconds: Double?
    /// The most events kept for the screen.
    public static let keptEvents = 8

    public init(_ subscription: Subscription) {
        snapshot = subscription.snapshot
        samples = subscription.history
        noteCookStart()
    }

    /// A running cook's elapsed time gives its start; it stays known after the cook ends.
    private mutating func noteCookStart() {
        if let elapsed = snapshot.cookElapsedSeconds { cookStartedSeconds = snapshot.timeSeconds - elapsed }
    }

    /// A new snapshot; a chart point each second of station time.
    public mutating func apply(_ next: StationSnapshot) {
        snapshot = next
        noteCookStart()
        guard next.timeSeconds - (samples.last?.timeSeconds ?? -Double.infinity) >= 1 else { return }
        samples.append(
            TemperaturePoint(
                timeSeconds: next.timeSeconds, temperatureC: next.shownReading?.celsius, targetC: next.targetC, burnerOn: next.burnerOn,
                trusted: next.shownReading?.trusted ?? true))
        if samples.count > 4000 { samples.removeFirst(samples.count - 3600) }
    }

    public mutating func apply(_ event: WireEvent) {
        // The snapshot that says so comes just after; the event itself is stamped with the start.
        if event.name == "cook-started" { cookStartedSeconds = event.timeSeconds }
        events.append(event)
        if events.count > Self.keptEvents { events.removeFirst(events.count - Self.keptEvents) }
    }

    /// Station seconds as cook time: from the current or last cook's start, as the history and
    /// the cook count it. Before any cook, station time is all there is.
    public func cookSeconds(_ stationSeconds: Double) -> Double {
        stationSeconds - (cookStartedSeconds ?? 0)
    }
}
