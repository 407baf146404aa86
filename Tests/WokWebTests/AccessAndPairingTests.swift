import Foundation
import Testing
import WokPairing
import WokWeb

@Suite struct AccessPolicyTests {
    let network = AccessPolicy(loopbackOnly: false, unpairedMayWatch: true, allowedHosts: [])
    let screen = AccessPolicy(loopbackOnly: true, unpairedMayWatch: true, allowedHosts: AccessPolicy.loopbackHosts(port: 8088))

    func credentials(host: String? = "wok.local:8088", origin: String? = "http://wok.local:8088", site: String? = nil, paired: Bool = false)
        -> AccessPolicy.Credentials
    {
        AccessPolicy.Credentials(host: host, origin: origin, fetchSite: site, paired: paired)
    }

    @Test func onTheNetworkOnlyAPairedSameOriginBrowserMayChangeAnything() {
        #expect(network.check(.action(.next), credentials())?.status == 403, "not paired")
        #expect(network.check(.action(.next), credentials(paired: true)) == nil)
        #expect(network.check(.action(.next), credentials(origin: "http://evil.example", paired: true))?.status == 403)
        #expect(network.check(.action(.next), credentials(origin: nil, paired: true))?.status == 403, "no Origin, no change")
        #expect(network.check(.action(.next), credentials(site: "cross-site", paired: true))?.status == 403)
        #expect(network.check(.action(.abort), credentials(site: "same-origin", paired: true)) == nil)
    }

    @Test func pairingItselfMustComeFromThePage() {
        #expect(network.check(.pair(code: "123456"), credentials()) == nil)
        #expect(network.check(.pair(code: "123456"), credentials(origin: "http://evil.example"))?.status == 403)
    }

    @Test func watchingUnpairedIsASetting() {
        #expect(network.check(.events, credentials(origin: nil)) == nil)
        let closed = AccessPolicy(loopbackOnly: false, unpairedMayWatch: false, allowedHosts: [])
        #expect(closed.check(.events, credentials(origin: nil))?.status == 403)
        #expect(closed.check(.state, credentials(origin: nil, paired: true)) == nil)
        #expect(closed.check(.asset(.html), credentials(origin: nil)) == nil, "the page itself, to pair from")
    }

    @Test func theStationsOwnScreenNeedsNoPairingButStillTheOriginAndItsName() {
        let local = credentials(host: "127.0.0.1:8088", origin: "http://127.0.0.1:8088")
        #expect(screen.check(.action(.next), local) == nil)
        #expect(screen.check(.action(.next), credentials(host: "127.0.0.1:8088", origin: "http://evil.example"))?.status == 403)
        // A hostile name pointed at 127.0.0.1 (DNS rebinding) is not answered at all.
        #expect(screen.check(.state, credentials(host: "evil.example:8088", origin: nil))?.status == 421)
        #expect(screen.check(.state, credentials(host: nil, origin: nil))?.status == 400)
    }
}

@Suite struct PairingTests {
    @Test func codesAndTokensHaveTheirShapes() {
        #expect(Pairing.code(from: [0, 0, 0, 0, 0, 0, 0, 7]) == "000007")
        #expect(Pairing.isWellFormedCode(Pairing.code(from: [255, 255, 255, 255, 255, 255, 255, 255])))
        let token = Pairing.token(from: Array(0..<32))
        #expect(Pairing.isWellFormedToken(token))
        #expect(Pairing.sameSecret(token, token))
        #expect(!Pairing.sameSecret(token, String(token.dropLast()) + "x"))
    }

    @Test func theCookieCarriesTheTokenAndIsKeptFromScriptsAndOtherSites() {
        let token = Pairing.token(from: Array(repeating: 0xab, count: 32))
        let cookie = Pairing.setCookie(token, secure: false)
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"))
        #expect(Pairing.setCookie(token, secure: true).hasSuffix("; Secure"))
        #expect(Pairing.token(fromCookieHeader: "a=b; wokweb_token=\(token); c=d") == token)
        #expect(Pairing.token(fromCookieHeader: "wokweb_token=short") == nil)
        #expect(Pairing.token(fromCookieHeader: nil) == nil)
    }

    @Test func theTokensFileKeepsOnlyWellFormedLinesAndSafeLabels() {
        let token = Pairing.token(from: Array(repeating: 1, count: 32))
        let text = Pairing.tokensText([PairedBrowser(id: 4, token: token, createdUnixSeconds: 100, label: "Tablet\n5 evil\u{1B}[2J")])
        #expect(text.split(separator: "\n").count == 1)
        let read = Pairing.parseTokens(text + "garbage line\n5 nottoken 1 x\n")
        #expect(read.map(\.id) == [4])
        #expect(read.first?.label == "Tablet5 evil[2J")
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "wokweb-pairing-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aCodeWorksOnceThenTheTokenIsPairedUntilRevoked() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = PairingStore(directory: directory)
        #expect(store.redeem("123456", label: "x", nowUnixSeconds: 1000) == .failure(.noCode))
        let code = try store.issueCode(nowUnixSeconds: 1000)
        let browser = try store.redeem(code, label: "phone", nowUnixSeconds: 1010).get()
        #expect(store.isPaired(token: browser.token))
        #expect(!store.isPaired(token: Pairing.token(from: Array(repeating: 9, count: 32))))
        #expect(store.redeem(code, label: "again", nowUnixSeconds: 1020) == .failure(.noCode), "a code works once")
        #expect(store.list().map(\.label) == ["phone"])
        #expect(try store.revoke(id: browser.id))
        #expect(!store.isPaired(token: browser.token))
        #expect(try !store.revoke(id: browser.id))
    }

    @Test func aCodeExpiresAndIsVoidAfterFiveWrongTries() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = PairingStore(directory: directory)
        let late = try store.issueCode(nowUnixSeconds: 1000)
        #expect(store.redeem(late, label: "", nowUnixSeconds: 1000 + Pairing.codeLifetimeSeconds) == .failure(.expired))

        let code = try store.issueCode(nowUnixSeconds: 2000)
        let wrong = code == "000000" ? "000001" : "000000"
        for left in stride(from: Pairing.maxAttempts - 1, through: 0, by: -1) {
            #expect(store.redeem(wrong, label: "", nowUnixSeconds: 2001) == .failure(.wrong(attemptsLeft: left)))
        }
        #expect(store.redeem(code, label: "", nowUnixSeconds: 2002) == .failure(.noCode), "the right code is void after five wrong ones")
    }
}
