public import WokCore
public import WokHistory
public import WokSystem

/// The bounds of the disk thread's queue; each says why it has its value.
public struct BackgroundWriterLimits: Sendable, Equatable {
    /// History messages waiting at most (samples, events, cook starts and ends; about 100 bytes
    /// each, plus a recipe's text per start).
    public var maxQueuedMessages: Int
    /// Samples waiting at most: two minutes of 0.25 s ticks against an SD card's 4–7 s stalls. It
    /// is below `maxQueuedMessages`, so the rest of the room is the events': samples go first.
    public var maxQueuedSamples: Int
    /// Room beyond `maxQueuedMessages` that only cook starts and ends may take: a cook's outcome is
    /// the last thing given up.
    public var reservedForCookBounds: Int
    /// How long `flushNow` (at shutdown, after the burner is off) waits for the writer, real
    /// seconds: well inside the unit's `TimeoutStopSec` (10 s).
    public var drainSeconds: Double
    /// Samples are committed this often, real seconds (the history's one-second promise, halved).
    public var commitIntervalSeconds: Double
    /// A writer busy this long on one piece of work is logged as stalled (once per episode): above
    /// anything a healthy card takes, below the 4–7 s an SD card can stall.
    public var stallReportSeconds: Double

    public init(
        maxQueuedMessages: Int = 640, maxQueuedSamples: Int = 480, reservedForCookBounds: Int = 8, drainSeconds: Double = 2,
        commitIntervalSeconds: Double = HistoryWriter.flushIntervalSeconds, stallReportSeconds: Double = 2
    ) {
        precondition(maxQueuedSamples > 0 && maxQueuedSamples < maxQueuedMessages && reservedForCookBounds >= 0, "queue bounds")
        self.maxQueuedMessages = maxQueuedMessages
        self.maxQueuedSamples = maxQueuedSamples
        self.reservedForCookBounds = reservedForCookBounds
        self.drainSeconds = drainSeconds
        self.commitIntervalSeconds = commitIntervalSeconds
        self.stallReportSeconds = stallReportSeconds
    }

    public static let standard = BackgroundWriterLimits()
}

/// One thing for the history to write, in the order the loop saw it.
enum HistoryMessage: Sendable {
    case started(CookStart)
    case event(CookEventRecord, stationSeconds: Double)
    case sample(CookSample)
    case ended(HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double)
    case closeInterrupted(reason: String, unixSeconds: Double)

    var isSample: Bool {
        if case .sample = self { return true }
        return false
    }

    /// Cook starts and ends may use the reserved room.
    var boundsACook: Bool {
        switch self {
        case .started, .ended: true
        default: false
        }
    }
}

/// The one pending change to the cook record: only the newest matters, as each replaces the file.
enum RecordJob: Sendable {
    case save(CookRecord)
    case clear
}

/// The daemon's disk thread: it writes the cook history and the interrupted-cook record, so that
/// no disk call (no write, no fsync) happens on the control loop's thread. The loop's calls put a
/// message in a bounded queue and return at once; they never wait for the disk, for the writer, or
/// for room. When the queue is full, samples are dropped first, then (rarely) events, each counted
/// and logged once per episode. `flushNow`, at shutdown after the burner is off, waits for the
/// writer a bounded time and then says what was not written. See docs/history.md, "Threads".
///
/// Everything but the thread's own work is called from the loop's one thread.
public final class BackgroundStateWriter: CookJournal, CookRecordStore {
    private let shared: WriterCore
    private let limits: BackgroundWriterLimits
    private let log: any LogSink
    private let historyPath: String?
    /// Why there is no history (nil: there is one, or it was switched off on purpose).
    private let historyProblem: String?
    private let loaded: Result<CookRecord?, CookRecordError>
    private let removalCheck: () -> CookRecordError?

    // The loop's own state (never touched by the writer).
    /// The loop's clock at its last turn; nil before the first (work queued at start-up is not
    /// timed against a clock the loop has not read yet).
    private var lastRealSeconds: Double?
    private var lastCommitRealSeconds = -Double.infinity
    private var recording = false
    /// A cook whose start could not be queued: the rest of it is dropped, not written to another.
    private var skippingCook = false
    public private(set) var droppedSamples = 0
    /// Events, cook starts and cook ends that could not be queued.
    public private(set) var droppedEvents = 0
    /// Drops since the writer fell behind, while it has not caught up (nil: it is keeping up).
    private var episode: (samples: Int, events: Int)?
    public private(set) var stalledSeconds = 0.0
    private var stallReported = false

