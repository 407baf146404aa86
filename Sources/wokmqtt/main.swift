// wokmqtt: wokd's station on an MQTT broker (Home Assistant discovery, state, remote commands under
// the station's policy) and notifications on cook events. A client of the control socket; wokd
// itself keeps no network. docs/mqtt.md and docs/notifications.md.
import Glibc
import WokMQTT
import WokSystem

let usage = """
    Usage: wokmqtt [--config FILE] [--socket PATH]

      --config FILE   the bridge's config (default /etc/wok/mqtt.json): broker, remote policy, notifications
      --socket PATH   wokd's control socket (default: where wokctl looks)

    Credentials and TLS files are named in the config, never on the command line (docs/mqtt.md).
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError(message)
    exit(2)
}

enum FileHandle {
    static func standardError(_ line: String) {
        _ = writeFully(2, Array((line + "\n").utf8))
    }
}

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()), valued: ["config", "socket"], flags: ["help"])
} catch {
    fail("wokmqtt: \(error)\n\(usage)")
}
if arguments.has("help") {
    print(usage)
    exit(0)
}
guard arguments.positional.isEmpty else { fail("wokmqtt: unexpected \(arguments.positional[0])\n\(usage)") }

let configPath = arguments.value("config") ?? "/etc/wok/mqtt.json"
let config: BridgeConfig
do {
    config = try BridgeConfig.load(path: configPath)
} catch {
    fail("wokmqtt: \(error)")
}
if config.mqtt == nil && config.notify == nil { fail("wokmqtt: \(configPath) names neither a broker (mqtt) nor notifications (notify)") }

// Before any thread starts, so the broker's thread inherits the blocked signals.
signal(SIGPIPE, SIG_IGN)
let signals: SignalReceiver
do {
    signals = try SignalReceiver(only: [SIGTERM, SIGINT, SIGHUP])
} catch {
    fail("wokmqtt: \(error)")
}
let log: @Sendable (String) -> Void = { FileHandle.standardError($0) }
do {
    let bridge = try Bridge(config: config, socket: arguments.value("socket"), signals: signals, log: log)
    exit(bridge.run())
} catch {
    fail("wokmqtt: \(error)")
}
