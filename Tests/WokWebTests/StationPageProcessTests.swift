import Foundation
import Testing
import WokWeb

/// A real `wokd --simulate` and a real `wokweb` on loopback, talked to as a browser would.
final class Station {
    let directory: String
    let socket: String
    let webState: String
    private(set) var wokd: Child
    let wokweb: Child
    let daemonArguments: [String]
    let port: UInt16

    init(speed: Double, daemonExtra: [String] = [], webArguments: [String] = []) throws {
        directory = NSTemporaryDirectory() + "wokweb-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socket = directory + "/control.sock"
        webState = directory + "/web"
        let recipes = Built.repositoryRoot.appendingPathComponent("recipes").path
        daemonArguments =
            ["--simulate", "--speed", String(speed), "--socket", socket, "--state-dir", directory + "/state", "--recipes", recipes] + daemonExtra
        wokd = try Child(Built.directory.appendingPathComponent("wokd"), daemonArguments, logPath: directory + "/wokd.log")
        wokweb = try Child(
            Built.directory.appendingPathComponent("wokweb"),
            [
                "--listen", "127.0.0.1:0", "--socket", socket, "--state-dir", webState,
                "--page-dir", Built.repositoryRoot.appendingPathComponent("Sources/WokWeb/Page").path,
                "--wokctl", Built.directory.appendingPathComponent("wokctl").path, "--recipe-dir", recipes,
                "--db", directory + "/state/history.sqlite3",
            ] + webArguments, logPath: directory + "/wokweb.log")
        var found: UInt16?
        let wokweb = self.wokweb
        _ = eventually(limitSeconds: 30) {
            found = Self.port(in: wokweb.log)
            return found != nil || !wokweb.process.isRunning
        }
        guard let found else { throw WebTestError.notReady("wokweb", wokweb.log) }
        port = found
        // Ready when wokweb follows wokd (checked in plain HTTP only; the TLS test looks itself).
        guard !webArguments.contains("--tls-cert") else { return }
        let connected = eventually(limitSeconds: 30) {
            (try? HTTP.request(port: found, "GET", "/api/state"))?.body.contains("\"connected\":true") == true
        }
        guard connected else { throw WebTestError.notReady("wokweb's link to wokd", wokd.log + wokweb.log) }
    }

