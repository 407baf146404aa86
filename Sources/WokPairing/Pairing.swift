internal import Glibc
public import WokSystem

/// A browser allowed to change the station: the token its cookie carries, and when and from
/// what it was paired (for `wokctl web tokens`).
public struct PairedBrowser: Sendable, Equatable {
    public var id: Int
    public var token: String
    public var createdUnixSeconds: Int
    public var label: String

    public init(id: Int, token: String, createdUnixSeconds: Int, label: String) {
        self.id = id
        self.token = token
        self.createdUnixSeconds = createdUnixSeconds
        self.label = label
    }
}

/// Why a pairing code was not accepted.
public enum PairingRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case noCode
    case expired
    case wrong(attemptsLeft: Int)
    case tooManyBrowsers
    case storage(String)

    public var description: String {
        switch self {
        case .noCode: "no pairing code is waiting: run `wokctl web pair` on the station and type the code it shows"
        case .expired: "that pairing code has expired: run `wokctl web pair` again"
        case .wrong(let left):
            left > 0 ? "wrong pairing code (\(left) more tries)" : "wrong pairing code; it is now void: run `wokctl web pair` again"
        case .tooManyBrowsers: "too many browsers are paired: revoke one with `wokctl web revoke ID`"
        case .storage(let why): "the pairing could not be saved: \(why)"
        }
    }
}

/// The pure parts of pairing: codes, tokens and their two small files' formats.
public enum Pairing {
    public static let codeLength = 6
    /// A code is good for this long after it was made.
    public static let codeLifetimeSeconds = 300
    /// Wrong tries before a code is void (a six-digit code must not be guessable by brute force).
    public static let maxAttempts = 5
    public static let maxBrowsers = 32
    public static let cookieName = "wokweb_token"
    public static let codeFile = "pair-code"
    public static let tokensFile = "tokens"
    /// wokweb's state directory as its unit makes it (`StateDirectory=wokweb`).
    public static let defaultStateDirectory = "/var/lib/wokweb"

