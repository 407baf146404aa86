#if canImport(Glibc)
    import Glibc
#endif

/// The keyboard, a key at a time: canonical input and echo off, so `n` acts at once and does
/// not print. Signals stay on (Ctrl-C still sends SIGINT, which `watch` reads and leaves on).
/// `restore` puts back what was there; callers run it on every way out.
final class RawTerminal {
    private let descriptor: Int32
    private var saved: termios
    private var raw: termios
    private var isRaw = false

    /// Nil when `descriptor` is not a terminal, or its settings cannot be read or changed.
    init?(_ descriptor: Int32) {
        guard isatty(descriptor) == 1 else { return nil }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return nil }
        self.descriptor = descriptor
        saved = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // One byte is enough for read to return; no timer.
        withUnsafeMutableBytes(of: &settings.c_cc) { cells in
            cells[Int(VMIN)] = 1
            cells[Int(VTIME)] = 0
        }
        raw = settings
        guard enter() else { return nil }
    }

    /// Back to a key at a time (after a suspension, say); false if the terminal refused.
    @discardableResult
    func enter() -> Bool {
        guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return false }
        isRaw = true
        return true
    }

    func restore() {
        guard isRaw else { return }
        isRaw = false
        _ = tcsetattr(descriptor, TCSANOW, &saved)
    }

    deinit { restore() }
}