    /// The port from "serving http://127.0.0.1:PORT/".
    static func port(in log: String) -> UInt16? {
        guard let start = log.range(of: "serving http://127.0.0.1:") ?? log.range(of: "serving https://127.0.0.1:") else { return nil }
        return UInt16(log[start.upperBound...].prefix { $0.isNumber })
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    func status() throws -> [String: Any] {
        let process = Process()
        process.executableURL = Built.directory.appendingPathComponent("wokctl")
        process.arguments = ["status", "--json", "--socket", socket]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    func post(_ verb: String, _ body: String = "{}", cookie: String? = nil, origin: String? = nil) throws -> HTTPReply {
        var headers = ["Content-Type": "application/json", "Origin": origin ?? self.origin]
        if let cookie { headers["Cookie"] = cookie }
        return try HTTP.request(port: port, "POST", "/api/" + verb, headers: headers, body: body)
    }

    /// Runs `wokctl web pair` (or wokweb's own `wokweb pair`) against the same state directory;
    /// the code it printed.
    func pairingCode(from program: String = "wokctl") throws -> String {
        let process = Process()
        process.executableURL = Built.directory.appendingPathComponent(program)
        process.arguments = (program == "wokctl" ? ["web", "pair"] : ["pair"]) + ["--state-dir", webState]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let range = text.range(of: "Pairing code: ") else { throw WebTestError.http("no code in \(text)") }
        return String(text[range.upperBound...].prefix(6))
    }

    /// Stops wokd and starts it again on the same socket and state; the old one's exit status.
    func restartDaemon() throws -> Int32? {
        let stopped = wokd.stop()
        wokd = try Child(Built.directory.appendingPathComponent("wokd"), daemonArguments, logPath: directory + "/wokd-again.log")
        return stopped
    }

    func finish() -> (web: Int32?, daemon: Int32?) {
        let web = wokweb.stop()
        let daemon = wokd.stop()
        try? FileManager.default.removeItem(atPath: directory)
        return (web, daemon)
    }
}

@Suite(.serialized) struct StationPageProcessTests {
    @Test func thePageTheStreamAndAPairedBrowserSteeringARealDaemon() throws {
        let station = try Station(speed: 60, webArguments: ["--pairing", "always"])

        // The page and its two files, with the headers that keep it to itself.
        let page = try HTTP.request(port: station.port, "GET", "/")
        #expect(page.status == 200)
        #expect(page.body.hasPrefix("<!doctype html>"))
        #expect(page.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        #expect(try HTTP.request(port: station.port, "GET", "/app.js").status == 200)
        #expect(try HTTP.request(port: station.port, "GET", "/app.css").headers["content-type"]?.hasPrefix("text/css") == true)

        // A browser following the stream gets the whole state, connected, then live snapshots.
        let stream = try HTTP.connect(port: station.port)
        defer { close(stream) }
        HTTP.send(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:\(station.port)\r\nAccept: text/event-stream\r\n\r\n")
        let streamed = HTTP.read(stream) { $0.contains("\"connected\":true") && $0.contains("event: snapshot") }
        #expect(streamed.contains("text/event-stream"))
        #expect(streamed.contains("event: state\n"))
        #expect(streamed.contains("\"connected\":true"), "\(streamed.prefix(600))\n\(station.wokweb.log)")
        #expect(streamed.contains("event: snapshot\n"))

        // Unpaired: refused with a clear reason, and wokd never hears of it.
        let unpaired = try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#)
        #expect(unpaired.status == 403)
        #expect(unpaired.body.contains("not paired"))
        #expect(try station.status()["state"] as? String == "idle")
        // Bad input is refused before anything else.
        #expect(try station.post("start", #"{"recipe": "../../etc/passwd"}"#).status == 400)
        #expect(try station.post("extend", #"{"seconds": 99999}"#).status == 400)
        // A body announced larger than the bound is answered before it is sent.
        let huge = try HTTP.connect(port: station.port)
        defer { close(huge) }
        HTTP.send(
            huge,
            "POST /api/next HTTP/1.1\r\nHost: 127.0.0.1:\(station.port)\r\nOrigin: \(station.origin)\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000000\r\n\r\n")
        #expect(HTTP.read(huge) { $0.contains("\r\n\r\n") }.hasPrefix("HTTP/1.1 413"))

        // Pairing: the code from `wokctl web pair` becomes an HttpOnly, SameSite=Strict cookie.
        #expect(try station.post("pair", #"{"code": "000000"}"#, origin: "http://evil.example").status == 403)
        let code = try station.pairingCode()
        let paired = try station.post("pair", "{\"code\": \"\(code)\"}")
        #expect(paired.status == 200, "\(paired.body)")
        let setCookie = paired.headers["set-cookie"] ?? ""
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        let cookie = String(setCookie.prefix { $0 != ";" })

        // Paired, but from another origin: still refused.
        #expect(try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#, cookie: cookie, origin: "http://evil.example").status == 403)
        #expect(try station.status()["state"] as? String == "idle")

        // Paired and same-origin: the cook starts; next confirms the caramel and the pork stage follows.
        let start = try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#, cookie: cookie)
        #expect(start.status == 200, "\(start.body)")
        #expect(try station.status()["state"] as? String != "idle")
        let early = try station.post("next", cookie: cookie)
        #expect(early.status == 409, "wokd's refusal comes back as a conflict: \(early.body)")
        #expect(
            try eventually(limitSeconds: 120) {
                let status = try station.status()
                return status["state"] as? String == "waiting-for-cook" && (status["stage"] as? [String: Any])?["index"] as? Int == 1
            })
        let next = try station.post("next", cookie: cookie)
        #expect(next.status == 200, "\(next.body)")
        #expect(try eventually(limitSeconds: 60) { (try station.status()["stage"] as? [String: Any])?["index"] as? Int == 2 })
        // The stream carried the events.
        let later = HTTP.read(stream) { $0.contains("\"name\":\"confirmed\"") }
        #expect(later.contains("event: event\n"))

        // Metrics: promtool's check passes on the live text.
        let metrics = try HTTP.request(port: station.port, "GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("wokweb_wokd_connected 1"))
        #expect(metrics.body.contains("wok_state{state=\"cooking\"}") || metrics.body.contains("wok_state{state="))
        let lint = try Promtool.checkMetrics(metrics.body)
        #expect(lint.status == 0 && lint.output.isEmpty, "\(lint.output)")

        // Abort from the page ends the cook with the burner off.
        #expect(try station.post("abort", cookie: cookie).status == 200)
        let after = try station.status()
        #expect(after["burner"] as? String == "off")

        // `wokctl web tokens` lists the browser; `wokctl web revoke` makes its cookie worthless at once.
        let wokctl = Built.directory.appendingPathComponent("wokctl").path
        let tokens = try runTool(wokctl, ["web", "tokens", "--state-dir", station.webState])
        #expect(tokens.status == 0 && tokens.output.hasPrefix("1  paired at "), "\(tokens.output)")
        #expect(try runTool(wokctl, ["web", "revoke", "1", "--state-dir", station.webState]).status == 0)
        #expect(try station.post("hold", cookie: cookie).status == 403)
        #expect(try runTool(wokctl, ["web", "tokens", "--state-dir", station.webState]).output == "No browser is paired.\n")
        // wokweb's own `pair` makes a code just the same.
        let second = try station.post("pair", "{\"code\": \"\(try station.pairingCode(from: "wokweb"))\"}")
        #expect(second.status == 200, "\(second.body)")

        let stopped = station.finish()
        #expect(stopped.web == 0, "wokweb stops cleanly on SIGTERM")
        #expect(stopped.daemon == 0)
    }

    @Test func wokwebSaysWhenWokdIsGoneAndFollowsItAgainWhenItComesBack() throws {
        let station = try Station(speed: 20)
        let stream = try HTTP.connect(port: station.port)
        defer { close(stream) }
        HTTP.send(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:\(station.port)\r\n\r\n")
        #expect(HTTP.read(stream) { $0.contains("\"connected\":true") }.contains("\"connected\":true"))

        #expect(try station.restartDaemon() == 0)
        // The browser heard both: the link lost, with why, then the link back.
        let told = HTTP.read(stream, limitSeconds: 60) { text in
            guard let lost = text.range(of: "\"connected\":false") else { return false }
            return text[lost.upperBound...].contains("\"connected\":true")
        }
        let lost = try #require(told.range(of: "\"connected\":false"), "\(told.suffix(400))")
        #expect(told[lost.upperBound...].contains("\"problem\":\""))
        #expect(told[lost.upperBound...].contains("\"connected\":true"))
        let metrics = try HTTP.request(port: station.port, "GET", "/metrics").body
        #expect(metrics.contains("wokweb_wokd_connected 1\n"))
        #expect(metrics.contains("wokweb_wokd_link_losses_total 1\n"))
        // And it steers the new daemon.
        #expect(try station.post("start", #"{"recipe": "reheat"}"#).status == 200)
        #expect(try station.post("abort").status == 200)
        let stopped = station.finish()
        #expect(stopped.web == 0)
    }

    @Test func killingWokwebMidCookChangesNothingAboutTheCook() throws {
        let station = try Station(speed: 20)
        // Browsers hold streams open when wokweb dies.
        let stream = try HTTP.connect(port: station.port)
        defer { close(stream) }
        HTTP.send(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:\(station.port)\r\n\r\n")
        _ = HTTP.read(stream) { $0.contains("event: snapshot") }
        #expect(try station.post("start", #"{"recipe": "caramelised-pork-mince"}"#).status == 200)
        kill(station.wokweb.process.processIdentifier, SIGKILL)
        station.wokweb.process.waitUntilExit()
        // The cook goes on by itself, burner and stages, to the caramel's wait for the cook.
        #expect(
            try eventually(limitSeconds: 120) {
                let status = try station.status()
                return status["state"] as? String == "waiting-for-cook" && (status["stage"] as? [String: Any])?["index"] as? Int == 1
            })
        #expect(station.wokd.process.isRunning)
        let stopped = station.finish()
        #expect(stopped.daemon == 0)
    }

    @Test func recipesAndTheHistoryComeFromWokctl() throws {
        let station = try Station(speed: 200)
        let recipes = try HTTP.request(port: station.port, "GET", "/api/recipes")
        #expect(recipes.status == 200, "\(recipes.body)")
        let list = try JSONSerialization.jsonObject(with: Data(recipes.body.utf8)) as? [[String: Any]] ?? []
        let reheat = list.first { $0["name"] as? String == "reheat" }
        #expect(reheat?["simulatedSeconds"] is Double, "time on this station")
        #expect(reheat?["serves"] is Int)
        let one = try HTTP.request(port: station.port, "GET", "/api/recipes/reheat")
        #expect(one.status == 200)
        #expect(one.body.contains("\"stages\""))
        #expect(try HTTP.request(port: station.port, "GET", "/api/recipes/no-such-recipe").status == 404)
        // Loopback: no pairing asked, but only the loopback names are answered.
        #expect(try HTTP.request(port: station.port, "GET", "/api/state", host: "evil.example").status == 421)
        let start = try station.post("start", #"{"recipe": "reheat"}"#)
        #expect(start.status == 200, "\(start.body)")
        #expect(try station.post("abort").status == 200)
        #expect(
            try eventually {
                let history = try HTTP.request(port: station.port, "GET", "/api/history")
                return history.status == 200 && history.body.contains("\"Reheat caramelised pork mince\"")
            })
        let history = try HTTP.request(port: station.port, "GET", "/api/history")
        let cooks = try JSONSerialization.jsonObject(with: Data(history.body.utf8)) as? [[String: Any]] ?? []
        let id = try #require(cooks.first?["id"] as? Int)
        let plot = try HTTP.request(port: station.port, "GET", "/api/history/\(id)/plot.svg")
        #expect(plot.status == 200)
        #expect(plot.headers["content-type"] == "image/svg+xml")
        #expect(plot.body.contains("<svg"))
        let stopped = station.finish()
        #expect(stopped.web == 0)
    }
}
