internal import WokPairing
public import WokSystem

/// wokweb's command line for serving.
public struct WebOptions: Sendable, Equatable {
    public var address = "127.0.0.1"
    public var port: UInt16 = 8088
    public var socketPath: String
    public var stateDirectory: String
    public var pageDirectory: String?
    public var wokctlPath: String?
    public var recipeDirectory: String?
    public var stationFile: String?
    public var historyDatabase: String?
    public var unpairedMayWatch = true
    /// Ask for pairing even on a loopback bind (a kiosk shared with others, and the tests).
    public var pairingAlways = false
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Browsers following the station at once (event streams); the rest are answered 503.
    public var maxStreams = 32
    /// Leaves room under libmicrohttpd's 64 connections for the buttons' requests.
    public static let maxStreamsBound = 56

    public static let help = """
        Usage: wokweb [--listen ADDR:PORT] [--socket PATH] [--state-dir DIR] [--page-dir DIR]
                      [--wokctl PATH] [--recipe-dir DIR] [--station FILE] [--db FILE]
                      [--unpaired-watch yes|no] [--pairing auto|always]
                      [--tls-cert FILE --tls-key FILE] [--max-streams N]
               wokweb pair [--state-dir DIR]             (the same as wokctl web pair)
               wokweb tokens [--state-dir DIR]           (wokctl web tokens)
               wokweb tokens revoke ID [--state-dir DIR] (wokctl web revoke ID)

        Serves the station's page. --listen defaults to 127.0.0.1:8088 (this machine only, where
        no pairing is asked); bound to any other address, a browser must be paired before it can
        change anything: `wokctl web pair` prints a code, valid for 5 minutes and 5 tries, to type
        on the page. `wokctl web tokens` lists paired browsers; `wokctl web revoke ID` forgets one.
        --unpaired-watch no hides the station from unpaired browsers too; --pairing always asks
        for pairing on a loopback bind as well. --max-streams (default 32, at most 56) bounds the
        browsers following the station at once. The state directory
        (pairing) defaults to $STATE_DIRECTORY, else /var/lib/wokweb. See docs/web.md.
        """

    public init(socketPath: String = DefaultPaths.clientSocket, stateDirectory: String = WebOptions.defaultStateDirectory) {
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
    }

    public static var defaultStateDirectory: String {
        DefaultPaths.environment("STATE_DIRECTORY").map { String($0.split(separator: ":").first ?? "") } ?? Pairing.defaultStateDirectory
    }

    public static let valued: Set<String> = [
        "listen", "socket", "state-dir", "page-dir", "wokctl", "recipe-dir", "station", "db", "unpaired-watch", "pairing", "tls-cert", "tls-key",
        "max-streams",
    ]

    public init(_ args: Arguments) throws(UsageError) {
        self.init(
            socketPath: args.value("socket") ?? DefaultPaths.clientSocket, stateDirectory: args.value("state-dir") ?? Self.defaultStateDirectory)
        if let listen = args.value("listen") { (address, port) = try Self.parseListen(listen) }
        pageDirectory = args.value("page-dir")
        wokctlPath = args.value("wokctl")
        recipeDirectory = args.value("recipe-dir")
        stationFile = args.value("station")
        historyDatabase = args.value("db")
        switch args.value("unpaired-watch") {
        case nil, "yes": unpairedMayWatch = true
        case "no": unpairedMayWatch = false
        case let other?: throw UsageError("--unpaired-watch takes yes or no, not \"\(other)\"")
        }
        switch args.value("pairing") {
        case nil, "auto": pairingAlways = false
        case "always": pairingAlways = true
        case let other?: throw UsageError("--pairing takes auto or always, not \"\(other)\"")
        }
        tlsCertificatePath = args.value("tls-cert")
        tlsKeyPath = args.value("tls-key")
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else { throw UsageError("TLS needs both --tls-cert and --tls-key") }
        if let text = args.value("max-streams") {
            guard let count = Int(text), (1...Self.maxStreamsBound).contains(count) else {
                throw UsageError("--max-streams takes a whole number from 1 to \(Self.maxStreamsBound), not \"\(text)\"")
            }
            maxStreams = count
        }
    }

    /// `127.0.0.1:8088`, `0.0.0.0:80`, `[::1]:8088`, `[::]:8088`.
    public static func parseListen(_ text: String) throws(UsageError) -> (String, UInt16) {
        let address: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw UsageError("--listen \(text): expected [IPV6]:PORT")
            }
            address = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw UsageError("--listen \(text): expected ADDRESS:PORT") }
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !address.isEmpty, address.utf8.count <= 64, let port = UInt16(portText) else {
            throw UsageError("--listen \(text): expected ADDRESS:PORT with a numeric port from 0 to 65535")
        }
        return (String(address), port)
    }

    /// Whether only this machine can reach the address.
    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.")
    }
}
