import Foundation
import Testing
import WokPairing

/// `wokctl web pair|tokens|revoke` against a state directory of the test's own: the files it writes
/// are the ones wokweb's pairing store reads (the same module), so a code it prints is redeemed.
@Suite struct WebPairingTests {
    func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "wokctl-web-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aCodeFromWokctlPairsABrowserThatRevokeForgets() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = root + "/not/yet/web"

        let paired = try Wokctl.run(["web", "pair", "--state-dir", state])
        #expect(paired.status == 0, "\(paired.err)")
        let code = try #require(paired.out.range(of: "Pairing code: ").map { String(paired.out[$0.upperBound...].prefix(6)) })
        #expect(Pairing.isWellFormedCode(code), "\(paired.out)")
        // Made with the directory, both private to its user.
        let directoryMode = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
        let codeMode = try FileManager.default.attributesOfItem(atPath: state + "/" + Pairing.codeFile)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        #expect(codeMode == 0o600)

        // wokweb's store takes the code once.
        let store = PairingStore(directory: state)
        let now = Int(Date().timeIntervalSince1970)
        let browser = try store.redeem(code, label: "Test tablet", nowUnixSeconds: now).get()
        #expect(store.isPaired(token: browser.token))
        #expect(store.redeem(code, label: "again", nowUnixSeconds: now) == .failure(.noCode))

        let listed = try Wokctl.run(["web", "tokens", "--state-dir", state])
        #expect(listed.status == 0)
        #expect(listed.out == "\(browser.id)  paired at \(browser.createdUnixSeconds) (Unix time)  Test tablet\n")

        let revoked = try Wokctl.run(["web", "revoke", String(browser.id), "--state-dir", state])
        #expect(revoked.status == 0, "\(revoked.err)")
        #expect(!store.isPaired(token: browser.token), "the running page's store no longer knows the token")
        #expect(try Wokctl.run(["web", "tokens", "--state-dir", state]).out == "No browser is paired.\n")
        let again = try Wokctl.run(["web", "revoke", String(browser.id), "--state-dir", state])
        #expect(again.status == 1)
        #expect(again.err.contains("no paired browser \(browser.id)"))
    }

    @Test func aNewCodeReplacesTheWaitingOne() throws {
        let state = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        var codes: [String] = []
        for _ in 0..<2 {
            let out = try Wokctl.run(["web", "pair", "--state-dir", state]).out
            codes.append(String(out.dropFirst("Pairing code: ".count).prefix(6)))
        }
        let store = PairingStore(directory: state)
        let now = Int(Date().timeIntervalSince1970)
        if codes[0] != codes[1] {
            #expect(store.redeem(codes[0], label: "", nowUnixSeconds: now) == .failure(.wrong(attemptsLeft: Pairing.maxAttempts - 1)))
        }
        #expect((try? store.redeem(codes[1], label: "", nowUnixSeconds: now).get()) != nil)
    }

    @Test(arguments: [
        ["web"], ["web", "frob"], ["web", "pair", "extra"], ["web", "tokens", "x"], ["web", "revoke"], ["web", "revoke", "one"],
        ["web", "pair", "--state-dir"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try Wokctl.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.err)")
        #expect(!result.err.isEmpty)
    }

    @Test func theHelpNamesEveryCommandAndTheDefaultDirectory() throws {
        let result = try Wokctl.run(["web", "--help"])
        #expect(result.status == 0)
        for word in ["pair", "tokens", "revoke", "--state-dir", "/var/lib/wokweb"] { #expect(result.out.contains(word), "\(word)") }
        #expect(try Wokctl.run(["--help"]).out.contains("web pair"))
    }
}
