import Foundation

/// A program run on a pseudo-terminal of a chosen size, as on a person's terminal: its own
/// session with the terminal as its controlling one, so it gets SIGWINCH when the size changes.
/// The test reads everything it writes and can type at it.
final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    let slavePath: String
    /// The terminal's local modes before the program ran (canonical input and echo on).
    let initialModes: tcflag_t
    private(set) var output: [UInt8] = []
    private var exitStatus: Int32?

    init(_ program: String, _ arguments: [String], columns: Int, rows: Int, environment: [String: String] = [:]) throws {
        // posix_openpt, unlockpt and ptsname by hand (Swift's Glibc hides the XSI names): the
        // multiplexer, unlocked, and the number of its terminal under /dev/pts.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        // TIOCSPTLCK and TIOCGPTN, _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int) in the
        // generic ioctl encoding of x86-64 and arm64: macros Swift cannot import.
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw PseudoTerminalError.failed("/dev/ptmx", errno)
        }
        slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else { throw PseudoTerminalError.failed("TIOCSWINSZ", errno) }

        initialModes = try Self.localModes(slavePath)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, without O_NOCTTY: it becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        // POSIX_SPAWN_SETSID is 0x80 in glibc; Swift does not see the GNU macro.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80))

        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.removeValue(forKey: "COLUMNS")
        env.removeValue(forKey: "LINES")
        env["TERM"] = "xterm-256color"
        for (key, value) in environment { env[key] = value }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child = pid_t()
        let spawned = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw PseudoTerminalError.failed("posix_spawn", spawned) }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Reads whatever the program has written so far (it blocks if nobody reads).
    func pump() {
        var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 1, 0) > 0, fds[0].revents & Int16(POLLIN) != 0 {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(master, &chunk, chunk.count)
            guard count > 0 else { return }
            output += chunk.prefix(count)
        }
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    func resize(columns: Int, rows: Int) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    var text: String { String(decoding: output, as: UTF8.self) }

    /// The exit status once the program has ended (128 + N for a signal), else nil.
    func exited() -> Int32? {
        pump()
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return exitStatus
    }

    /// Pumps output until `condition` holds: a liveness limit, not a measure of speed.
    func wait(limitSeconds: Double = 60, _ condition: (PseudoTerminal) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limitSeconds)
        while Date() < deadline {
            pump()
            if condition(self) { return true }
            usleep(20_000)
        }
        pump()
        return condition(self)
    }

    /// The terminal's local modes as the program left them.
    func localModes() throws -> tcflag_t {
        try Self.localModes(slavePath)
    }

    static func localModes(_ slavePath: String) throws -> tcflag_t {
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw PseudoTerminalError.failed("open", errno) }
        defer { close(slave) }
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else { throw PseudoTerminalError.failed("tcgetattr", errno) }
        return settings.c_lflag
    }
}

enum PseudoTerminalError: Error {
    case failed(String, Int32)
}

/// The screen `watch` drew last: each full redraw starts at the home position and ends by
/// clearing below, so the last frame with both is the screen as a person sees it.
struct DrawnScreen {
    /// The lines as written, colour sequences and all.
    let rawLines: [String]

    init?(_ transcript: String) {
        let frames = transcript.components(separatedBy: "\u{1B}[H").dropFirst()
        guard let frame = frames.last(where: { $0.contains("\u{1B}[J") }),
            let body = frame.components(separatedBy: "\u{1B}[J").first
        else { return nil }
        rawLines = body.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n")
    }

    /// The lines as they read: no escape sequences, no bell.
    var lines: [String] { rawLines.map(Self.plain) }
    var text: String { lines.joined(separator: "\n") }

    static func plain(_ line: String) -> String {
        line.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\u{7}", with: "")
    }
}
