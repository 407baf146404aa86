public import WokCore
internal import WokHardware
internal import WokHistory
public import WokWire

/// Who sent a request, as the kernel vouches for it, and whether they may change anything.
public struct Peer: Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public var mayChange: Bool

    public init(description: String, mayChange: Bool) {
        self.description = description
        self.mayChange = mayChange
    }
}

/// The daemon's state and decisions, free of sockets and clocks: the station loop and its
/// devices, requests in and answers out, snapshots and events for watchers, and the record that
/// lets a person continue an interrupted cook. The runner owns one and calls it from one thread.
public final class DaemonCore {
    public let station: Station
    /// Where `start NAME` looks, first match wins.
    public let recipeDirectories: [String]
    /// How much faster than real time the station runs (1 on real hardware).
    public let speed: Double
    public let isSimulated: Bool
    private var loop: StationLoop
    private var devices: any DaemonDevices
    private let log: any LogSink
    private let records: any CookRecordStore
    /// The cook history (issue 6); nil keeps none.
    private let journal: (any CookJournal)?
    private let wallClock: () -> Double
    /// A cook that was running when the daemon last stopped; cleared by resume, start or expiry.
    public private(set) var interrupted: CookRecord?
    /// The record of the cook running now.
    private var running: CookRecord?
    private var lastReport: TickReport?
    /// The wok after a fault ended the cook, recorded with that cook while the fault is latched.
    private var coolDown = FaultCoolDown()
    public private(set) var history = TemperatureHistory()
    private var pendingEvents: [WireEvent] = []
    public private(set) var nowSeconds: Double
    private var wallClockWatch = WallClockWatch()
    /// The buzzer's pattern player; quiet on a station without a buzzer.
    private var buzzer = BuzzerPlayer()
    /// The cue the buzzer last sounded, so each new pattern is logged once.
    private var soundingKey: String?
    /// Whether the buzzer's last write failed (logged once until it works again).
    private var buzzerFailing = false
    /// Buttons whose line failed to read (each logged once until it reads again).
    private var failingButtons: Set<String> = []

    /// Sets up with the burner off. A cook recorded as running is an interrupted cook: it is
    /// logged and offered for `resume`, never continued by itself.
    public init(
        station: Station, devices: any DaemonDevices, recipeDirectories: [String], speed: Double, isSimulated: Bool,
        records: any CookRecordStore, log: any LogSink, nowSeconds: Double, wallClock: @escaping () -> Double,
        journal: (any CookJournal)? = nil
    ) throws(RelayFailure) {
        self.journal = journal
        self.station = station
        self.devices = devices
        self.recipeDirectories = recipeDirectories
        self.speed = speed
        self.isSimulated = isSimulated
        self.records = records
        self.log = log
        self.wallClock = wallClock
        self.nowSeconds = nowSeconds
        loop = StationLoop(station: station)
        try self.devices.switchBurnerOff()
        switch records.load() {
        case .success(let record?):
            interrupted = record
            log.write(
                .warning,
                "cook \"\(record.recipeName)\" was interrupted in stage \(record.stageIndex + 1) \"\(record.stageName)\" (started by \(record.startedBy)); the burner stays off; `wokctl resume` continues it from that stage within \(formatNumber(station.daemon.resumeWithinSeconds)) s"
            )
        case .success(nil):
            break
        case .failure(let error):
            log.write(.warning, "\(error); ignoring it")
            try? records.clear()
        }
        // History: a cook the last daemon left running is closed as interrupted.
        journal?.closeInterruptedCooks(reason: "wokd stopped during the cook (a crash, a kill or a power cut)", unixSeconds: wallClock())
    }

    // MARK: Ticks

    /// Runs one control tick at `now` (seconds of station time).
    @discardableResult
    public func tick(nowSeconds now: Double) -> TickReport? {
        nowSeconds = now
        // Buttons first, so a stop press turns the burner off on this very tick.
        takeButtonPresses(now: now)
        guard let report = devices.tick(&loop, nowSeconds: now) else { return nil }
        lastReport = report
        // Watchers see every reading that decoded, a fault latched or not, marked when not trusted.
        history.observe(
            .init(
                timeSeconds: now, temperatureC: report.shownReading?.celsius, targetC: report.targetC, burnerOn: report.burner.isOn,
                trusted: report.shownReading?.trusted ?? true))
        // History: every tick of a running cook, before its events (the last tick's too), and of
        // the cool-down after a fault ended it.
        if running != nil || coolDown.records(atSeconds: now, faultLatched: loop.safety.latched != nil) {
            journal?.sampled(
                CookSample(
                    timeSeconds: now, measuredC: report.measuredC, targetC: report.targetC, burnerOn: report.burner.isOn,
                    duty: report.duty, trueC: isSimulated ? devices.trueTemperatureC : nil, shownReading: report.shownReading))
        }
        for event in report.events { record(event, at: now) }
        expireInterruptedCook()
        driveBuzzer(now: now)
        return report
    }

