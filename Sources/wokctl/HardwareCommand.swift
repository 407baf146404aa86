import WokCore
import WokHardware
import WokSystem

/// `wokctl hw`: the real devices named in the station file's `devices` section.
enum HardwareCommand {
    static let help = """
        Usage: wokctl hw probe [--station FILE] [--json]
               wokctl hw relay-test --i-understand-the-burner-will-light [--seconds S] [--station FILE]

        probe       opens the thermocouple converter and the GPIO lines named in the station
                    file's "devices" section and reports what it found (device ID, thermocouple
                    type, temperatures, STATUS, chip, line and its state) and every problem.
                    It never turns anything on: a line nobody holds is requested off and read back.
        relay-test  turns the burner relay on for S seconds (default 1, at most 2) and off again,
                    only with the flag above, and only if the thermocouple reads without a fault
                    below the station's limits.maxC; it checks the temperature every 0.1 s and
                    switches off at once on a fault or the limit. The shut-off valve is not touched.

        Options:
          --station FILE   station file (default: config/station.json, /etc/wok/station.json);
                           --config is accepted as another name for it
          --json           probe: print one JSON object instead of text
          --seconds S      relay-test: how long the relay stays on (0 < S <= 2)

        Exit status: 0 all well; 1 the probe found a problem, or the relay test was refused or
        failed; 2 bad usage; 3 the station file is invalid or has no "devices" section.
        """

    static let confirmationFlag = "i-understand-the-burner-will-light"

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(
            Array(raw.dropFirst()), valued: ["station", "config", "seconds"],
            flags: ["json", "help", confirmationFlag])
        if args.has("help") || raw.first == nil || raw.first == "--help" {
            Terminal.line(help)
            if raw.first == nil { throw CommandFailure(message: "hw: say probe or relay-test", code: .usage) }
            return
        }
        guard args.positional.isEmpty else {
            throw CommandFailure(message: "hw: unexpected argument \"\(args.positional[0])\"", code: .usage)
        }
        switch raw.first {
        case "probe": try probe(args)
        case "relay-test": try relayTest(args)
        case let verb?:
            throw CommandFailure(message: "hw: unknown command \"\(verb)\"; see wokctl hw --help", code: .usage)
        case nil:
            throw CommandFailure(message: "hw: say probe or relay-test", code: .usage)
        }
    }

    /// The station and its devices section; a station without one cannot reach hardware.
    private static func loadDevices(_ args: Arguments) throws(CommandFailure) -> (Station, StationDevices) {
        let (station, source) = try Files.loadStation(args.value("station") ?? args.value("config"))
        guard let devices = station.devices else {
            throw CommandFailure(
                message: "\(source): no \"devices\" section; see docs/configuration.md", code: .invalidInput)
        }
        return (station, devices)
    }

    private static func probe(_ args: Arguments) throws(CommandFailure) {
        if args.value("seconds") != nil || args.has(confirmationFlag) {
            throw CommandFailure(message: "hw probe: --seconds and --\(confirmationFlag) belong to relay-test", code: .usage)
        }
        let (station, devices) = try loadDevices(args)
        let report = HardwareProbe(access: LinuxHardwareAccess(station: station)).run(devices)
        if args.has("json") {
            Terminal.line(report.json.serialized(pretty: true))
        } else {
            for line in report.lines { Terminal.line(line) }
        }
        if !report.isHealthy { throw CommandFailure(message: "hw probe: found \(report.problems.count) problem(s)", code: .failure) }
    }

    private static func relayTest(_ args: Arguments) throws(CommandFailure) {
        if args.has("json") {
            throw CommandFailure(message: "hw relay-test: --json belongs to probe", code: .usage)
        }
        guard args.has(confirmationFlag) else {
            throw CommandFailure(
                message: "hw relay-test turns the burner on; say so with --\(confirmationFlag)", code: .usage)
        }
        var seconds = 1.0
        if let text = args.value("seconds") {
            guard let value = Double(text), value > 0, value <= RelayTest<LinuxHardwareAccess>.maxOnSeconds else {
                throw CommandFailure(message: "--seconds \(text): expected a number above 0 and at most 2", code: .usage)
            }
            seconds = value
        }
        let (station, devices) = try loadDevices(args)
        Terminal.line("relay on \(devices.relay.description) for \(seconds) s, limit \(formatNumber(station.limits.maxC)) °C")
        let test = RelayTest(access: LinuxHardwareAccess(station: station))
        switch test.run(devices: devices, station: station, onSeconds: seconds) {
        case .success(let outcome):
            Terminal.line("started at \(outcome.startC) °C; on for \(fixed(outcome.onSeconds, 2)) s; relay off")
            if let readings = outcome.readingsC.last { Terminal.line("last reading \(readings) °C") }
            if let reason = outcome.endedEarly {
                throw CommandFailure(message: "hw relay-test: ended early: \(reason); relay off", code: .failure)
            }
        case .failure(let error):
            throw CommandFailure(message: error.description, code: .failure)
        }
    }
}