    public static func isWellFormedCode(_ code: String) -> Bool {
        code.utf8.count == codeLength && code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    public static func isWellFormedToken(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// Six digits from random bytes (the slight modulo bias does not matter at five tries).
    public static func code(from random: [UInt8]) -> String {
        var value: UInt64 = 0
        for byte in random.prefix(8) { value = value << 8 | UInt64(byte) }
        let digits = String(value % 1_000_000)
        return String(repeating: "0", count: codeLength - digits.count) + digits
    }

    /// 32 random bytes as lower-case hex.
    public static func token(from random: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in random.prefix(32) {
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 15)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Compares without stopping at the first difference, so timing does not leak a token.
    public static func sameSecret(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    /// `CODE EXPIRES_UNIX`.
    public static func codeFileText(code: String, expiresUnixSeconds: Int) -> String { "\(code) \(expiresUnixSeconds)\n" }

    public static func parseCodeFile(_ text: String) -> (code: String, expiresUnixSeconds: Int)? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, isWellFormedCode(String(fields[0])), let expiry = Int(fields[1]) else { return nil }
        return (String(fields[0]), expiry)
    }

    /// One browser a line: `ID TOKEN CREATED_UNIX LABEL`; the label is made safe before it is written.
    public static func tokensText(_ browsers: [PairedBrowser]) -> String {
        browsers.map { "\($0.id) \($0.token) \($0.createdUnixSeconds) \(safeLabel($0.label))\n" }.joined()
    }

    public static func parseTokens(_ text: String) -> [PairedBrowser] {
        var browsers: [PairedBrowser] = []
        for line in text.split(separator: "\n").prefix(maxBrowsers) {
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, let id = Int(fields[0]), isWellFormedToken(String(fields[1])), let created = Int(fields[2]) else { continue }
            browsers.append(
                PairedBrowser(id: id, token: String(fields[1]), createdUnixSeconds: created, label: fields.count > 3 ? String(fields[3]) : ""))
        }
        return browsers
    }

    /// Printable ASCII only, at most 80 bytes: a label comes from a browser's User-Agent.
    public static func safeLabel(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(80)))
    }

    /// The token a request's Cookie header carries, if any.
    public static func token(fromCookieHeader header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = String(part.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
            if pair.hasPrefix(cookieName + "=") {
                let value = String(pair.dropFirst(cookieName.count + 1))
                return isWellFormedToken(value) ? value : nil
            }
        }
        return nil
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    /// The cookie that carries a new token: not readable by scripts, never sent cross-site.
    public static func setCookie(_ token: String, secure: Bool) -> String {
        "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000" + (secure ? "; Secure" : "")
    }
}

/// The pairing state in wokweb's state directory: the waiting code (written by `wokctl web pair`)
/// and the paired browsers. The files are the truth, so `wokctl web revoke` takes effect at once in a
/// running wokweb. Its own module, so wokctl shares it without linking libmicrohttpd.
public final class PairingStore: @unchecked Sendable {
    public let directory: String
    private let lock = ConditionLock()
    /// Wrong tries against the waiting code, by code.
    private var failures: [String: Int] = [:]

    public init(directory: String) {
        self.directory = directory
    }

    var codePath: String { directory + "/" + Pairing.codeFile }
    var tokensPath: String { directory + "/" + Pairing.tokensFile }

    /// Makes a fresh code (replacing any waiting one) and returns it.
    public func issueCode(nowUnixSeconds: Int) throws(SystemError) -> String {
        let code = Pairing.code(from: try randomBytes(8))
        try writeFileAtomically(
            codePath, Pairing.codeFileText(code: code, expiresUnixSeconds: nowUnixSeconds + Pairing.codeLifetimeSeconds), mode: 0o600)
        try giveToDirectoryOwner(codePath)
        return code
    }

    /// Exchanges the waiting code for a new token; the code works once.
    public func redeem(_ code: String, label: String, nowUnixSeconds: Int) -> Result<PairedBrowser, PairingRefusal> {
        lock.withLock {
            guard let text = try? readSmallFile(codePath, maxBytes: 256), let waiting = Pairing.parseCodeFile(text) else {
                return .failure(.noCode)
            }
            guard waiting.expiresUnixSeconds > nowUnixSeconds else {
                try? removeFile(codePath)
                return .failure(.expired)
            }
            guard Pairing.sameSecret(code, waiting.code) else {
                let tries = (failures[waiting.code] ?? 0) + 1
                failures = [waiting.code: tries]
                if tries >= Pairing.maxAttempts { try? removeFile(codePath) }
                return .failure(.wrong(attemptsLeft: max(0, Pairing.maxAttempts - tries)))
            }
            var browsers = unlockedList()
            guard browsers.count < Pairing.maxBrowsers else { return .failure(.tooManyBrowsers) }
            let token: String
            do {
                token = Pairing.token(from: try randomBytes(32))
            } catch {
                return .failure(.storage("\(error)"))
            }
            let browser = PairedBrowser(
                id: (browsers.map(\.id).max() ?? 0) + 1, token: token, createdUnixSeconds: nowUnixSeconds, label: Pairing.safeLabel(label))
            browsers.append(browser)
            do {
                try writeFileAtomically(tokensPath, Pairing.tokensText(browsers), mode: 0o600)
                try removeFile(codePath)
            } catch {
                return .failure(.storage("\(error)"))
            }
            failures = [:]
            return .success(browser)
        }
    }

    public func isPaired(token: String?) -> Bool {
        guard let token else { return false }
        return lock.withLock { unlockedList().contains { Pairing.sameSecret($0.token, token) } }
    }

    public func list() -> [PairedBrowser] { lock.withLock { unlockedList() } }

    /// Forgets browser `id`; false when there was none.
    public func revoke(id: Int) throws(SystemError) -> Bool {
        let browsers = list()
        let kept = browsers.filter { $0.id != id }
        guard kept.count != browsers.count else { return false }
        try writeFileAtomically(tokensPath, Pairing.tokensText(kept), mode: 0o600)
        try giveToDirectoryOwner(tokensPath)
        return true
    }

    /// Run as root (`sudo wokctl web pair`), a new file would be root's, 0600, and wokweb could not
    /// read it: it goes to whoever owns the state directory (the user `wokweb`).
    private func giveToDirectoryOwner(_ path: String) throws(SystemError) {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(directory, &info) == 0 else { throw .last("stat", directory) }
        guard info.st_uid != 0 || info.st_gid != 0 else { return }
        guard chown(path, info.st_uid, info.st_gid) == 0 else { throw .last("chown", path) }
    }

    private func unlockedList() -> [PairedBrowser] {
        guard let text = try? readSmallFile(tokensPath, maxBytes: 64 * 1024) else { return [] }
        return Pairing.parseTokens(text)
    }
}