    // MARK: The stove's buttons and buzzer

    /// Acts on the presses the devices saw since the last tick. A line that cannot be read is
    /// logged once and skipped: buttons never touch the burner except through a stop.
    private func takeButtonPresses(now: Double) {
        let poll = devices.pollButtons(nowSeconds: now)
        for failure in poll.failures where !failingButtons.contains(failure) {
            log.write(.error, "\(failure); the station goes on without it")
        }
        failingButtons = Set(poll.failures)
        for button in poll.presses { press(button, now: now) }
    }

    /// One press, logged with the button as its peer, like a socket request. Any press silences
    /// the buzzer's current pattern.
    private func press(_ button: StationButton, now: Double) {
        let peer = Peer(description: "button \(button.rawValue)", mayChange: true)
        buzzer.silence()
        guard let session = loop.session, session.isRunning else {
            log.write(.notice, "\(peer) pressed with no cook running: nothing to \(button == .next ? "confirm" : button.rawValue)")
            return
        }
        switch button {
        case .next:
            _ = change(peer, "confirmed the stage") { () throws(SessionError) in try loop.confirm(nowSeconds: now) }
        case .hold where session.isHeld:
            _ = change(peer, "resumed the cook") { () throws(SessionError) in try loop.resume(nowSeconds: now) }
        case .hold:
            _ = change(peer, "held the cook") { () throws(SessionError) in try loop.hold(nowSeconds: now) }
        case .stop:
            // The tick that follows at once finds no running cook and drives the relay off.
            loop.abort(reason: "aborted by \(peer)", nowSeconds: now)
            log.write(.notice, "\(peer) aborted the cook; the burner goes off on this tick")
        }
    }

    /// Sets the buzzer to what the station's state asks for now. A failing buzzer is logged once
    /// and otherwise ignored: it never changes what the burner does.
    private func driveBuzzer(now: Double) {
        guard devices.hasBuzzer else { return }
        let on = buzzer.level(cues: BuzzerCues.current(loop), nowSeconds: now)
        let cue = buzzer.playing?.cue
        if cue?.key != soundingKey {
            if let cue {
                log.write(.info, "buzzer: \(cue.pattern.rawValue) pattern, \(cue.reason)")
            } else {
                log.write(.info, "buzzer: quiet")
            }
            soundingKey = cue?.key
        }
        do {
            try devices.setBuzzer(on, nowSeconds: now)
            if buzzerFailing { log.write(.notice, "buzzer: works again") }
            buzzerFailing = false
        } catch {
            if !buzzerFailing { log.write(.error, "buzzer: \(error); cooking goes on without it") }
            buzzerFailing = true
        }
    }

    private func record(_ event: CookEvent, at now: Double) {
        // History: committed before anyone hears of the event, so no event seen is ever lost.
        journal?.recorded(event, stationSeconds: now)
        log.write(Self.priority(of: event), event.description)
        pendingEvents.append(wireEvent(event, at: now))
        switch event {
        case .stageStarted(let index, let name, _):
            if var record = running {
                record.stageIndex = index
                record.stageName = name
                record.updatedAtUnixSeconds = wallClock()
                running = record
                save(record)
            }
        case .cookCompleted, .cookAborted, .faultLatched:
            if running != nil {
                running = nil
                do { try records.clear() } catch { log.write(.error, "\(error)") }
                let (outcome, reason) = Self.outcome(of: event)
                journal?.cookEnded(outcome, reason: reason, stationSeconds: now, unixSeconds: wallClock())  // History.
                if case .faultLatched = event { coolDown.begin(atSeconds: now) }
            }
        default:
            break
        }
    }

    private static func outcome(of event: CookEvent) -> (HistoryOutcome, String?) {
        switch event {
        case .cookAborted(let reason): (.aborted, reason)
        case .faultLatched(let fault): (.fault, "\(fault.kind.rawValue): \(fault.reason)")
        default: (.completed, nil)
        }
    }

