internal import CWokSystem
internal import Glibc

/// What the daemon does with a signal that would otherwise end it.
public enum SignalAction: Sendable, Equatable {
    /// Stop: the burner-off path runs, then the process exits.
    case stop
    /// Say so in the log and carry on (SIGHUP: there is no reload).
    case logOnly
    /// Nothing asked of wokd: noted in the log and otherwise ignored.
    case ignore
}

/// The signals that end a process by default, read from a signalfd instead of delivered.
public final class SignalReceiver {
    public let descriptor: Int32

    /// Blocks the signals for this thread and every thread started after it, then opens the
    /// signalfd. Call before starting threads: a thread started earlier keeps them unblocked.
    public init() throws(SystemError) {
        let fd = wok_signal_descriptor()
        guard fd >= 0 else { throw .last("signalfd") }
        descriptor = fd
    }

    /// Reads only `signals` (blocked for this thread and those it starts later), leaving every
    /// other signal as it was.
    public init(only signals: [Int32]) throws(SystemError) {
        let fd = signals.withUnsafeBufferPointer { wok_signal_descriptor_for($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else { throw .last("signalfd") }
        descriptor = fd
    }

    /// Blocks the signals without reading them yet (the first thing `main` does, before any thread).
    public static func blockForAllThreads() throws(SystemError) {
        guard wok_block_signals() == 0 else { throw .last("pthread_sigmask") }
    }

    deinit { Glibc.close(descriptor) }

    /// The next pending signal's number; nil when none is pending.
    public func next() -> Int32? {
        let number = wok_read_signal(descriptor)
        return number > 0 ? number : nil
    }

    /// The daemon's rule for each signal it receives.
    public static func action(for number: Int32) -> SignalAction {
        switch number {
        case SIGTERM, SIGINT, SIGQUIT: .stop
        // The power is failing, or the CPU limit is about to become SIGKILL: stop while we can.
        case SIGPWR, SIGXCPU: .stop
        case SIGHUP: .logOnly
        default: .ignore
        }
    }

    /// The signal's name (`SIGUSR1`, `SIGRTMIN+3`).
    public static func name(of number: Int32) -> String {
        let names: [Int32: String] = [
            SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGHUP: "SIGHUP", SIGUSR1: "SIGUSR1",
            SIGUSR2: "SIGUSR2", SIGALRM: "SIGALRM", SIGIO: "SIGIO", SIGPROF: "SIGPROF", SIGVTALRM: "SIGVTALRM",
            SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGPWR: "SIGPWR", SIGSTKFLT: "SIGSTKFLT",
        ]
        if let name = names[number] { return name }
        let first = wok_signal_range_min()
        if number >= first, number <= wok_signal_range_max() { return "SIGRTMIN+\(number - first)" }
        return "signal \(number)"
    }
}
