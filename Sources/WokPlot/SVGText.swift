/// Text safe inside SVG (XML) content and attribute values.
func xmlEscaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        // Control characters are not allowed in XML 1.0 at all.
        case _ where character.value < 0x20 && character != "\n" && character != "\t": result += " "
        default: result.unicodeScalars.append(character)
        }
    }
    return result
}

/// A coordinate with one decimal, without Foundation: "12.5", "-3", "0".
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded())
    let whole = abs(tenths) / 10
    let fraction = abs(tenths) % 10
    let sign = tenths < 0 ? "-" : ""
    return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}

/// `m:ss` for a time axis.
func minutesText(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded())
    let rest = abs(whole) % 60
    return "\(whole / 60):\(rest < 10 ? "0" : "")\(rest)"
}

/// A tick step from `candidates` giving about `wanted` ticks over `span`.
func niceStep(span: Double, wanted: Double, candidates: [Double]) -> Double {
    let raw = span / max(1, wanted)
    return candidates.first { $0 >= raw } ?? (candidates.last ?? 1) * (raw / (candidates.last ?? 1)).rounded(.up)
}
