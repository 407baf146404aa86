/// Lines for a terminal of a known width. A line longer than the terminal wraps and scrolls the
/// screen a redraw meant to overwrite, so every line is cut to fit before it is written; colour
/// sequences take no column and survive the cut.
public enum ScreenText {
    /// Columns the text takes on the terminal: escape sequences take none. Every character the
    /// screens draw (ASCII, the degree sign, braille, box and block characters) takes one.
    public static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if isFinal(scalar) { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }

    /// The text cut to `width` columns. Escape sequences are kept; if one was cut short of its
    /// reset, a reset closes the line so colour does not run on.
    public static func fit(_ text: String, width: Int) -> String {
        guard visibleWidth(text) > width else { return text }
        var result = String.UnicodeScalarView()
        var used = 0
        var inEscape = false
        var styled = false
        for scalar in text.unicodeScalars {
            if inEscape {
                result.append(scalar)
                if isFinal(scalar) { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
                styled = true
                result.append(scalar)
            } else if used < width {
                result.append(scalar)
                used += 1
            }
        }
        return String(result) + (styled ? "\u{1B}[0m" : "")
    }

    /// Words laid into lines of at most `width` columns, at most `maxLines` of them; a word
    /// longer than a line is cut, and text past the last line ends in "…".
    public static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        guard width > 0, maxLines > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = String(word.prefix(width))
        }
        if !current.isEmpty { lines.append(current) }
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        let last = kept[maxLines - 1]
        kept[maxLines - 1] = String(last.prefix(max(0, width - 1))) + "…"
        return kept
    }

    /// `m:ss` for a number of seconds (negative as 0:00).
    public static func clock(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        let rest = whole % 60
        return "\(whole / 60):\(rest < 10 ? "0" : "")\(rest)"
    }

    /// A CSI sequence ends at its first byte from `@` to `~`.
    private static func isFinal(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "["
    }
}
