#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `wokctl`: steer and watch the wok station. Verbs read like `systemctl`.
let usage = """
    Usage: wokctl COMMAND [ARGS] [--help]

    Commands:
      simulate [RECIPE]            cook a recipe against the simulated station (see simulate --help)
      recipes list                 list the recipes in the recipe directory
      recipes show RECIPE          show a recipe's stages, heats and prompts
      recipes validate [RECIPE]    check recipes; one line per problem, exit 3 if any
      hw probe                     report the real devices in the station file (see hw --help)
      hw relay-test                click the burner relay on for a moment (needs a flag)

    Exit status: 0 success, 1 failure, 2 bad usage, 3 invalid input file, 4 cook aborted.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
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
    case "hw":
        try HardwareCommand.run(Array(arguments.dropFirst()))
    case let verb?:
        throw CommandFailure(message: "unknown command \"\(verb)\"; see wokctl --help", code: .usage)
    }
} catch {
    Terminal.error(error.message)
    status = error.code
}
exit(status.rawValue)
