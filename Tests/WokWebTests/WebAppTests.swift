import Foundation
import Testing
import WokPairing
import WokWeb

/// WebApp without HTTP: requests in, answers out, with no wokd behind it (a socket path where
/// nothing listens), so any answer that is not 503 was decided before wokd would have been asked.
@Suite struct WebAppTests {
    static let page = PageAssets(files: [.html: Array("<!doctype html>".utf8), .script: [], .style: []])

    func app(loopback: Bool, watch: Bool = true) throws -> (WebApp, String) {
        let directory = NSTemporaryDirectory() + "wokweb-app-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let policy = AccessPolicy(
            loopbackOnly: loopback, unpairedMayWatch: watch, allowedHosts: loopback ? AccessPolicy.loopbackHosts(port: 8088) : [])
        let app = WebApp(
            settings: WebApp.Settings(socketPath: directory + "/nobody.sock", policy: policy), hub: StationHub(),
            pairing: PairingStore(directory: directory), assets: Self.page, tools: ToolRunner(program: directory + "/no-wokctl"))
        return (app, directory)
    }

    func post(_ verb: String, host: String = "127.0.0.1:8088", cookie: String? = nil, peer: String = "127.0.0.1", body: String = "{}")
        -> IncomingRequest
    {
        IncomingRequest(
            method: "POST", path: "/api/" + verb, host: host, origin: "http://" + host, cookie: cookie, contentType: "application/json",
            peerAddress: peer, body: Array(body.utf8))
    }

    func error(_ response: OutgoingResponse) -> String {
        guard case .full(_, _, let body, _) = response else { return "" }
        return String(decoding: body, as: UTF8.self)
    }

    @Test func aValidChangeOnLoopbackGoesToWokdAndSaysWhenItIsAway() throws {
        let (app, directory) = try app(loopback: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let answer = app.handle(post("next"), now: 0)
        #expect(answer.status == 503)
        #expect(error(answer).contains("wokd could not be reached"))
    }

    @Test func refusalsComeBeforeWokdIsAsked() throws {
        let (app, directory) = try app(loopback: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(app.handle(post("next", host: "wok.local"), now: 0).status == 403, "not paired")
        let forged = "wokweb_token=" + String(repeating: "a", count: 64)
        #expect(app.handle(post("next", host: "wok.local", cookie: forged), now: 0).status == 403, "a token nobody was given")
        var big = post("next", host: "wok.local")
        big.bodyTooLarge = true
        #expect(app.handle(big, now: 0).status == 413)
        #expect(app.handle(post("start", host: "wok.local", body: #"{"recipe": "/etc/passwd"}"#), now: 0).status == 400)
    }

    @Test func pairingWithTheCodeMakesTheNextChangeGoThrough() throws {
        let (app, directory) = try app(loopback: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let code = try app.pairing.issueCode(nowUnixSeconds: wallClockSeconds())
        let paired = app.handle(post("pair", host: "wok.local", body: "{\"code\": \"\(code)\"}"), now: 0)
        #expect(paired.status == 200)
        guard case .full(_, _, _, let headers) = paired, let cookie = headers.first(where: { $0.0 == "Set-Cookie" })?.1 else {
            Issue.record("no cookie")
            return
        }
        let token = String(cookie.prefix { $0 != ";" })
        #expect(app.handle(post("next", host: "wok.local", cookie: token), now: 1).status == 503, "past the policy, on to wokd")
    }

    @Test func changesFromOneAddressAreRateLimited() throws {
        let (app, directory) = try app(loopback: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let statuses = (0..<12).map { _ in app.handle(post("hold", peer: "10.0.0.9"), now: 5).status }
        #expect(statuses.filter { $0 == 429 }.count == 2, "ten at once, then two a second: \(statuses)")
        #expect(app.handle(post("hold", peer: "10.0.0.10"), now: 5).status == 503, "another address is not held back")
        #expect(app.handle(post("hold", peer: "10.0.0.9"), now: 6).status == 503, "and the bucket refills")
    }

    @Test func thePageIsServedAndUnknownNamesAreNot() throws {
        let (app, directory) = try app(loopback: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = app.handle(IncomingRequest(method: "GET", path: "/", host: "localhost:8088"), now: 0)
        #expect(page.status == 200)
        #expect(app.handle(IncomingRequest(method: "GET", path: "/", host: "attacker.example:8088"), now: 0).status == 421)
        let recipes = app.handle(IncomingRequest(method: "GET", path: "/api/recipes", host: "localhost:8088"), now: 0)
        #expect(recipes.status == 502, "no wokctl: said plainly")
        #expect(error(recipes).contains("cannot run"))
    }
}
