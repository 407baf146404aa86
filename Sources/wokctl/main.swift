#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `wokctl`: steer and watch the wok station. Verbs read like `systemctl`.
let usage = """
    Usage: wokctl COMMAND [ARGS] [--help]

    Commands that talk to wokd (--socket PATH to choose which):
      status                       what the station is doing (--json for scripts)
      watch                        follow the station live
      start RECIPE                 start cooking a recipe (a name, or a path to a file; --serves N)
      next                         confirm the current stage is done
      hold | resume                freeze the stage clock and keep the heat | let it run again
      extend SECONDS               give the current stage more time
      finish                       end the current timed stage now
      hold-at TEMP|LEVEL           hold the wok at a heat with no recipe (--minutes M)
      abort                        end the cook, burner off now
      ack                          acknowledge a latched fault once its cause is gone

    The cook history (read from wokd's database; see wokctl history --help):
      history                      one line per cook: when, recipe, duration, outcome
      show COOK                    a cook's stages (target, reached, overshoot, hold error), faults, chart
      export COOK --csv|--json     a cook's samples and events
      plot COOK -o FILE.svg|.png   a picture of a cook; --compare A B overlays two

    Offline commands:
      simulate [RECIPE]            cook a recipe against the simulated station (see simulate --help)
      recipes list                 list the recipes in the recipe directory
      recipes show RECIPE          show a recipe's stages, heats and prompts
      recipes validate [RECIPE]    check recipes; one line per problem, exit 3 if any
      hw probe                     report the real devices in the station file (see hw --help)
      hw relay-test                click the burner relay on for a moment (needs a flag)

    The station's page (wokweb's state directory; see wokctl web --help):
      web pair                     a code for one browser to type on the page
      web tokens | revoke ID       list the paired browsers | forget one

    Exit status: 0 success, 1 failure, 2 bad usage, 3 invalid input file, 4 cook aborted,
    5 wokd not running, 6 not permitted, 7 refused by wokd (see docs/wokctl.md).
    """

// A parent may have left signals blocked (some runtimes block them in every thread); Ctrl-C and
// SIGTERM must still end `watch`.
var noSignals = sigset_t()
sigemptyset(&noSignals)
sigprocmask(SIG_SETMASK, &noSignals, nil)

/// Options given before the verb (`wokctl --socket P status`) move after it, where each verb reads
/// its own; the ones that take a value carry it along.
func verbFirst(_ raw: [String]) -> [String] {
    let valued: Set<String> = [
        "--socket", "--station", "--config", "--plant", "--recipe-dir", "--db", "--state-dir", "--minutes", "--seed", "--speed", "--controller",
        "--serves", "--align",
    ]
    var leading: [String] = []
    var index = 0
    while index < raw.count, raw[index].hasPrefix("--"), raw[index] != "--", raw[index] != "--help" {
        leading.append(raw[index])
        if valued.contains(raw[index]), index + 1 < raw.count {
            leading.append(raw[index + 1])
            index += 1
        }
        index += 1
    }
    guard !leading.isEmpty, index < raw.count else { return raw }
    return [raw[index]] + Array(raw[(index + 1)...]) + leading
}

let arguments = verbFirst(Array(CommandLine.arguments.dropFirst()))
var status = ExitCode.success
do throws(CommandFailure) {
    switch arguments.first {
    case nil, "--help", "-h", "help":
        Terminal.line(usage)
        if arguments.isEmpty { status = .usage }
    case "simulate":
        try SimulateCommand.run(Array(arguments.dropFirst()))
    case "recipes":
        try RecipesCommand.run(Array(arguments.dropFirst()))
    case "watch":
        try WatchCommand.run(Array(arguments.dropFirst()))
    case let verb? where StationCommands.help[verb] != nil:
        try StationCommands.run(verb, Array(arguments.dropFirst()))
    case let verb? where HistoryCommands.verbs.contains(verb):
        try HistoryCommands.run(verb, Array(arguments.dropFirst()))
    case "hw":
        try HardwareCommand.run(Array(arguments.dropFirst()))
    case "web":
        try WebCommand.run(Array(arguments.dropFirst()))
    case let verb?:
        throw CommandFailure(message: "unknown command \"\(verb)\"; see wokctl --help", code: .usage)
    }
} catch {
    Terminal.error(error.message)
    status = error.code
}
exit(status.rawValue)