    /// Compares the wall clock with the monotonic clock (the runner calls it every tick). A step
    /// is said in words and told to watchers, and latches nothing: the burner and the cook run
    /// on the monotonic clock, and a Pi that sets its clock by NTP soon after booting would
    /// otherwise trip the day's first cook. Cook records move with the clock, so the time left
    /// to resume an interrupted cook keeps counting real seconds.
    public func watchWallClock(monotonicSeconds: Double) {
        guard let step = wallClockWatch.observe(wallSeconds: wallClock(), monotonicSeconds: monotonicSeconds) else { return }
        let size = formatNumber((abs(step) * 10).rounded() / 10)
        let message =
            "the wall clock stepped \(size) s \(step > 0 ? "forward" : "back") (NTP or a person setting it, or the machine sleeping); control runs on the monotonic clock, so the burner and the cook go on; times in the history differ by that much across it"
        log.write(.warning, message)
        pendingEvents.append(WireEvent(name: FaultKind.clockJump.rawValue, message: message, timeSeconds: nowSeconds))
        if var record = running {
            record.updatedAtUnixSeconds += step
            running = record
            save(record)
        }
        if var record = interrupted {
            record.updatedAtUnixSeconds += step
            interrupted = record
            save(record)
        }
    }

    /// Commits the history's buffered samples when it is time (the runner calls it every turn).
    public func flushJournal(realSeconds: Double) {
        journal?.flush(realSeconds: realSeconds)
    }

    private func save(_ record: CookRecord) {
        // A cook goes on when its record cannot be written: the record only matters after a crash.
        do { try records.save(record) } catch { log.write(.error, "\(error); the cook goes on") }
    }

    private static func priority(of event: CookEvent) -> LogPriority {
        switch event {
        case .alarm: .alert
        case .faultLatched, .valveClosed: .error
        case .confirmationOverdue, .targetNotReached, .cookAborted: .warning
        case .prompt, .awaitingConfirmation, .cookCompleted: .notice
        default: .info
        }
    }

    private func expireInterruptedCook() {
        guard let record = interrupted, wallClock() - record.updatedAtUnixSeconds > station.daemon.resumeWithinSeconds else {
            return
        }
        interrupted = nil
        log.write(.notice, "the interrupted cook \"\(record.recipeName)\" can no longer be resumed; start it again instead")
        do { try records.clear() } catch { log.write(.error, "\(error)") }
    }

    /// Events since the last call, for subscribers.
    public func drainEvents() -> [WireEvent] {
        defer { pendingEvents = [] }
        return pendingEvents
    }

    // MARK: Requests

    /// Answers one request. State changes take effect at the next tick, except `abort`, which
    /// turns the burner off before it answers.
    public func handle(_ request: ControlRequest, from peer: Peer) -> Result<StationSnapshot, ControlError> {
        if request.method.changesState && !peer.mayChange {
            log.write(.warning, "\(peer) may not \(request.method.rawValue): refused")
            return .failure(
                ControlError(
                    .notPermitted,
                    "\(peer) may watch but not change the station (only the socket's owner and group may)"))
        }
        let now = nowSeconds
        switch request.method {
        case .status, .subscribe:
            return .success(snapshot())
        case .start:
            return start(request.params, by: peer, now: now)
        case .next:
            return change(peer, "confirmed the stage") { () throws(SessionError) in try loop.confirm(nowSeconds: now) }
        case .hold:
            return change(peer, "held the cook") { () throws(SessionError) in try loop.hold(nowSeconds: now) }
        case .resume:
            if loop.session?.isHeld == true {
                return change(peer, "resumed the cook") { () throws(SessionError) in try loop.resume(nowSeconds: now) }
            }
            return resumeInterrupted(by: peer, now: now)
        case .extend:
            guard let seconds = request.params["seconds"]?.numberValue, request.params.count == 1,
                CookSession.extendRange.contains(seconds)
            else {
                return .failure(
                    ControlError(
                        .invalidRequest,
                        "extend takes {\"seconds\": N}, N from \(formatNumber(CookSession.extendRange.lowerBound)) to \(formatNumber(CookSession.extendRange.upperBound))"
                    ))
            }
            return change(peer, "gave the stage \(formatDuration(seconds)) more") { () throws(SessionError) in
                try loop.extend(bySeconds: seconds, nowSeconds: now)
            }
        case .finish:
            return change(peer, "ended the stage early") { () throws(SessionError) in try loop.finish(nowSeconds: now) }
        case .holdAt:
            return holdAt(request.params, by: peer, now: now)
        case .abort:
            return abort(by: peer, now: now)
        case .ack:
            do {
                try loop.acknowledge()
            } catch {
                log.write(.notice, "\(peer) asked to acknowledge the fault: refused, \(error)")
                return .failure(ControlError(.refused, error.description))
            }
            log.write(.notice, "\(peer) acknowledged the fault")
            return .success(snapshot())
        }
    }

