internal import WokCore
internal import WokWire

/// `/metrics` in Prometheus's text format (version 0.0.4): one HELP and TYPE per family, units in
/// the names, counters ending in `_total`. A value wokd does not know now (no reading during a
/// fault, no target with the burner off) leaves its family without a sample rather than inventing one.
public enum MetricsText {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ view: StationView, streams: Int, version: String) -> String {
        var out = Family.Writer()
        out.family("wokweb_build_info", .gauge, "wokweb's version; always 1", [(labels(["version": version]), 1)])
        out.family("wokweb_wokd_connected", .gauge, "Whether wokweb is subscribed to wokd (1) or not (0)", [("", view.connected ? 1 : 0)])
        out.family("wokweb_wokd_link_losses_total", .counter, "Times the subscription to wokd was lost", [("", Double(view.linkLosses))])
        out.family("wokweb_event_streams", .gauge, "Browsers following the station (server-sent event streams)", [("", Double(streams))])
        out.family(
            "wokweb_event_streams_dropped_total", .counter, "Streams dropped because the browser fell too far behind",
            [("", Double(view.droppedStreams))])
        out.family(
            "wok_faults_total", .counter, "Faults seen by wokweb since it started, by kind",
            view.faultsByKind.sorted { $0.key < $1.key }.map { (labels(["kind": $0.key]), Double($0.value)) })
        out.family(
            "wok_burner_switches_total", .counter, "Burner relay changes (on to off or back) seen by wokweb since it started",
            [("", Double(view.burnerSwitches))])
        guard let snapshot = view.snapshot else { return out.text }
        out.family(
            "wok_state", .gauge, "The station's state: 1 for the current one",
            CookState.allCases.map { (labels(["state": $0.rawValue]), $0 == snapshot.state ? 1 : 0) })
        out.family("wok_temperature_celsius", .gauge, "The wok's temperature as shown", snapshot.shownReading.map { [("", $0.celsius)] } ?? [])
        out.family(
            "wok_temperature_trusted", .gauge, "Whether the shown temperature is believed (0 while a fault may be the sensor's)",
            snapshot.shownReading.map { [("", $0.trusted ? 1 : 0)] } ?? [])
        out.family("wok_target_celsius", .gauge, "What the wok should be at now", snapshot.targetC.map { [("", $0)] } ?? [])
        out.family("wok_burner_on", .gauge, "Whether the burner relay is on", [("", snapshot.burnerOn ? 1 : 0)])
        out.family("wok_burner_duty_ratio", .gauge, "The controller's duty, 0 to 1", [("", snapshot.duty)])
        out.family("wok_fault_latched", .gauge, "Whether a fault is latched", [("", snapshot.fault == nil ? 0 : 1)])
        out.family("wok_stage_index", .gauge, "The running stage, from 0", snapshot.stage.map { [("", Double($0.index))] } ?? [])
        out.family(
            "wok_stage_remaining_seconds", .gauge, "Least time the stage has left", snapshot.stage?.remainingSeconds.map { [("", $0)] } ?? [])
        out.family("wok_station_time_seconds", .gauge, "Station time since wokd started", [("", snapshot.timeSeconds)])
        if let loop = snapshot.loop {
            out.family("wok_loop_ticks_total", .counter, "Control loop ticks since wokd started", [("", Double(loop.ticks))])
            out.family(
                "wok_loop_missed_deadlines_total", .counter, "Control loop ticks that missed their deadline since wokd started",
                [("", Double(loop.missedDeadlines))])
            // Separate gauges: a `quantile` label belongs to summaries only, and this is wokd's own figure.
            for (name, words, value) in [
                ("p50", "median", loop.latenessP50Ms), ("p99", "99th percentile", loop.latenessP99Ms), ("max", "largest", loop.latenessMaxMs),
            ] {
                out.family(
                    "wok_loop_lateness_\(name)_seconds", .gauge, "The \(words) lateness of the last 8192 control loop ticks",
                    value.map { [("", $0 / 1000)] } ?? [])
            }
        }
        if let store = snapshot.historyStore.objectValue {
            out.family("wok_history_ok", .gauge, "Whether the cook history is being written", [("", store["ok"]?.boolValue == false ? 0 : 1)])
            out.family("wok_history_queued_messages", .gauge, "Messages waiting for the history writer", [("", store["queued"]?.numberValue ?? 0)])
            out.family(
                "wok_history_dropped_samples_total", .counter, "Samples the history dropped since wokd started",
                [("", store["droppedSamples"]?.numberValue ?? 0)])
            out.family(
                "wok_history_dropped_events_total", .counter, "Events the history dropped since wokd started",
                [("", store["droppedEvents"]?.numberValue ?? 0)])
            out.family(
                "wok_history_writer_stalled_seconds", .gauge, "How long the history writer has kept its oldest work waiting",
                [("", store["writerStalledSeconds"]?.numberValue ?? 0)])
        }
        return out.text
    }

    /// `{name="value",...}` with the format's escapes (backslash, quote, newline).
    static func labels(_ pairs: [String: String]) -> String {
        let inner = pairs.sorted { $0.key < $1.key }.map { key, value in
            var escaped = ""
            for character in value.unicodeScalars.prefix(128) {
                switch character {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.unicodeScalars.append(character)
                }
            }
            return "\(key)=\"\(escaped)\""
        }
        return "{" + inner.joined(separator: ",") + "}"
    }

    enum Family {
        enum Kind: String { case gauge, counter }

        struct Writer {
            var text = ""

            mutating func family(_ name: String, _ kind: Kind, _ help: String, _ samples: [(labels: String, value: Double)]) {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
                for sample in samples { text += "\(name)\(sample.labels) \(number(sample.value))\n" }
            }

            func number(_ value: Double) -> String {
                if value.isNaN { return "NaN" }
                if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
                if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
                return "\(value)"
            }
        }
    }
}
