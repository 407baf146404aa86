import Testing
import WokCore
import WokWeb

@Suite struct RequestRulesTests {
    func route(_ method: String, _ path: String, type: String? = "application/json", body: String = "") -> Result<WebRoute, WebRejection> {
        RequestRules.route(method: method, path: path, contentType: type, body: Array(body.utf8))
    }

    func status(_ result: Result<WebRoute, WebRejection>) -> Int? {
        if case .failure(let rejection) = result { return rejection.status }
        return nil
    }

    @Test func thePagesFilesAndTheApiAreRouted() throws {
        #expect(try route("GET", "/").get() == .asset(.html))
        #expect(try route("GET", "/app.js").get() == .asset(.script))
        #expect(try route("GET", "/app.css").get() == .asset(.style))
        #expect(try route("GET", "/events").get() == .events)
        #expect(try route("GET", "/metrics").get() == .metrics)
        #expect(try route("GET", "/api/recipes/pad-kra-pao").get() == .recipe("pad-kra-pao"))
        #expect(try route("GET", "/api/history/12/plot.svg").get() == .plot(cook: 12))
    }

    @Test func eachActionMapsToOneControlRequest() throws {
        #expect(try route("POST", "/api/next").get() == .action(.next))
        #expect(try route("POST", "/api/hold", body: "{}").get() == .action(.hold))
        #expect(try route("POST", "/api/extend", body: #"{"seconds": 60}"#).get() == .action(.extend(seconds: 60)))
        let start = try route("POST", "/api/start", body: #"{"recipe": "reheat", "serves": 2}"#).get()
        #expect(start == .action(.start(recipe: "reheat", serves: 2)))
        #expect(WebAction.start(recipe: "reheat", serves: 2).params == ["recipe": "reheat", "serves": 2])
        #expect(WebAction.extend(seconds: 60).method.rawValue == "extend")
        #expect(try route("POST", "/api/pair", body: #"{"code": "012345"}"#).get() == .pair(code: "012345"))
    }

    @Test func badInputGetsAClear4xx() {
        #expect(status(route("GET", "/nothing")) == 404)
        #expect(status(route("DELETE", "/api/next")) == 405)
        #expect(status(route("GET", "/api/next")) == 405, "a change is never a GET")
        #expect(status(route("POST", "/api/next", type: "application/x-www-form-urlencoded", body: "a=1")) == 415)
        #expect(status(route("POST", "/api/next", type: nil)) == 415)
        #expect(status(route("POST", "/api/next", body: "{\"x\": 1}")) == 400, "no unknown fields")
        #expect(status(route("POST", "/api/next", body: "[1]")) == 400)
        #expect(status(route("POST", "/api/next", body: "{")) == 400)
        #expect(status(route("POST", "/api/extend", body: #"{"seconds": 0}"#)) == 400)
        #expect(status(route("POST", "/api/extend", body: #"{"seconds": 1801}"#)) == 400)
        #expect(status(route("POST", "/api/extend", body: #"{"seconds": "60"}"#)) == 400)
        #expect(status(route("POST", "/api/start", body: #"{"recipe": "../etc/passwd"}"#)) == 400, "never a path")
        #expect(status(route("POST", "/api/start", body: #"{"recipe": "Reheat"}"#)) == 400)
        #expect(status(route("POST", "/api/start", body: #"{"recipe": "reheat", "serves": 1000}"#)) == 400)
        #expect(status(route("POST", "/api/pair", body: #"{"code": "12345a"}"#)) == 400)
        #expect(status(route("POST", "/api/next", body: String(repeating: " ", count: RequestRules.maxBodyBytes + 1))) == 413)
        #expect(status(route("GET", "/api/recipes/" + String(repeating: "a", count: 65))) == 400)
        #expect(status(route("GET", "/api/history/0/plot.svg")) == 400)
        #expect(status(route("GET", "/api/history/-1/plot.svg")) == 400)
        #expect(status(route("GET", "/" + String(repeating: "x", count: 300))) == 414)
    }

    @Test func deepOrWideBodiesAreRefusedCheaply() {
        #expect(status(route("POST", "/api/start", body: #"{"recipe": {"a": {"b": 1}}}"#)) == 400)
        let wide = "{" + (0..<10).map { "\"k\($0)\": 1" }.joined(separator: ",") + "}"
        #expect(status(route("POST", "/api/start", body: wide)) == 400)
    }
}

@Suite struct SSEFrameTests {
    @Test func anEventWithOneLineOfData() {
        #expect(SSEFrame.event("snapshot", id: 3, data: "{\"a\":1}") == "event: snapshot\nid: 3\ndata: {\"a\":1}\n\n")
    }

    @Test func newlinesInDataBecomeDataLinesAndCannotForgeFields() {
        let frame = SSEFrame.event("event", data: "one\r\nevent: forged\n\nid: 9")
        #expect(frame == "event: event\ndata: one\ndata: event: forged\ndata: \ndata: id: 9\n\n")
        // Exactly one blank line, at the end: one event.
        #expect(frame.components(separatedBy: "\n\n").count == 2)
    }

    @Test func theNameCannotCarryALineEnd() {
        #expect(SSEFrame.event("a\nb:c", data: "x") == "event: abc\ndata: x\n\n")
        #expect(SSEFrame.keepAlive.hasPrefix(":"))
        #expect(SSEFrame.retry(milliseconds: 2000) == "retry: 2000\n\n")
    }
}

@Suite struct RateLimiterTests {
    @Test func aBurstThenTheSteadyRate() {
        var limiter = RateLimiter(burst: 3, perSecond: 1)
        var answers: [Bool] = []
        for now: Double in [0, 0, 0, 0] { answers.append(limiter.allow("a", now: now)) }
        answers.append(limiter.allow("b", now: 0))
        answers.append(limiter.allow("a", now: 0.5))
        answers.append(limiter.allow("a", now: 1.6))
        // Three at once, the fourth refused; another address has its own bucket; refilled at 1/s.
        #expect(answers == [true, true, true, false, true, false, true])
    }

    @Test func theTableOfAddressesIsBounded() {
        var limiter = RateLimiter(burst: 1, perSecond: 1, maxAddresses: 4)
        for index in 0..<100 { _ = limiter.allow("10.0.0.\(index)", now: Double(index)) }
        #expect(limiter.trackedAddresses == 4)
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
