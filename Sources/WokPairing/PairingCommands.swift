public import WokSystem

/// What `wokctl web pair|tokens|revoke` (and wokweb's own `pair` and `tokens`) do, as text, so the
/// two programs say and do exactly the same.
public enum PairingCommands {
    /// Makes the state directory if needed and a fresh code; the line to show the person pairing.
    public static func pair(stateDirectory: String, nowUnixSeconds: Int) throws(SystemError) -> String {
        try makeDirectories(stateDirectory, mode: 0o700)
        let code = try PairingStore(directory: stateDirectory).issueCode(nowUnixSeconds: nowUnixSeconds)
        return "Pairing code: \(code)  (type it on the page within \(Pairing.codeLifetimeSeconds / 60) minutes; it works once)"
    }

    /// One line per paired browser: its number, when (Unix time) and the browser's name.
    public static func tokenLines(stateDirectory: String) -> [String] {
        let browsers = PairingStore(directory: stateDirectory).list()
        if browsers.isEmpty { return ["No browser is paired."] }
        return browsers.map { "\($0.id)  paired at \($0.createdUnixSeconds) (Unix time)  \($0.label)" }
    }

    /// Forgets browser `id` at once (a running wokweb reads the file on every check); the line to
    /// show, or nil when there was no such browser.
    public static func revoke(stateDirectory: String, id: Int) throws(SystemError) -> String? {
        guard try PairingStore(directory: stateDirectory).revoke(id: id) else { return nil }
        return "Browser \(id) may no longer change anything."
    }
}