    private func change(_ peer: Peer, _ what: String, _ body: () throws(SessionError) -> Void) -> Result<StationSnapshot, ControlError> {
        do {
            try body()
        } catch {
            log.write(.notice, "\(peer) was refused: \(error)")
            return .failure(ControlError(.refused, error.description))
        }
        log.write(.notice, "\(peer) \(what)")
        return .success(snapshot())
    }

    private func abort(by peer: Peer, now: Double) -> Result<StationSnapshot, ControlError> {
        if loop.session?.isRunning == true {
            loop.abort(reason: "aborted by \(peer)", nowSeconds: now)
            // Off now, not at the next tick: the loop's gate sees no running cook.
            tick(nowSeconds: now)
            log.write(.notice, "\(peer) aborted the cook; burner \(devices.burnerIsOn ? "STILL ON" : "off")")
            return .success(snapshot())
        }
        if let record = interrupted {
            // The record goes first: a cook said to be discarded must not come back at the next start.
            do { try records.clear() } catch {
                log.write(.error, "\(peer) asked to discard the interrupted cook \"\(record.recipeName)\": \(error); it is kept")
                return .failure(ControlError(.failed, "the interrupted cook cannot be discarded: \(error); it is kept"))
            }
            interrupted = nil
            log.write(.notice, "\(peer) discarded the interrupted cook \"\(record.recipeName)\"")
            return .success(snapshot())
        }
        return .failure(ControlError(.refused, "no cook is running"))
    }

    private func start(_ params: JSONObject, by peer: Peer, now: Double) -> Result<StationSnapshot, ControlError> {
        let loaded: (recipe: Recipe, document: String, source: String)
        switch RecipeSource.load(params, directories: recipeDirectories) {
        case .success(let found): loaded = found
        case .failure(let error):
            log.write(.notice, "\(peer) asked to start a recipe: \(error.message)")
            return .failure(error)
        }
        var recipe = loaded.recipe
        var serves: Int?
        if let value = params["serves"] {
            guard let people = value.intValue, people >= 1, people <= 100 else {
                return .failure(ControlError(.invalidRequest, "start: \"serves\" must be a whole number of people, 1 to 100"))
            }
            switch recipe.scaled(toServe: people) {
            case .success(let scaled): recipe = scaled
            case .failure(let problem):
                log.write(.notice, "\(peer) asked to start \"\(recipe.name)\" for \(people): refused, \(problem)")
                return .failure(ControlError(.refused, problem.description))
            }
            serves = people
        }
        return begin(recipe, document: loaded.document, source: loaded.source, serves: serves, atStage: 0, by: peer, now: now)
    }

    private func holdAt(_ params: JSONObject, by peer: Peer, now: Double) -> Result<StationSnapshot, ControlError> {
        let usage = "hold-at takes {\"celsius\": N} or {\"level\": NAME}, and optionally {\"seconds\": N}"
        for key in params.keys where !["celsius", "level", "seconds"].contains(key) {
            return .failure(ControlError(.invalidRequest, "\(usage); not \"\(String(key.prefix(64)))\""))
        }
        let heat: Heat
        switch (params["celsius"], params["level"]) {
        case (let celsius?, nil):
            guard let value = celsius.numberValue else { return .failure(ControlError(.invalidRequest, usage)) }
            heat = .celsius(value)
        case (nil, let level?):
            guard let name = level.stringValue, let known = HeatLevel(rawValue: name) else {
                let levels = HeatLevel.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(ControlError(.invalidRequest, "hold-at: \"level\" is one of \(levels)"))
            }
            heat = .level(known)
        default:
            return .failure(ControlError(.invalidRequest, usage))
        }
        var seconds = ManualHold.defaultSeconds
        if let given = params["seconds"] {
            guard let value = given.numberValue else { return .failure(ControlError(.invalidRequest, usage)) }
            seconds = value
        }
        switch ManualHold.recipe(heat: heat, seconds: seconds) {
        case .success(let hold):
            return begin(hold.recipe, document: hold.document, source: "a manual hold", serves: nil, atStage: 0, by: peer, now: now)
        case .failure(let problem):
            log.write(.notice, "\(peer) asked for a hold at \(heat): refused, \(problem)")
            return .failure(ControlError(.refused, problem.description))
        }
    }

