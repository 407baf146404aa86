import WokSystem

/// What `wokctl` tells the shell. Documented in docs/wokctl.md; scripts may rely on these.
struct ExitCode: Error, Equatable {
    var rawValue: Int32

    /// Success; for `simulate`, the cook completed.
    static let success = ExitCode(rawValue: 0)
    /// Something went wrong that is not one of the cases below (I/O, an internal error).
    static let failure = ExitCode(rawValue: 1)
    /// The command line was wrong: unknown verb or option, missing value.
    static let usage = ExitCode(rawValue: 2)
    /// A recipe, station or plant file is invalid (or not found).
    static let invalidInput = ExitCode(rawValue: 3)
    /// `simulate`: the cook was aborted or faulted (its reason is printed and in `--json`).
    static let cookAborted = ExitCode(rawValue: 4)
    /// The daemon is not running, or went away mid-conversation.
    static let daemonUnavailable = ExitCode(rawValue: 5)
    /// The caller may not talk to the daemon, or may watch but not change anything.
    static let permissionDenied = ExitCode(rawValue: 6)
    /// The daemon understood and refused: the station's state does not allow it now (a cook is
    /// running, the stage cannot end yet, nothing is held, the fault's cause persists, ...).
    static let refused = ExitCode(rawValue: 7)
}

/// A failure to report on standard error before exiting with `code`.
struct CommandFailure: Error {
    var message: String
    var code: ExitCode
}

extension Arguments {
    /// Reads a command line for `wokctl`; a usage error exits 2.
    static func parse(_ raw: [String], valued: Set<String>, flags: Set<String>) throws(CommandFailure) -> Arguments {
        do {
            return try Arguments(raw, valued: valued, flags: flags)
        } catch {
            throw CommandFailure(message: error.message, code: .usage)
        }
    }
}
