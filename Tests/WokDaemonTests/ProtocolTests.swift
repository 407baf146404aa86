import Testing
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

@Suite struct ProtocolTests {
    func decodeError(_ line: String) -> ControlError? {
        if case .failure(let failure) = ControlRequest.decode(line) { return failure.error }
        return nil
    }

    @Test func aWellFormedRequestDecodes() throws {
        let request = try ControlRequest.decode(#"{"v":1,"id":"a","method":"start","params":{"recipe":"reheat"}}"#).get()
        #expect(request.id == .string("a"))
        #expect(request.method == .start)
        #expect(request.params["recipe"] == .string("reheat"))
        // Version, id and params may be left out.
        #expect(try ControlRequest.decode(#"{"method":"status"}"#).get().method == .status)
        // What a client encodes, the daemon decodes.
        let line = ControlRequest(id: 7, method: .abort).line
        #expect(try ControlRequest.decode(line).get() == ControlRequest(id: 7, method: .abort))
    }

    @Test(arguments: [
        ("garbage", ControlErrorCode.parseError, "not JSON"),
        ("", .parseError, "not JSON"),
        ("[1,2]", .invalidRequest, "JSON object"),
        (#"{"id":1}"#, .invalidRequest, "\"method\" is missing"),
        (#"{"method":3}"#, .invalidRequest, "must be a string"),
        (#"{"method":"launch"}"#, .unknownMethod, "unknown method \"launch\""),
        (#"{"v":2,"method":"status"}"#, .unsupportedVersion, "version 2"),
        (#"{"v":"1","method":"status"}"#, .invalidRequest, "\"v\" must be a number"),
        (#"{"method":"start","params":[1]}"#, .invalidRequest, "\"params\" must be an object"),
        (#"{"method":"status","id":{"x":1}}"#, .invalidRequest, "\"id\" must be a number or a string"),
        (#"{"method":"status","extra":true}"#, .invalidRequest, "unknown field \"extra\""),
        (String(repeating: "[", count: 100), .parseError, "not JSON"),
    ])
    func aBadRequestGetsANamedError(line: String, code: ControlErrorCode, words: String) {
        let error = decodeError(line)
        #expect(error?.code == code, "\(line.prefix(40))")
        #expect(error?.message.contains(words) == true, "\(error?.message ?? "no error")")
    }

    @Test func anIdThatIsNotANumberOrStringIsNotEchoed() {
        guard case .failure(let failure) = ControlRequest.decode(#"{"v":1,"id":{"code":"x"}}"#) else {
            Issue.record("decoded")
            return
        }
        #expect(failure.id == .null)
        #expect(failure.error.code == .invalidRequest)
    }

    @Test func theIdOfABadRequestIsEchoedWhenItCanBeRead() {
        guard case .failure(let failure) = ControlRequest.decode(#"{"id":9,"method":"fly"}"#) else {
            Issue.record("decoded")
            return
        }
        #expect(failure.id == .number(9))
        let reply = ControlReply.error(id: failure.id, failure.error)
        #expect(ControlMessage.decode(reply) == .error(id: .number(9), failure.error))
    }

    @Test func repliesAndPushesRoundTrip() {
        let result = ControlReply.result(id: .string("x"), .object(["state": "idle"]))
        #expect(ControlMessage.decode(result) == .result(id: .string("x"), .object(["state": "idle"])))
        #expect(ControlMessage.decode(ControlReply.push("snapshot", .object(["a": 1]))) == .snapshot(["a": 1]))
        #expect(ControlMessage.decode(ControlReply.push("event", .object(["name": "held"]))) == .event(["name": "held"]))
        #expect(ControlMessage.decode("nonsense") == nil)
    }

    @Test func onlyChangesNeedPermission() {
        let readOnly = ControlMethod.allCases.filter { !$0.changesState }
        #expect(Set(readOnly) == [.status, .subscribe])
    }
}

@Suite struct BoundedBuffersTests {
    @Test func historyKeepsTheLatestSamplesOnePerInterval() {
        var history = TemperatureHistory(capacity: 5, intervalSeconds: 1)
        for tick in 0..<40 {
            let seconds = Double(tick) * 0.25
            history.observe(.init(timeSeconds: seconds, temperatureC: seconds, targetC: 100, burnerOn: tick % 2 == 0))
        }
        let times = history.ordered.map(\.timeSeconds)
        #expect(times == [5, 6, 7, 8, 9])
    }

    @Test func loopStatisticsReportQuantilesOfLateness() {
        var statistics = LoopStatistics(capacity: 100)
        for index in 1...100 { statistics.record(latenessSeconds: Double(index) / 1000, missed: index == 100 ? 2 : 0) }
        #expect(statistics.ticks == 100)
        #expect(statistics.missedDeadlines == 2)
        #expect(statistics.latenessSeconds(quantile: 0.5) == 0.051 || statistics.latenessSeconds(quantile: 0.5) == 0.05)
        #expect(statistics.latenessSeconds(quantile: 1) == 0.1)
    }

    @Test func recipeNamesAreNamesNotPaths() {
        #expect(RecipeSource.isPlainName("caramelised-pork-mince"))
        #expect(RecipeSource.isPlainName("reheat_2.v1"))
        for bad in ["", "../x", ".hidden", "a/b", "a b", String(repeating: "a", count: 101)] {
            #expect(!RecipeSource.isPlainName(bad), "\(bad)")
        }
    }
}

/// The seeded mutation harness over real protocol lines: every mutant decodes, or is refused with
/// a known code and a message, and a decoded request survives re-encoding.
@Suite struct ProtocolFuzzTests {
    static var corpus: [[UInt8]] {
        let directory = CoreRig.root + "/Tests/fuzz/corpus/protocol"
        let names = (try? listDirectory(directory)) ?? []
        return names.sorted().compactMap { try? readSmallFile(directory + "/" + $0, maxBytes: 1 << 16) }.map { Array($0.utf8) }
    }

    @Test func mutatedRequestLinesAreDecodedOrRefusedClearly() throws {
        let corpus = Self.corpus
        try #require(corpus.count >= 4, "the protocol corpus is in Tests/fuzz/corpus/protocol")
        var refused = 0
        var decoded = 0
        for input in fuzzInputs(seed: 11, count: 600, corpus: corpus) {
            let text = String(decoding: input, as: UTF8.self)
            for line in text.split(separator: "\n") {
                switch ControlRequest.decode(String(line)) {
                case .success(let request):
                    decoded += 1
                    #expect(try ControlRequest.decode(request.line).get() == request)
                case .failure(let failure):
                    refused += 1
                    #expect(!failure.error.message.isEmpty)
                    #expect(ControlMessage.decode(ControlReply.error(id: failure.id, failure.error)) != nil)
                }
            }
        }
        #expect(decoded > 0 && refused > 0, "the mutations reach both paths")
    }
}
