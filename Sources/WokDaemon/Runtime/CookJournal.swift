public import WokCore
public import WokHistory

/// Where the daemon writes down each cook as it happens: the history. `DaemonCore` calls it at a
/// cook's start, for every event and tick, and at the end; the runner calls `flush` every loop
/// turn. Nothing here may fail the cook: a journal that cannot write says so in `statusJSON`.
public protocol CookJournal: AnyObject {
    func cookStarted(_ start: CookStart)
    /// An event at `stationSeconds` (the daemon's station time).
    func recorded(_ event: CookEvent, stationSeconds: Double)
    /// One tick of the running cook; `sample.timeSeconds` is station time.
    func sampled(_ sample: CookSample)
    func cookEnded(_ outcome: HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double)
    /// Cooks left running by a daemon that stopped are marked interrupted.
    func closeInterruptedCooks(reason: String, unixSeconds: Double)
    /// Commits buffered samples when it is time; `realSeconds` is the monotonic clock.
    func flush(realSeconds: Double)
    /// Commits everything now (at shutdown).
    func flushNow()
    /// The `history` member of the status snapshot (docs/protocol.md).
    var statusJSON: JSONValue { get }
}

extension HistoryWriter: CookJournal {
    public func cookStarted(_ start: CookStart) { beginCook(start) }

    public func recorded(_ event: CookEvent, stationSeconds: Double) {
        record(CookEventRecord(event, timeSeconds: stationSeconds), stationSeconds: stationSeconds)
    }

    public func sampled(_ sample: CookSample) { append(sample) }

    public func cookEnded(_ outcome: HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double) {
        endCook(outcome, reason: reason, atSeconds: stationSeconds, nowUnixSeconds: unixSeconds)
    }

    public func closeInterruptedCooks(reason: String, unixSeconds: Double) {
        closeInterruptedCooks(reason: reason, nowUnixSeconds: unixSeconds)
    }

    public var statusJSON: JSONValue {
        .object([
            "ok": .bool(failure == nil), "error": failure.map(JSONValue.string) ?? .null, "path": .string(path),
            "recording": .bool(isRecording), "pendingOutcomes": .number(Double(pendingOutcomes.count)),
        ])
    }
}

/// The journal of a daemon that keeps no history (it could not open one, or was told not to).
public final class NoCookJournal: CookJournal {
    /// Why there is no history, for `status`; nil when it was switched off on purpose.
    public let reason: String?

    public init(reason: String?) {
        self.reason = reason
    }

    public func cookStarted(_ start: CookStart) {}
    public func recorded(_ event: CookEvent, stationSeconds: Double) {}
    public func sampled(_ sample: CookSample) {}
    public func cookEnded(_ outcome: HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double) {}
    public func closeInterruptedCooks(reason: String, unixSeconds: Double) {}
    public func flush(realSeconds: Double) {}
    public func flushNow() {}

    public var statusJSON: JSONValue {
        .object(["ok": .bool(reason == nil), "error": reason.map(JSONValue.string) ?? .null, "path": .null, "recording": .bool(false)])
    }
}
