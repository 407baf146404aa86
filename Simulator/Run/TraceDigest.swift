/// A fingerprint of a cook's trace: FNV-1a, 64 bits, over every row's fields written out exactly
/// (each Double by its bit pattern, so a change in the last bit shows). The tests hold a few
/// cooks to digests taken before the performance work; `wok-bench speed` prints the timed cook's.
public struct TraceDigest: Sendable, Equatable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public private(set) var rows = 0

    public init() {}

    public mutating func add(_ row: TraceRow) {
        var line = ""
        func field(_ text: String) { line += text + "|" }
        func number(_ value: Double?) { field(value.map { String($0.bitPattern, radix: 16) } ?? "-") }
        number(row.timeSeconds)
        field(row.stageIndex.map(String.init) ?? "-")
        field(row.stageName ?? "-")
        field("\(row.state)")
        number(row.targetC)
        number(row.measuredC)
        number(row.trueC)
        field("\(row.burner)")
        number(row.duty)
        number(row.modelledC)
        for event in row.events { field("\(event)") }
        for byte in line.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        rows += 1
    }

    /// The digest of one whole cook's trace.
    public static func of(_ config: SimulationConfig) throws(SimulationError) -> TraceDigest {
        var digest = TraceDigest()
        var simulation = try CookSimulation(config)
        while let row = simulation.step() { digest.add(row) }
        return digest
    }

    /// The value as hex, as the tests hold it.
    public var hex: String { "0x" + String(value, radix: 16) }
}
