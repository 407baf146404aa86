import Glibc
import WokClient
import WokPairing
import WokSystem
import WokWeb

/// wokweb: the station's page. The logic is in WokWeb; this reads the command line, starts the
/// server and the link to wokd, and stops both on SIGTERM or SIGINT.
func fail(_ message: String, code: Int32) -> Never {
    FileHandleText.error("wokweb: \(message)")
    exit(code)
}

enum FileHandleText {
    static func error(_ text: String) { _ = writeFully(STDERR_FILENO, Array((text + "\n").utf8)) }
    static func out(_ text: String) { _ = writeFully(STDOUT_FILENO, Array((text + "\n").utf8)) }
}

let raw = Array(CommandLine.arguments.dropFirst())
let arguments: Arguments
do {
    arguments = try Arguments(raw, valued: WebOptions.valued, flags: ["help"])
} catch {
    fail("\(error)\n\n\(WebOptions.help)", code: 2)
}
if arguments.has("help") {
    FileHandleText.out(WebOptions.help)
    exit(0)
}
let options: WebOptions
do {
    options = try WebOptions(arguments)
} catch {
    fail("\(error)", code: 2)
}
// Pairing is shared with `wokctl web pair|tokens|revoke` (WokPairing), which docs/web.md names first.
switch arguments.positional.first {
case "pair":
    do {
        FileHandleText.out(try PairingCommands.pair(stateDirectory: options.stateDirectory, nowUnixSeconds: Int(wallClockSeconds())))
    } catch {
        fail("cannot write the pairing code in \(options.stateDirectory): \(error)", code: 1)
    }
    exit(0)
case "tokens":
    if arguments.positional.count == 3, arguments.positional[1] == "revoke" {
        guard let id = Int(arguments.positional[2]) else { fail("tokens revoke: ID is a number from `wokctl web tokens`", code: 2) }
        do {
            guard let said = try PairingCommands.revoke(stateDirectory: options.stateDirectory, id: id) else {
                fail("no paired browser \(id)", code: 3)
            }
            FileHandleText.out(said)
        } catch {
            fail("cannot revoke: \(error)", code: 1)
        }
        exit(0)
    }
    guard arguments.positional.count == 1 else { fail("tokens: list, or revoke ID", code: 2) }
    for line in PairingCommands.tokenLines(stateDirectory: options.stateDirectory) { FileHandleText.out(line) }
    exit(0)
case nil: break
case let other?: fail("unknown command \"\(other)\" (pair, tokens)\n\n\(WebOptions.help)", code: 2)
}

/// Where this binary lives: the page and wokctl are installed beside it by default.
func ownDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return "." }
    return parentDirectory(String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
}

let binaryDirectory = ownDirectory()
let pageDirectory = options.pageDirectory ?? parentDirectory(binaryDirectory) + "/share/wokweb/page"
let assets: PageAssets
do {
    assets = try PageAssets(directory: pageDirectory)
} catch {
    fail("cannot read the page from \(pageDirectory): \(error) (say where with --page-dir)", code: 1)
}
var tlsKey: String?
var tlsCertificate: String?
if let keyPath = options.tlsKeyPath, let certificatePath = options.tlsCertificatePath {
    do {
        tlsKey = try readSmallFile(keyPath, maxBytes: 64 * 1024)
        tlsCertificate = try readSmallFile(certificatePath, maxBytes: 256 * 1024)
    } catch {
        fail("cannot read the TLS key or certificate: \(error)", code: 1)
    }
}
let loopback = WebOptions.isLoopback(options.address)
let pairingNeeded = !loopback || options.pairingAlways
if pairingNeeded {
    do {
        try makeDirectories(options.stateDirectory, mode: 0o700)
    } catch {
        fail("cannot make the state directory \(options.stateDirectory): \(error)", code: 1)
    }
}

var recipeArguments: [String] = []
if let directory = options.recipeDirectory { recipeArguments += ["--recipe-dir", directory] }
if let station = options.stationFile { recipeArguments += ["--station", station] }
let historyArguments = options.historyDatabase.map { ["--db", $0] } ?? []

// Signals are blocked before any thread starts, then read from a descriptor.
let signals: SignalReceiver
do {
    signals = try SignalReceiver(only: [SIGTERM, SIGINT])
} catch {
    fail("\(error)", code: 1)
}
signal(SIGPIPE, SIG_IGN)

let hub = StationHub(maxStreams: options.maxStreams)
let link = StationLink(socketPath: options.socketPath, hub: hub)
let policy = AccessPolicy(
    // On loopback no name is answered until the bound port is known.
    loopbackOnly: !pairingNeeded, unpairedMayWatch: options.unpairedMayWatch, allowedHosts: loopback ? ["(not bound yet)"] : [])
let app = WebApp(
    settings: WebApp.Settings(
        socketPath: options.socketPath, policy: policy, secureCookies: tlsKey != nil, recipeArguments: recipeArguments,
        historyArguments: historyArguments),
    hub: hub, pairing: PairingStore(directory: options.stateDirectory), assets: assets,
    tools: ToolRunner(program: options.wokctlPath ?? binaryDirectory + "/wokctl"))
let server = WebServer(app: app)
do {
    try server.start(address: options.address, port: options.port, limits: ServerLimits(), tlsKeyPEM: tlsKey, tlsCertificatePEM: tlsCertificate)
    // Only now is the port known (0 asks for any free one).
    if loopback { app.policy.allowedHosts = AccessPolicy.loopbackHosts(port: Int(server.port)) }
    try link.start()
} catch {
    fail("\(error)", code: 1)
}
let scheme = tlsKey == nil ? "http" : "https"
let shownAddress = options.address.contains(":") ? "[\(options.address)]" : options.address
FileHandleText.error(
    "wokweb: serving \(scheme)://\(shownAddress):\(server.port)/ (page \(assets.totalBytes) bytes) for wokd at \(options.socketPath)"
        + (!pairingNeeded ? "" : "; browsers pair with a code from `wokctl web pair --state-dir \(options.stateDirectory)`"))

while true {
    _ = try? waitForDescriptors([PollInterest(signals.descriptor, .readable)], timeoutSeconds: 60)
    if let number = signals.next() {
        FileHandleText.error("wokweb: \(SignalReceiver.name(of: number)): stopping")
        break
    }
}
server.stop()
link.join()
exit(0)