    /// Reads the cook record now (before the loop starts: start-up may wait for the disk), then
    /// starts the thread that owns `history` and `records` from here on: the caller must not touch
    /// them again. `beforeWork` runs on the writer thread before each batch of work (tests stall it).
    public init(
        history: HistoryWriter?, historyProblem: String? = nil, records: any CookRecordStore, log: any LogSink,
        limits: BackgroundWriterLimits = .standard, beforeWork: (@Sendable () -> Void)? = nil
    ) throws(SystemError) {
        self.limits = limits
        self.log = log
        self.historyPath = history?.path
        self.historyProblem = historyProblem
        loaded = records.load()
        removalCheck = { [records] in records.removalProblem() }
        let shared = WriterCore(history: history, records: records, beforeWork: beforeWork)
        self.shared = shared
        // From now on the writer's reports are the thread's: kept for the loop to log.
        history?.reportFailure = { text in shared.note(.error, text) }
        try startThread(named: "wokd-disk") { shared.run() }
    }

    deinit {
        // The thread finishes what is queued, then ends (it holds the work, not this object).
        shared.lock.withLock {
            shared.stopping = true
            shared.lock.signal()
        }
    }

    // MARK: The cook record (CookRecordStore)

    public func load() -> Result<CookRecord?, CookRecordError> { loaded }

    public func save(_ record: CookRecord) throws(CookRecordError) {
        post(.save(record))
    }

    /// Refuses at once when the record visibly cannot be removed (a read-only state directory), so
    /// a discard answers the truth; otherwise the removal is queued.
    public func clear() throws(CookRecordError) {
        if let problem = removalCheck() { throw problem }
        post(.clear)
    }

    public func removalProblem() -> CookRecordError? { removalCheck() }

    private func post(_ job: RecordJob) {
        shared.lock.withLock {
            shared.record = job
            if shared.requestedSinceRealSeconds == nil, let lastRealSeconds { shared.requestedSinceRealSeconds = lastRealSeconds }
            shared.lock.signal()
        }
    }

    // MARK: The history (CookJournal)

    public func cookStarted(_ start: CookStart) {
        guard historyPath != nil else { return }
        recording = true
        skippingCook = false
        if !enqueue(.started(start)) { skippingCook = true }
    }

    public func recorded(_ event: CookEvent, stationSeconds: Double) {
        guard historyPath != nil, !skippingCook else { return dropIfSkipping(sample: false) }
        enqueue(.event(CookEventRecord(event, timeSeconds: stationSeconds), stationSeconds: stationSeconds))
    }

    public func sampled(_ sample: CookSample) {
        guard historyPath != nil, !skippingCook else { return dropIfSkipping(sample: true) }
        enqueue(.sample(sample))
    }

    public func cookEnded(_ outcome: HistoryOutcome, reason: String?, stationSeconds: Double, unixSeconds: Double) {
        guard historyPath != nil else { return }
        recording = false
        guard !skippingCook else { return dropIfSkipping(sample: false) }
        enqueue(.ended(outcome, reason: reason, stationSeconds: stationSeconds, unixSeconds: unixSeconds))
    }

    public func closeInterruptedCooks(reason: String, unixSeconds: Double) {
        guard historyPath != nil else { return }
        enqueue(.closeInterrupted(reason: reason, unixSeconds: unixSeconds))
    }

    private func dropIfSkipping(sample: Bool) {
        guard historyPath != nil, skippingCook else { return }
        noteDrop(sample: sample)
    }

    /// Queues `message` or counts it dropped; never waits. Samples do not wake the writer: they
    /// go with the next commit or event.
    @discardableResult
    private func enqueue(_ message: HistoryMessage) -> Bool {
        var evicted = false
        let accepted: Bool = shared.lock.withLock {
            if message.isSample {
                guard shared.queuedSamples < limits.maxQueuedSamples, shared.queue.count < limits.maxQueuedMessages else { return false }
                shared.queue.append(message)
                shared.queuedSamples += 1
                return true
            }
            let room = limits.maxQueuedMessages + (message.boundsACook ? limits.reservedForCookBounds : 0)
            // Samples go first: an event takes the place of the newest queued sample.
            if shared.queue.count >= room, shared.queuedSamples > 0, let index = shared.queue.lastIndex(where: \.isSample) {
                shared.queue.remove(at: index)
                shared.queuedSamples -= 1
                evicted = true
            }
            guard shared.queue.count < room else { return false }
            shared.queue.append(message)
            if shared.requestedSinceRealSeconds == nil, let lastRealSeconds { shared.requestedSinceRealSeconds = lastRealSeconds }
            shared.lock.signal()
            return true
        }
        if evicted { noteDrop(sample: true) }
        if !accepted { noteDrop(sample: message.isSample) }
        return accepted
    }