    private func resumeInterrupted(by peer: Peer, now: Double) -> Result<StationSnapshot, ControlError> {
        guard let record = interrupted else {
            return .failure(ControlError(.refused, loop.session?.isRunning == true ? "the cook is not held" : "there is nothing to resume"))
        }
        var recipe: Recipe
        switch RecipeLoader.parse(record.recipeDocument, source: record.recipeSource) {
        case .success(let parsed): recipe = parsed
        case .failure(let error):
            return .failure(ControlError(.recipeInvalid, "the interrupted recipe no longer loads", problems: error.problems))
        }
        if let serves = record.serves {
            switch recipe.scaled(toServe: serves) {
            case .success(let scaled): recipe = scaled
            case .failure(let problem): return .failure(ControlError(.recipeInvalid, "the interrupted cook cannot be scaled: \(problem)"))
            }
        }
        return begin(
            recipe, document: record.recipeDocument, source: record.recipeSource, serves: record.serves,
            atStage: record.stageIndex, resuming: true, by: peer, now: now)
    }

    private func begin(
        _ recipe: Recipe, document: String, source: String, serves: Int?, atStage stage: Int, resuming: Bool = false, by peer: Peer,
        now: Double
    ) -> Result<StationSnapshot, ControlError> {
        do {
            try loop.start(recipe: recipe, nowSeconds: now, atStage: stage)
        } catch {
            log.write(.notice, "\(peer) asked to start \"\(recipe.name)\": refused, \(error)")
            if case .recipeRejected(let problems) = error {
                return .failure(
                    ControlError(
                        .recipeInvalid, "\(source) does not suit this station", problems: problems.map(\.description)))
            }
            return .failure(ControlError(.refused, error.description))
        }
        let wall = wallClock()
        let record = CookRecord(
            recipeName: recipe.name, recipeDocument: document, recipeSource: source, stageIndex: stage,
            stageName: recipe.stages[stage].name, startedAtUnixSeconds: wall, updatedAtUnixSeconds: wall,
            startedBy: peer.description, serves: serves)
        running = record
        interrupted = nil
        coolDown.end()
        save(record)
        // History: the cook's row and its planned stages.
        journal?.cookStarted(
            CookStart(
                recipeName: recipe.name, recipeDocument: document, recipeSource: source, station: station.name,
                startedBy: peer.description, startedAtUnixSeconds: wall, stationSeconds: now, firstStageIndex: stage,
                resumed: resuming, stages: recipe.stages.map { PlannedStage(name: $0.name, targetC: station.targetC(for: $0.heat)) }))
        // A resume always names its stage, the first included: the log tells it from a new cook.
        let from = stage == 0 && !resuming ? "" : " from stage \(stage + 1) \"\(recipe.stages[stage].name)\""
        let portions = serves.map { " for \($0)" } ?? ""
        log.write(.notice, "\(peer) \(resuming ? "resumed" : "started") \"\(recipe.name)\"\(portions)\(from) (\(source))")
        return .success(snapshot())
    }

    // MARK: Shutdown

    /// Stops with the burner off. A running cook stays recorded, so the next start reports it
    /// as interrupted. Returns false when the relay refused to switch off (the caller must say so
    /// loudly; the kernel releasing the line on exit is the last defence).
    public func shutdown(reason: String) -> Bool {
        // The burner first: nothing else (the log, the disk) may delay it.
        var isOff = false
        for attempt in 1...3 where !isOff {
            do {
                try devices.switchBurnerOff()
                isOff = true
            } catch {
                log.write(.error, "switching the burner off failed (attempt \(attempt) of 3): \(error)")
            }
        }
        if let record = running {
            log.write(.warning, "\(reason) during the cook \"\(record.recipeName)\" (stage \(record.stageIndex + 1)); the cook is interrupted")
            journal?.cookEnded(.interrupted, reason: "wokd stopped (\(reason))", stationSeconds: nowSeconds, unixSeconds: wallClock())
        }
        journal?.flushNow()  // History.
        // The buzzer silent and the buttons' lines given back, after the burner.
        devices.releaseStove()
        if isOff { log.write(.notice, "burner off; stopping (\(reason))") }
        return isOff
    }

    // MARK: Views

