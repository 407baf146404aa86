import Foundation
import Testing
import WokWeb

/// The Grafana dashboard shipped in config/grafana (docs/fleet.md) asks only for series wokweb
/// exports: the names are read from MetricsText's own output, so a renamed metric fails here.
@Suite struct DashboardTests {
    static let path = Built.repositoryRoot.appendingPathComponent("config/grafana/wok-stations.json").path

    /// Every family wokweb writes, from a view with every figure present.
    static func exportedNames() -> Set<String> {
        var view = MetricsTextTests().cookingView()
        view.faultsByKind["sensor-open"] = 1
        let text = MetricsText.render(view, streams: 1, version: "test")
        return Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
    }

    /// The PromQL of every query in the dashboard (panels' targets and template variables).
    static func expressions(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            var found: [String] = []
            for (key, member) in object {
                if key == "expr" || key == "definition", let text = member as? String { found.append(text) }
                found += expressions(in: member)
            }
            return found
        case let array as [Any]: return array.flatMap { expressions(in: $0) }
        default: return []
        }
    }

    @Test func theDashboardParsesAndAsksOnlyForExportedMetrics() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.path))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 4)
        for panel in panels {
            #expect(!((panel["targets"] as? [Any]) ?? []).isEmpty, "\(panel["title"] ?? "?") has a query")
        }
        let variables = ((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
        #expect(variables.contains { $0["name"] as? String == "station" }, "a station picker, from the scrape config's label")

        let exported = Self.exportedNames()
        #expect(exported.contains("wok_temperature_celsius") && exported.count > 20, "\(exported)")
        let expressions = Self.expressions(in: dashboard)
        #expect(expressions.count >= 10)
        var used: Set<String> = []
        for expression in expressions {
            let names = PromQLNames.metrics(in: expression)
            #expect(!names.isEmpty, "\(expression) names a metric")
            for name in names {
                #expect(exported.contains(name), "\(name) in \(expression) is not a metric wokweb exports")
                used.insert(name)
            }
        }
        // The issue's four: temperature against target, faults, relay switches, loop lateness.
        for name in [
            "wok_temperature_celsius", "wok_target_celsius", "wok_fault_latched", "wok_faults_total", "wok_burner_switches_total",
            "wok_loop_lateness_p99_seconds",
        ] {
            #expect(used.contains(name), "\(name) is on the dashboard")
        }
    }

    @Test func theNameReaderSkipsFunctionsLabelsAndRanges() {
        #expect(
            PromQLNames.metrics(in: #"sum by (station, kind) (increase(wok_faults_total{station=~"$station", kind!="x y"}[$__range]))"#)
                == ["wok_faults_total"])
        #expect(PromQLNames.metrics(in: #"label_values(wok_temperature_celsius, station)"#) == ["wok_temperature_celsius"])
        #expect(PromQLNames.metrics(in: "rate(a_b[5m]) / on (station) c") == ["a_b", "c"])
        #expect(PromQLNames.metrics(in: "x * $scale + 2.5e3") == ["x"])
    }
}

/// The metric names in a PromQL expression: identifiers that are not functions, keywords, label
/// names (in braces or after by/without/on/ignoring) or durations. Enough for a dashboard's queries.
enum PromQLNames {
    static let keywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    ]

    static func metrics(in expression: String) -> [String] {
        // label_values(METRIC, LABEL): Grafana's, not PromQL; its second argument is a label.
        var text = expression
        if let range = text.range(of: #"label_values\(([^,]+),[^)]*\)"#, options: .regularExpression) {
            text = String(text[range]).replacingOccurrences(of: "label_values(", with: "").split(separator: ",").first.map(String.init) ?? ""
        }
        // Strings, label matchers, ranges and the label lists of by/without/on/ignoring go first.
        for pattern in [#""[^"]*""#, #"\{[^}]*\}"#, #"\[[^\]]*\]"#, #"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        var names: [String] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard CharacterSet.letters.contains(scalar) || scalar == "_" || scalar == ":" else {
                // A number (with a unit, as in 5m) or a Grafana variable ($station) is not a name.
                if CharacterSet.decimalDigits.contains(scalar) || scalar == "$" {
                    index += 1
                    while index < scalars.count, CharacterSet.alphanumerics.contains(scalars[index]) || scalars[index] == "." || scalars[index] == "_"
                    {
                        index += 1
                    }
                } else {
                    index += 1
                }
                continue
            }
            var end = index
            while end < scalars.count, CharacterSet.alphanumerics.contains(scalars[end]) || scalars[end] == "_" || scalars[end] == ":" { end += 1 }
            let word = String(String.UnicodeScalarView(scalars[index..<end]))
            var next = end
            while next < scalars.count, scalars[next] == " " { next += 1 }
            let isFunction = next < scalars.count && scalars[next] == "("
            if !isFunction, !keywords.contains(word) { names.append(word) }
            index = end
        }
        return names
    }
}