    private func noteDrop(sample: Bool) {
        if sample { droppedSamples += 1 } else { droppedEvents += 1 }
        if episode == nil {
            episode = (0, 0)
            log.write(
                .warning,
                "the disk is not keeping up (its writer has been busy \(formatNumber(stalledSeconds)) s): the history drops \(sample ? "samples" : "events") until it catches up; the cook goes on"
            )
        }
        if sample { episode?.samples += 1 } else { episode?.events += 1 }
    }

    /// Called every loop turn with the monotonic clock: asks for a commit when it is time, logs
    /// what the writer reported, and notices a writer that is stuck.
    public func flush(realSeconds: Double) {
        lastRealSeconds = realSeconds
        let commit = realSeconds - lastCommitRealSeconds >= limits.commitIntervalSeconds
        if commit { lastCommitRealSeconds = realSeconds }
        let (reports, since, idle) = shared.lock.withLock {
            if commit, shared.queuedSamples > 0 || shared.pendingOutcomes > 0 {
                shared.commitRequested = true
                if shared.requestedSinceRealSeconds == nil { shared.requestedSinceRealSeconds = realSeconds }
                shared.lock.signal()
            }
            let reports = shared.reports
            shared.reports = []
            let since = [shared.busySinceRealSeconds, shared.requestedSinceRealSeconds].compactMap { $0 }.min()
            return (reports, since, shared.isIdle)
        }
        for (priority, message) in reports { log.write(priority, message) }
        stalledSeconds = since.map { max(0, realSeconds - $0) } ?? 0
        if stalledSeconds >= limits.stallReportSeconds, !stallReported {
            stallReported = true
            log.write(
                .warning,
                "the disk has kept the history and cook-record writer busy for \(formatNumber(stalledSeconds.rounded())) s; the control loop goes on without it"
            )
        }
        if idle {
            if let episode {
                log.write(
                    .notice,
                    "the disk writer caught up; the history lost \(episode.samples) samples and \(episode.events) events while it was behind")
                self.episode = nil
            }
            stallReported = false
        }
    }

    /// At shutdown, after the burner is off: asks for everything to be written and waits for it
    /// at most `limits.drainSeconds`, then says what was not written.
    public func flushNow() {
        let deadline = monotonicSeconds() + limits.drainSeconds
        let left: String? = shared.lock.withLock {
            shared.commitRequested = true
            shared.lock.signal()
            while !shared.isIdle {
                if !shared.lock.wait(untilMonotonicSeconds: deadline) { break }
            }
            return shared.isIdle ? nil : shared.describeUnwritten()
        }
        flush(realSeconds: lastRealSeconds ?? monotonicSeconds())  // Hands on what the writer reported.
        if let left {
            log.write(
                .error,
                "the disk did not finish writing within \(formatNumber(limits.drainSeconds)) s; giving up on \(left)")
        }
        let pending = shared.lock.withLock { shared.pendingOutcomes }
        if pending > 0, let historyPath {
            log.write(
                .error,
                "\(pending) cook outcome(s) could not be written to \(historyPath); they are stashed beside it and written at the next start")
        }
    }

    public var statusJSON: JSONValue {
        let (queued, failure, pendingOutcomes, recordFailure) = shared.lock.withLock {
            (shared.queue.count, shared.historyFailure, shared.pendingOutcomes, shared.recordFailure)
        }
        let error = historyProblem ?? failure ?? (pendingOutcomes > 0 ? "\(pendingOutcomes) cook outcome(s) wait for the disk" : nil)
        return .object([
            "ok": .bool(error == nil && recordFailure == nil), "error": (error ?? recordFailure).map(JSONValue.string) ?? .null,
            "path": historyPath.map(JSONValue.string) ?? .null, "recording": .bool(recording && historyPath != nil),
            "queued": .number(Double(queued)), "droppedSamples": .number(Double(droppedSamples)),
            "droppedEvents": .number(Double(droppedEvents)), "pendingOutcomes": .number(Double(pendingOutcomes)),
            "writerStalledSeconds": .number((stalledSeconds * 10).rounded() / 10),
            "recordError": recordFailure.map(JSONValue.string) ?? .null,
        ])
    }
}

/// What the loop and the writer share, under `lock`, and what only the writer touches.
private final class WriterCore: @unchecked Sendable {
    let lock = ConditionLock()
    // Under `lock`:
    var queue: [HistoryMessage] = []
    var queuedSamples = 0
    var record: RecordJob?
    var commitRequested = false
    var stopping = false
    /// The writer is doing work it took from here (it may be waiting for the disk).
    var busy = false
    /// The loop's real time when the oldest work not yet taken was asked for, and when the work
    /// in progress was: how long the writer has kept it waiting.
    var requestedSinceRealSeconds: Double?
    var busySinceRealSeconds: Double?
    var historyFailure: String?
    var pendingOutcomes = 0
    var recordFailure: String?
    /// Lines for the loop to log (bounded: a writer that reports faster than the loop logs loses lines).
    var reports: [(LogPriority, String)] = []
    static let maxReports = 64
    /// What the writer was doing when it was last seen busy, for a shutdown that gives up.
    var inProgress = ""

