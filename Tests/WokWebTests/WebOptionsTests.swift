import Testing
import WokSystem
import WokWeb

@Suite struct WebOptionsTests {
    func options(_ raw: [String]) throws -> WebOptions {
        try WebOptions(try Arguments(raw, valued: WebOptions.valued, flags: ["help"]))
    }

    @Test func maxStreamsIsBoundedBelowTheConnectionLimit() throws {
        #expect(try options([]).maxStreams == 32)
        #expect(try options(["--max-streams", "50"]).maxStreams == 50)
        #expect(try options(["--max-streams", String(WebOptions.maxStreamsBound)]).maxStreams == WebOptions.maxStreamsBound)
        for bad in ["0", "57", "-1", "lots", "5.5"] {
            #expect(throws: UsageError.self, "\(bad)") { try options(["--max-streams", bad]) }
        }
    }
}
