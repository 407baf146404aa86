/// Seeded hostile inputs for any parser of text: mutations of real documents (a corpus) that
/// break them the ways files and sockets break: flipped bytes, truncations, deleted or repeated
/// lines, deep nesting, huge and odd numbers, long strings, bad UTF-8 and spliced pieces of other
/// documents. Line-oriented inputs (a socket protocol's requests) get line-level mutations too.
///
/// Every draw comes from one seed, so a finding replays from `(seed, index)`.
public struct FuzzInputs: IteratorProtocol, Sequence {
    /// Largest input produced: big enough to cross a parser's 1 MiB bound, bounded all the same.
    public static let maxBytes = 1_100_000
    /// Most mutations stacked on one input.
    public static let maxStackedMutations = 4

    private let corpus: [[UInt8]]
    private var random: SplitMix64
    /// How many inputs this generator has produced.
    public private(set) var produced = 0

    /// Mutates `corpus` (each entry one document or one line); an empty corpus starts from `{}`.
    public init(seed: UInt64, corpus: [[UInt8]]) {
        self.corpus = corpus.isEmpty ? [Array("{}".utf8)] : corpus
        random = SplitMix64(seed: seed)
    }

    /// The next input; never nil (the sequence is endless: take a prefix).
    public mutating func next() -> [UInt8]? {
        produced += 1
        var bytes = corpus[pick(corpus.count)]
        let mutations = 1 + pick(Self.maxStackedMutations)
        for _ in 0..<mutations { mutate(&bytes) }
        if bytes.count > Self.maxBytes { bytes.removeLast(bytes.count - Self.maxBytes) }
        return bytes
    }

    private mutating func pick(_ count: Int) -> Int {
        count <= 1 ? 0 : Int(random.next() % UInt64(count))
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch pick(14) {
        case 0:  // flip bits in a byte
            if !bytes.isEmpty { bytes[pick(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << pick(8)) }
        case 1:  // replace a byte with an arbitrary one
            if !bytes.isEmpty { bytes[pick(bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
        case 2:  // truncate
            if !bytes.isEmpty { bytes.removeLast(pick(bytes.count) + 1) }
        case 3:  // delete a span
            if !bytes.isEmpty {
                let start = pick(bytes.count)
                bytes.removeSubrange(start..<Swift.min(bytes.count, start + 1 + pick(64)))
            }
        case 4:  // insert a structural or troublesome token
            let token = Self.tokens[pick(Self.tokens.count)]
            bytes.insert(contentsOf: token, at: pick(bytes.count + 1))
        case 5:  // deep nesting
            let depth = 1 + pick(5000)
            let (open, close): (UInt8, UInt8) = pick(2) == 0 ? (0x5B, 0x5D) : (0x7B, 0x7D)
            let at = pick(bytes.count + 1)
            if open == 0x5B {
                bytes.insert(
                    contentsOf: [UInt8](repeating: open, count: depth) + [UInt8](repeating: close, count: pick(2) == 0 ? depth : pick(depth + 1)),
                    at: at)
            } else {
                bytes.insert(contentsOf: Array(String(repeating: "{\"a\":", count: depth).utf8), at: at)
            }
        case 6:  // replace a number with a huge, tiny, negative or malformed one
            replaceNumber(&bytes)
        case 7:  // a long string or a long run of one byte
            let run = [UInt8](repeating: pick(2) == 0 ? 0x61 : UInt8(truncatingIfNeeded: random.next()), count: 1 + pick(100_000))
            bytes.insert(contentsOf: run, at: pick(bytes.count + 1))
        case 8:  // bad UTF-8: lone continuation, overlong, surrogate, truncated sequence
            let bad = Self.badUTF8[pick(Self.badUTF8.count)]
            bytes.insert(contentsOf: bad, at: pick(bytes.count + 1))
        case 9:  // splice in a piece of another corpus entry
            let other = corpus[pick(corpus.count)]
            if !other.isEmpty {
                let start = pick(other.count)
                let piece = other[start..<Swift.min(other.count, start + 1 + pick(256))]
                bytes.insert(contentsOf: piece, at: pick(bytes.count + 1))
            }
        case 10:  // duplicate a span (repeated keys, repeated stages)
            if !bytes.isEmpty {
                let start = pick(bytes.count)
                let span = Array(bytes[start..<Swift.min(bytes.count, start + 1 + pick(512))])
                bytes.insert(contentsOf: span, at: pick(bytes.count + 1))
            }
        case 11:  // line-level: drop, repeat or swap lines
            mutateLines(&bytes)
        case 12:  // a JSON string's content replaced by escapes
            let escape = Self.escapes[pick(Self.escapes.count)]
            if let quote = bytes.indices.filter({ bytes[$0] == 0x22 }).randomElement(using: &random) {
                bytes.insert(contentsOf: escape, at: quote + 1)
            }
        default:  // control characters and NUL
            bytes.insert(UInt8(pick(0x20)), at: pick(bytes.count + 1))
        }
    }

    private mutating func replaceNumber(_ bytes: inout [UInt8]) {
        let digits = bytes.indices.filter { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
        guard let at = digits.randomElement(using: &random) else { return }
        var end = at
        while end < bytes.count, (bytes[end] >= 0x30 && bytes[end] <= 0x39) || bytes[end] == 0x2E { end += 1 }
        var start = at
        while start > 0, (bytes[start - 1] >= 0x30 && bytes[start - 1] <= 0x39) || bytes[start - 1] == 0x2E { start -= 1 }
        let number = Self.numbers[pick(Self.numbers.count)]
        bytes.replaceSubrange(start..<end, with: number)
    }

    private mutating func mutateLines(_ bytes: inout [UInt8]) {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return }
        switch pick(3) {
        case 0: lines.remove(at: pick(lines.count))
        case 1:
            let line = lines[pick(lines.count)]
            lines.insert(line, at: pick(lines.count + 1))
        default: lines.swapAt(pick(lines.count), pick(lines.count))
        }
        bytes = Array(lines.joined(separator: [0x0A]))
    }

    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "-", "+", ".", "e", "E", "NaN", "Infinity",
        "//", "/*", "\u{FEFF}", "\r\n", "\r", "\t", "\"\":", ",,", "[]", "{}", "\"schema\":", "\"stages\":[",
    ].map { Array($0.utf8) }
    static let numbers: [[UInt8]] = [
        "1e308", "1e309", "-1e309", "1e-400", "0", "-0", "99999999999999999999999999999", "0.0000000000000001",
        "-1", "1.5", "01", "1.", ".5", "1e", "--1", "4294967296", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890e-20", "1" + String(repeating: "0", count: 400),
    ].map { Array($0.utf8) }
    static let badUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F],
        [0xFF], [0xFE], [0xC3], [0xE2, 0x82],
    ]
    static let escapes: [[UInt8]] = [
        "\\u0000", "\\uD800", "\\uDC00", "\\uD83D\\uDE00", "\\u", "\\x41", "\\", "\\\"", "\\n\\t\\r\\b\\f\\/",
    ].map { Array($0.utf8) }
}

/// A seeded batch of hostile inputs, mutated from `corpus` (see `FuzzInputs`).
public func fuzzInputs(seed: UInt64, count: Int, corpus: [[UInt8]]) -> [[UInt8]] {
    Array(FuzzInputs(seed: seed, corpus: corpus).prefix(max(0, count)))
}
