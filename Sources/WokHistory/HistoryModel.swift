public import WokCore

/// How a cook ended, as the history stores it.
public enum HistoryOutcome: String, Sendable, Equatable, CaseIterable {
    /// Still cooking (or the daemon died and has not restarted yet).
    case running
    case completed
    case aborted
    /// A safety fault latched and ended the cook.
    case fault
    /// The daemon stopped (a signal, a crash, a power cut) while the cook ran.
    case interrupted
}

/// A stage as the recipe planned it, written when the cook starts.
public struct PlannedStage: Sendable, Equatable {
    public var name: String
    /// The stage's target on this station; nil for a stage with the burner off.
    public var targetC: Double?

    public init(name: String, targetC: Double?) {
        self.name = name
        self.targetC = targetC
    }
}

/// Everything known about a cook when it starts.
public struct CookStart: Sendable, Equatable {
    public var recipeName: String
    /// The recipe text as started; its hash tells two versions of one recipe apart.
    public var recipeDocument: String
    public var recipeSource: String
    public var station: String
    public var startedBy: String
    public var startedAtUnixSeconds: Double
    /// The daemon's station time at the start; samples and events are stored relative to it.
    public var stationSeconds: Double
    /// 0, or the stage a resumed cook continued from.
    public var firstStageIndex: Int
    /// The cook continues an interrupted one (`wokctl resume`), from whichever stage.
    public var resumed: Bool
    public var stages: [PlannedStage]

    public init(
        recipeName: String, recipeDocument: String, recipeSource: String, station: String, startedBy: String,
        startedAtUnixSeconds: Double, stationSeconds: Double, firstStageIndex: Int, resumed: Bool = false, stages: [PlannedStage]
    ) {
        self.recipeName = recipeName
        self.recipeDocument = recipeDocument
        self.recipeSource = recipeSource
        self.station = station
        self.startedBy = startedBy
        self.startedAtUnixSeconds = startedAtUnixSeconds
        self.stationSeconds = stationSeconds
        self.firstStageIndex = firstStageIndex
        self.resumed = resumed
        self.stages = stages
    }
}

/// One control tick of a cook.
public struct CookSample: Sendable, Equatable {
    /// Seconds since the cook started.
    public var timeSeconds: Double
    /// The reading control used; nil when there was none (unreadable, or a fault latched).
    public var measuredC: Double?
    public var targetC: Double?
    public var burnerOn: Bool
    public var duty: Double
    /// The wok's true temperature, known only in a simulation.
    public var trueC: Double?
    /// The reading as people were shown it: `measuredC`, trusted, when control used it; during a
    /// fault the reading control refused, and whether the sensor was believed; nil when none decoded.
    public var shownReading: ShownReading?

    /// A tick whose shown reading was what control used.
    public init(timeSeconds: Double, measuredC: Double?, targetC: Double?, burnerOn: Bool, duty: Double, trueC: Double? = nil) {
        self.init(
            timeSeconds: timeSeconds, measuredC: measuredC, targetC: targetC, burnerOn: burnerOn, duty: duty, trueC: trueC,
            shownReading: Self.asMeasured(measuredC))
    }

    public init(
        timeSeconds: Double, measuredC: Double?, targetC: Double?, burnerOn: Bool, duty: Double, trueC: Double?, shownReading: ShownReading?
    ) {
        self.timeSeconds = timeSeconds
        self.measuredC = measuredC
        self.targetC = targetC
        self.burnerOn = burnerOn
        self.duty = duty
        self.trueC = trueC
        self.shownReading = shownReading
    }

    /// The shown reading of a tick whose reading control used.
    static func asMeasured(_ measuredC: Double?) -> ShownReading? { measuredC.map { ShownReading(celsius: $0, trusted: true) } }

    /// Whether the reading shown was other than control's: only then is it stored on its own.
    var shownApartFromMeasured: ShownReading? { shownReading == Self.asMeasured(measuredC) ? nil : shownReading }
}

/// One event of a cook (a prompt, a confirmation, a hold, a fault, ...).
public struct CookEventRecord: Sendable, Equatable {
    /// Seconds since the cook started.
    public var timeSeconds: Double
    /// The event's machine name (`CookEvent.name`).
    public var name: String
    public var stageIndex: Int?
    /// The event in words.
    public var message: String
    /// A detail worth its own field: a fault's kind, a prompt's text.
    public var detail: String?

    public init(timeSeconds: Double, name: String, stageIndex: Int?, message: String, detail: String?) {
        self.timeSeconds = timeSeconds
        self.name = name
        self.stageIndex = stageIndex
        self.message = message
        self.detail = detail
    }

    /// The record of `event` at `timeSeconds` after the cook's start.
    public init(_ event: CookEvent, timeSeconds: Double) {
        var detail: String?
        switch event {
        case .prompt(_, let text): detail = text
        case .faultLatched(let fault): detail = fault.kind.rawValue
        case .faultAcknowledged(let kind): detail = kind.rawValue
        case .cookAborted(let reason), .alarm(let reason), .valveClosed(let reason): detail = reason
        default: break
        }
        self.init(timeSeconds: timeSeconds, name: event.name, stageIndex: event.stageIndex, message: event.description, detail: detail)
    }
}

/// A stage as it went: planned at the start, its times filled in as the cook ran.
public struct CookStageRecord: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var targetC: Double?
    /// Seconds since the cook's start; nil for a stage the cook never reached.
    public var startedSeconds: Double?
    public var endedSeconds: Double?
    /// When the wok first came within the band of the target.
    public var reachedSeconds: Double?

    public init(index: Int, name: String, targetC: Double?, startedSeconds: Double?, endedSeconds: Double?, reachedSeconds: Double?) {
        self.index = index
        self.name = name
        self.targetC = targetC
        self.startedSeconds = startedSeconds
        self.endedSeconds = endedSeconds
        self.reachedSeconds = reachedSeconds
    }
}

/// One line of `wokctl history`.
public struct CookSummary: Sendable, Equatable {
    public var id: Int
    public var recipeName: String
    /// FNV-1a 64 of the recipe text, in hex: not a security hash, a way to see that the recipe changed.
    public var recipeHash: String
    public var station: String
    public var startedBy: String
    public var startedAtUnixSeconds: Double
    public var endedAtUnixSeconds: Double?
    /// Seconds from start to the last sample or event.
    public var durationSeconds: Double
    public var firstStageIndex: Int
    /// It continued an interrupted cook (`CookStart.resumed`).
    public var resumed = false
    public var outcome: HistoryOutcome
    /// Why it was aborted, faulted or interrupted.
    public var reason: String?
}

/// A whole cook as stored.
public struct CookHistory: Sendable, Equatable {
    public var summary: CookSummary
    public var recipeDocument: String
    public var recipeSource: String
    public var stages: [CookStageRecord]
    public var events: [CookEventRecord]
    public var samples: [CookSample]
}

/// The content hash of a recipe text: FNV-1a over its UTF-8 bytes, 16 hex digits.
public func recipeContentHash(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