    // The writer thread's alone once it runs.
    private let history: HistoryWriter?
    private let records: any CookRecordStore
    private let beforeWork: (@Sendable () -> Void)?

    init(history: HistoryWriter?, records: any CookRecordStore, beforeWork: (@Sendable () -> Void)?) {
        self.history = history
        self.records = records
        self.beforeWork = beforeWork
        historyFailure = history?.failure
        pendingOutcomes = history?.pendingOutcomes.count ?? 0
    }

    var isIdle: Bool { queue.isEmpty && record == nil && !commitRequested && !busy }

    /// Keeps a line for the loop to log; called on the writer thread, without the lock held.
    func note(_ priority: LogPriority, _ message: String) {
        lock.withLock {
            if reports.count < Self.maxReports { reports.append((priority, message)) }
        }
    }

    /// Under `lock`: what is still queued or in progress, in words.
    func describeUnwritten() -> String {
        var samples = 0
        var events = 0
        var ends = 0
        for message in queue {
            switch message {
            case .sample: samples += 1
            case .ended: ends += 1
            default: events += 1
            }
        }
        var parts: [String] = []
        if busy { parts.append("the write in progress (\(inProgress))") }
        if samples > 0 { parts.append("\(samples) samples") }
        if events > 0 { parts.append("\(events) events") }
        if ends > 0 { parts.append("\(ends) cook outcome(s) (the cook will read as interrupted)") }
        switch record {
        case .save: parts.append("the cook record's update (an interrupted cook resumes from an earlier stage)")
        case .clear: parts.append("the cook record's removal (the cook will be offered as interrupted)")
        case nil: break
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    /// The thread: takes all the work there is, does it without the lock, reports, repeats; ends
    /// when asked to stop and nothing is left.
    func run() {
        var batch: [HistoryMessage] = []
        while true {
            lock.lock()
            while !stopping, queue.isEmpty, record == nil, !commitRequested { lock.wait() }
            if queue.isEmpty, record == nil, !commitRequested {
                lock.unlock()
                return
            }
            swap(&batch, &queue)
            queuedSamples = 0
            let job = record
            record = nil
            let commit = commitRequested
            commitRequested = false
            busy = true
            busySinceRealSeconds = requestedSinceRealSeconds
            requestedSinceRealSeconds = nil
            inProgress = "\(batch.count) history messages\(job == nil ? "" : " and the cook record")"
            lock.unlock()

            beforeWork?()
            var recordResult: String??
            if let job {
                do {
                    switch job {
                    case .save(let record): try records.save(record)
                    case .clear: try records.clear()
                    }
                    recordResult = .some(nil)
                } catch {
                    recordResult = .some("\(error)")
                    switch job {
                    case .save: note(.error, "\(error); the cook goes on")
                    case .clear: note(.error, "\(error); the cook record stays, so that cook may be offered as interrupted at the next start")
                    }
                }
            }
            if let history {
                let pendingBefore = history.pendingOutcomes.count
                for message in batch { apply(message, to: history) }
                if commit { history.flushNow() }
                let written = pendingBefore - history.pendingOutcomes.count
                if written > 0 { note(.notice, "\(written) cook outcome(s) kept from a failed write are now in the history") }
            }
            batch.removeAll(keepingCapacity: true)

            lock.lock()
            busy = false
            busySinceRealSeconds = nil
            historyFailure = history?.failure
            pendingOutcomes = history?.pendingOutcomes.count ?? 0
            if let recordResult { recordFailure = recordResult }
            lock.broadcast()
            lock.unlock()
        }
    }

    private func apply(_ message: HistoryMessage, to history: HistoryWriter) {
        switch message {
        case .started(let start): history.beginCook(start)
        case .event(let event, let stationSeconds): history.record(event, stationSeconds: stationSeconds)
        case .sample(let sample): history.append(sample)
        case .ended(let outcome, let reason, let stationSeconds, let unixSeconds):
            history.endCook(outcome, reason: reason, atSeconds: stationSeconds, nowUnixSeconds: unixSeconds)
        case .closeInterrupted(let reason, let unixSeconds): history.closeInterruptedCooks(reason: reason, nowUnixSeconds: unixSeconds)
        }
    }
}
