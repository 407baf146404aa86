import Foundation
import Testing

/// The core must stay deterministic and free of I/O: no clocks, no randomness, no Foundation.
/// This reads the core's own sources and fails on any of the banned names.
@Suite struct TidyTests {
    static let banned = [
        "import Foundation", "import FoundationEssentials", "Date()", "DispatchTime", "ContinuousClock",
        "SuspendingClock", ".random(", "SystemRandomNumberGenerator", "fatalError(", "try!", "print(",
    ]

    @Test func coreUsesNoClockRandomnessOrIO() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/WokCore")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10, "found the core's sources")
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for name in Self.banned {
                #expect(!text.contains(name), "\(file) uses \(name)")
            }
        }
    }
}
