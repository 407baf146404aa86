internal import CWokSpawn
internal import Glibc
internal import WokSystem

/// Runs notification commands as children that never hold anything up: posix_spawn with no shell
/// (unless configured), stdin and stdout on /dev/null, stderr to our log, each in its own process
/// group so a timeout kills what it started too (the spawn itself is in CWokSpawn). `poll` reaps finished children and kills late
/// ones; nothing here ever waits for a child.
public final class ChildRunner {
    public struct Running: Sendable, Equatable {
        public var pid: Int32
        public var kind: NotificationKind
        public var startedAt: Double
        /// Set once SIGKILL was sent; the child is then only waited for.
        public var killed: Bool
    }

    /// How a child ended, for the log and the tests.
    public enum Outcome: Sendable, Equatable {
        case exited(status: Int32)
        case signalled(Int32)
        case timedOut
    }

    public let config: NotifyConfig
    public private(set) var running: [Running] = []
    private let log: (String) -> Void

    public init(config: NotifyConfig, log: @escaping (String) -> Void) {
        self.config = config
        self.log = log
    }

    /// Starts the command for `notification`, or logs why not. Returns the child's pid.
    @discardableResult
    public func start(_ notification: Notification, now: Double) -> Int32? {
        guard running.count < config.maxRunning else {
            log("notify: \(config.maxRunning) notification commands still running; dropped the \(notification.kind.rawValue) one")
            return nil
        }
        let arguments = config.shell ? ["/bin/sh", "-c", config.command.joined(separator: " ")] : config.command
        guard let program = arguments.first, !program.isEmpty else { return nil }
        var environment: [String] = []
        for name in ["PATH", "LANG", "HOME", "CREDENTIALS_DIRECTORY"] {
            if let value = DefaultPaths.environment(name) { environment.append("\(name)=\(value)") }
        }
        if DefaultPaths.environment("PATH") == nil { environment.append("PATH=/usr/local/bin:/usr/bin:/bin") }
        environment += notification.environment.map { "\($0.0)=\($0.1)" }
        switch spawn(program, arguments, environment) {
        case .success(let pid):
            running.append(Running(pid: pid, kind: notification.kind, startedAt: now, killed: false))
            return pid
        case .failure(let error):
            log("notify: could not run \(program): \(error)")
            return nil
        }
    }

    /// Reaps children that ended and kills those past their time; returns what ended this call.
    @discardableResult
    public func poll(now: Double) -> [(pid: Int32, outcome: Outcome)] {
        var ended: [(pid: Int32, outcome: Outcome)] = []
        var still: [Running] = []
        for var child in running {
            var status: Int32 = 0
            let result = waitpid(child.pid, &status, WNOHANG)
            if result == child.pid || (result < 0 && errno == ECHILD) {
                let outcome: Outcome
                if child.killed {
                    outcome = .timedOut
                } else if result < 0 {
                    outcome = .exited(status: -1)
                } else if status & 0x7f == 0 {
                    outcome = .exited(status: (status >> 8) & 0xff)
                } else {
                    outcome = .signalled(status & 0x7f)
                }
                report(child, outcome)
                ended.append((child.pid, outcome))
                continue
            }
            if !child.killed, now - child.startedAt >= config.timeoutSeconds {
                // The group: a shell's children (curl under sh -c) go with it.
                kill(-child.pid, SIGKILL)
                kill(child.pid, SIGKILL)
                child.killed = true
            }
            still.append(child)
        }
        running = still
        return ended
    }

    private func report(_ child: Running, _ outcome: Outcome) {
        switch outcome {
        case .exited(let status) where status == 0: break
        case .exited(let status): log("notify: the \(child.kind.rawValue) command failed with exit status \(status)")
        case .signalled(let number): log("notify: the \(child.kind.rawValue) command was ended by \(SignalReceiver.name(of: number))")
        case .timedOut: log("notify: the \(child.kind.rawValue) command ran past \(config.timeoutSeconds) s and was killed")
        }
    }

    private func spawn(_ program: String, _ arguments: [String], _ environment: [String]) -> Result<Int32, SystemError> {
        let argv = arguments.map { strdup($0) }
        let envp = environment.map { strdup($0) }
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let constArgv: [UnsafePointer<CChar>?] = argv.map { $0.map { UnsafePointer($0) } } + [nil]
        let constEnvp: [UnsafePointer<CChar>?] = envp.map { $0.map { UnsafePointer($0) } } + [nil]
        let result = constArgv.withUnsafeBufferPointer { argvBuffer in
            constEnvp.withUnsafeBufferPointer { envBuffer in wok_spawn(argvBuffer.baseAddress, envBuffer.baseAddress, &pid) }
        }
        guard result == 0 else { return .failure(SystemError("posix_spawn", program, errno: result)) }
        return .success(pid)
    }
}
