import WokPairing
import WokSystem

/// `wokctl web`: pairing browsers with the station's page (wokweb). The pairing files live in
/// wokweb's state directory; wokweb reads them on every check, so nothing here talks to it.
enum WebCommand {
    static let help = """
        Usage: wokctl web pair [--state-dir DIR]
               wokctl web tokens [--state-dir DIR]
               wokctl web revoke ID [--state-dir DIR]

        pair     prints a six-digit code for one browser to type on the station's page; it is
                 good for 5 minutes and void after 5 wrong tries (a new code replaces it)
        tokens   lists the paired browsers: number, when paired (Unix time), the browser's name
        revoke   forgets browser ID at once: its cookie no longer changes anything

        Run it as wokweb's user or as root (sudo wokctl web pair): the files go to the owner of
        the state directory, which only that user may read.

        Options:
          --state-dir DIR  wokweb's state directory (default /var/lib/wokweb, as its unit makes it)

        Exit status: 0 done; 1 the files could not be written, or no browser ID is paired;
        2 bad usage.
        """

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(Array(raw.dropFirst()), valued: ["state-dir"], flags: ["help"])
        if args.has("help") || raw.first == nil || raw.first == "--help" {
            Terminal.line(help)
            if raw.first == nil { throw CommandFailure(message: "web: say pair, tokens or revoke", code: .usage) }
            return
        }
        let directory = args.value("state-dir") ?? Pairing.defaultStateDirectory
        switch (raw.first, args.positional.count) {
        case ("pair", 0):
            do {
                Terminal.line(try PairingCommands.pair(stateDirectory: directory, nowUnixSeconds: Int(wallClockSeconds())))
            } catch {
                throw CommandFailure(message: "web pair: cannot write the pairing code in \(directory): \(error)", code: .failure)
            }
        case ("tokens", 0):
            for line in PairingCommands.tokenLines(stateDirectory: directory) { Terminal.line(line) }
        case ("revoke", 1):
            guard let id = Int(args.positional[0]) else {
                throw CommandFailure(message: "web revoke: ID is a number from `wokctl web tokens`", code: .usage)
            }
            let said: String?
            do {
                said = try PairingCommands.revoke(stateDirectory: directory, id: id)
            } catch {
                throw CommandFailure(message: "web revoke: \(error)", code: .failure)
            }
            guard let said else { throw CommandFailure(message: "web revoke: no paired browser \(id) in \(directory)", code: .failure) }
            Terminal.line(said)
        case ("pair", _), ("tokens", _), ("revoke", _):
            throw CommandFailure(message: "web \(raw[0]): wrong number of arguments; see wokctl web --help", code: .usage)
        case (let verb?, _):
            throw CommandFailure(message: "web: unknown command \"\(verb)\"; see wokctl web --help", code: .usage)
        case (nil, _):
            throw CommandFailure(message: "web: say pair, tokens or revoke", code: .usage)
        }
    }
}
