/// Digits several rows tall, readable from the stove. Two fonts: five rows of blocks where the
/// terminal has the height, three rows of strokes where it has less.
public enum BigDigits {
    /// The fonts' heights.
    public static let tall = 5
    public static let short = 3

    /// Glyphs of the five-row font, each three columns wide.
    private static let tallGlyphs: [Character: [String]] = [
        "0": ["███", "█ █", "█ █", "█ █", "███"], "1": [" █ ", "██ ", " █ ", " █ ", "███"],
        "2": ["███", "  █", "███", "█  ", "███"], "3": ["███", "  █", "███", "  █", "███"],
        "4": ["█ █", "█ █", "███", "  █", "  █"], "5": ["███", "█  ", "███", "  █", "███"],
        "6": ["███", "█  ", "███", "█ █", "███"], "7": ["███", "  █", "  █", "  █", "  █"],
        "8": ["███", "█ █", "███", "█ █", "███"], "9": ["███", "█ █", "███", "  █", "███"],
        "-": ["   ", "   ", "███", "   ", "   "], "°": ["██ ", "██ ", "   ", "   ", "   "],
        " ": ["   ", "   ", "   ", "   ", "   "],
    ]

    /// Glyphs of the three-row font, in the strokes of a seven-segment display.
    private static let shortGlyphs: [Character: [String]] = [
        "0": [" _ ", "| |", "|_|"], "1": ["   ", "  |", "  |"], "2": [" _ ", " _|", "|_ "], "3": [" _ ", " _|", " _|"],
        "4": ["   ", "|_|", "  |"], "5": [" _ ", "|_ ", " _|"], "6": [" _ ", "|_ ", "|_|"], "7": [" _ ", "  |", "  |"],
        "8": [" _ ", "|_|", "|_|"], "9": [" _ ", "|_|", " _|"], "-": ["   ", " _ ", "   "], "°": ["o  ", "   ", "   "],
        " ": ["   ", "   ", "   "],
    ]

    /// `text` (digits, `-`, `°`, spaces; anything else as a space) in the font of `rows` rows
    /// (5, else 3), one space between glyphs.
    public static func render(_ text: String, rows: Int) -> [String] {
        let font = rows >= tall ? tallGlyphs : shortGlyphs
        let height = rows >= tall ? tall : short
        let blank = font[" "] ?? []
        return (0..<height).map { row in
            text.map { (font[$0] ?? blank)[row] }.joined(separator: " ")
        }
    }

    /// Columns `text` takes in either font.
    public static func width(of text: String) -> Int {
        text.isEmpty ? 0 : text.count * 4 - 1
    }
}
