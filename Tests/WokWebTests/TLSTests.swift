import Foundation
import Testing

/// wokweb over HTTPS with a certificate made for the test (Debian's openssl), fetched with curl
/// trusting only that certificate.
@Suite struct TLSTests {
    @Test func thePageAndItsCookieOverTLS() throws {
        let keys = NSTemporaryDirectory() + "wokweb-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let made = try runTool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keys + "/key.pem", "-out", keys + "/cert.pem", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        #expect(made.status == 0, "\(made.output)")
        let station = try Station(
            speed: 20, webArguments: ["--pairing", "always", "--tls-cert", keys + "/cert.pem", "--tls-key", keys + "/key.pem"])
        #expect(station.wokweb.log.contains("serving https://127.0.0.1:"))
        let url = "https://127.0.0.1:\(station.port)/"
        let page = try runTool("/usr/bin/curl", ["-sS", "--cacert", keys + "/cert.pem", url])
        #expect(page.status == 0, "\(page.output)")
        #expect(page.output.hasPrefix("<!doctype html>"))
        // Plain HTTP on the TLS port gets no page.
        let plain = try runTool("/usr/bin/curl", ["-sS", "--max-time", "10", "http://127.0.0.1:\(station.port)/"])
        #expect(!plain.output.contains("<!doctype html>"))
        // The pairing cookie is Secure under TLS.
        let code = try station.pairingCode()
        let paired = try runTool(
            "/usr/bin/curl",
            [
                "-sS", "-i", "--cacert", keys + "/cert.pem", "-X", "POST", "-H", "Content-Type: application/json", "-H",
                "Origin: https://127.0.0.1:\(station.port)", "--data", "{\"code\": \"\(code)\"}", url + "api/pair",
            ])
        #expect(paired.output.contains("HTTP/1.1 200"), "\(paired.output)")
        #expect(paired.output.lowercased().contains("set-cookie: wokweb_token="))
        #expect(paired.output.contains("; Secure"))
        let stopped = station.finish()
        #expect(stopped.web == 0)
    }
}