    public var state: CookState { loop.state }
    public var burnerIsOn: Bool { devices.burnerIsOn }
    public var devicesSummary: String { devices.summary }

    /// One line for `systemctl status`.
    public var statusLine: String {
        if let fault = loop.safety.latched { return "FAULT \(fault.kind.rawValue): \(fault.reason); burner off" }
        guard let session = loop.session, session.isRunning else {
            if let record = interrupted { return "Idle; cook \"\(record.recipeName)\" interrupted in stage \(record.stageIndex + 1), resumable" }
            if let fault = loop.lastFault { return "Idle after fault \(fault.kind.rawValue) (acknowledged); burner off" }
            return state == .done ? "Done; burner off" : "Idle; burner off"
        }
        let target = session.targetC.map { "\(formatCelsius($0)) °C" } ?? "off"
        return "\(state.rawValue): stage \(session.stageIndex + 1)/\(session.recipe.stages.count) \"\(session.stage.name)\", target \(target)"
    }

    /// Everything `wokctl status` shows (see docs/protocol.md); the runner adds the loop's figures.
    public func snapshot() -> StationSnapshot {
        let session = loop.session
        let running = session?.isRunning == true
        var snapshot = StationSnapshot(state: state)
        snapshot.recipe = session?.recipe.name
        if let session, running {
            snapshot.stage = .init(
                index: session.stageIndex, name: session.stage.name, elapsedSeconds: session.stageElapsedSeconds,
                remainingSeconds: session.remainingSeconds, untilSafeHoldSeconds: session.untilSafeHoldSeconds,
                extraSeconds: session.extraSeconds)
            snapshot.targetC = session.targetC
            snapshot.haveReady = session.haveReady
            snapshot.cookElapsedSeconds = nowSeconds - session.startedAtSeconds
            snapshot.serves = session.recipe.serves
        }
        if let session {
            snapshot.stages = session.recipe.stages.map { .init(name: $0.name, targetC: station.targetC(for: $0.heat)) }
        }
        if let latched = loop.safety.latched {
            snapshot.fault = .init(kind: latched.kind.rawValue, reason: latched.reason, detectedAtSeconds: latched.detectedAtSeconds)
        }
        if let last = loop.lastFault {
            snapshot.lastFault = .init(kind: last.kind.rawValue, reason: last.reason, detectedAtSeconds: last.detectedAtSeconds)
        }
        if let record = interrupted {
            snapshot.interrupted = .init(
                recipe: record.recipeName, stageIndex: record.stageIndex, stageName: record.stageName,
                atUnixSeconds: record.updatedAtUnixSeconds,
                resumableForSeconds: max(0, station.daemon.resumeWithinSeconds - (wallClock() - record.updatedAtUnixSeconds)).rounded())
        }
        snapshot.temperatureC = lastReport?.measuredC
        snapshot.shownReading = lastReport?.shownReading
        snapshot.burnerOn = devices.burnerIsOn
        snapshot.duty = lastReport?.duty ?? 0
        snapshot.prompt = prompt
        snapshot.timeSeconds = nowSeconds
        snapshot.station = station.name
        snapshot.simulated = isSimulated
        snapshot.speed = speed
        snapshot.historyStore = journal?.statusJSON ?? .null
        if isSimulated { snapshot.trueTemperatureC = devices.trueTemperatureC }
        return snapshot
    }

    /// What the cook must do now, in words; nil when nothing is asked of them.
    public var prompt: String? {
        if let fault = loop.safety.latched {
            return "Burner off: \(fault.reason). Make the station safe, then acknowledge with `wokctl ack`."
        }
        guard let session = loop.session, session.isRunning, session.cookMustAct else { return nil }
        let text = CookSession.promptText(for: session.stage) ?? "Stage \(session.stageIndex + 1) \"\(session.stage.name)\" needs you."
        if session.isOverdue {
            return "\(text) Nobody confirmed in time, so the heat is down to a safe hold: confirm with `wokctl next`."
        }
        if session.state == .waitingForCook { return "\(text) Confirm with `wokctl next` when it is ready." }
        return text
    }

    private func wireEvent(_ event: CookEvent, at now: Double) -> WireEvent {
        var wire = WireEvent(name: event.name, message: event.description, timeSeconds: now, stageIndex: event.stageIndex)
        switch event {
        case .prompt(_, let text):
            wire.prompt = text
        case .faultLatched(let fault):
            wire.faultKind = fault.kind.rawValue
            wire.faultReason = fault.reason
        default:
            break
        }
        return wire
    }
}
