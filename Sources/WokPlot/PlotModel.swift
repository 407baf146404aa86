/// What a cook plot shows, in plain numbers: the SVG renderer draws it, and knows nothing of
/// cooks, databases or simulations. Times are seconds from the cook's start.
public struct CookPlot: Sendable {
    public var title: String
    public var subtitle: String
    /// Temperature lines (°C over time), drawn in order.
    public var lines: [PlotLine]
    /// Stages, as labelled bands behind the lines.
    public var bands: [PlotBand]
    /// Prompts, faults and the like, as vertical marks with a label.
    public var markers: [PlotMarker]
    /// On/off strips beneath the chart (the burner), one per row.
    public var strips: [PlotStrip]

    public init(title: String, subtitle: String = "", lines: [PlotLine], bands: [PlotBand] = [], markers: [PlotMarker] = [], strips: [PlotStrip] = [])
    {
        self.title = title
        self.subtitle = subtitle
        self.lines = lines
        self.bands = bands
        self.markers = markers
        self.strips = strips
    }
}

/// One line of the chart; a nil value breaks the line (no reading).
public struct PlotLine: Sendable {
    public var label: String
    /// An SVG colour, e.g. "#d62728".
    public var color: String
    public var dashed: Bool
    /// Finer than dashed: for values shown but not to be believed.
    public var dotted: Bool
    public var widthPixels: Double
    public var points: [(timeSeconds: Double, valueC: Double?)]

    public init(
        label: String, color: String, dashed: Bool = false, dotted: Bool = false, widthPixels: Double = 1.6,
        points: [(timeSeconds: Double, valueC: Double?)]
    ) {
        self.label = label
        self.color = color
        self.dashed = dashed
        self.dotted = dotted
        self.widthPixels = widthPixels
        self.points = points
    }

    /// The SVG attribute that draws the line's dashes, if it has any.
    var dashAttribute: String {
        if dotted { return " stroke-dasharray=\"1.5 3\" stroke-linecap=\"round\"" }
        return dashed ? " stroke-dasharray=\"6 4\"" : ""
    }
}

public struct PlotBand: Sendable {
    public var label: String
    public var startSeconds: Double
    public var endSeconds: Double

    public init(label: String, startSeconds: Double, endSeconds: Double) {
        self.label = label
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }
}

public struct PlotMarker: Sendable {
    public enum Kind: Sendable, CaseIterable {
        /// The cook was asked to act.
        case prompt
        /// A safety fault, an alarm, an abort.
        case fault
        /// Anything else worth a mark (a confirmation, a hold).
        case note

        /// The mark drawn above the chart.
        var symbol: String {
            switch self {
            case .prompt: "▼"
            case .fault: "⚠"
            case .note: "•"
            }
        }

        var color: String {
            switch self {
            case .prompt: "#2a7d2a"
            case .fault: "#c00000"
            case .note: "#888888"
            }
        }

        /// What the mark stands for, in the chart's key.
        var legend: String {
            switch self {
            case .prompt: "the cook was asked to act"
            case .fault: "fault, alarm, abort or safe hold"
            case .note: "confirmed, held, resumed, extended or ended early"
            }
        }
    }

    public var timeSeconds: Double
    public var label: String
    public var kind: Kind

    public init(timeSeconds: Double, label: String, kind: Kind) {
        self.timeSeconds = timeSeconds
        self.label = label
        self.kind = kind
    }
}

public struct PlotStrip: Sendable {
    public var label: String
    public var color: String
    /// Intervals when the thing was on.
    public var onIntervals: [(startSeconds: Double, endSeconds: Double)]

    public init(label: String, color: String, onIntervals: [(startSeconds: Double, endSeconds: Double)]) {
        self.label = label
        self.color = color
        self.onIntervals = onIntervals
    }

    /// Intervals from a series of on/off samples, each lasting until the next.
    public static func intervals(_ samples: [(timeSeconds: Double, on: Bool)]) -> [(startSeconds: Double, endSeconds: Double)] {
        var result: [(startSeconds: Double, endSeconds: Double)] = []
        var start: Double?
        for (index, sample) in samples.enumerated() {
            if sample.on, start == nil { start = sample.timeSeconds }
            if !sample.on, let began = start {
                result.append((began, sample.timeSeconds))
                start = nil
            }
            if index == samples.count - 1, let began = start { result.append((began, sample.timeSeconds)) }
        }
        return result
    }
}
