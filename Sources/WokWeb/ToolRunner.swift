internal import Glibc
internal import WokSystem

/// Why a `wokctl` run did not give an answer.
public enum ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotStart(program: String, reason: String)
    case timedOut(seconds: Double)
    case tooMuchOutput(maxBytes: Int)
    case failed(status: Int32, message: String)
    case busy

    public var description: String {
        switch self {
        case .cannotStart(let program, let reason): "cannot run \(program): \(reason)"
        case .timedOut(let seconds): "wokctl gave no answer within \(Int(seconds)) s"
        case .tooMuchOutput(let maxBytes): "wokctl's answer was over \(maxBytes) bytes"
        case .failed(let status, let message): "wokctl exited with status \(status): \(message)"
        case .busy: "too many lookups at once; try again in a moment"
        }
    }
}

/// Runs `wokctl` for what it already knows how to do (the recipe list with its simulated times,
/// a recipe's stages, the history read-only, a cook's SVG plot), bounded in time, output and how
/// many run at once. wokweb so reads recipes and the history exactly as `wokctl` does.
public final class ToolRunner: @unchecked Sendable {
    public let program: String
    public let baseArguments: [String]
    public let timeoutSeconds: Double
    public let maxOutputBytes: Int
    public let maxRunning: Int
    private let lock = ConditionLock()
    private var running = 0

    public init(program: String, baseArguments: [String] = [], timeoutSeconds: Double = 20, maxOutputBytes: Int = 4 << 20, maxRunning: Int = 2) {
        self.program = program
        self.baseArguments = baseArguments
        self.timeoutSeconds = timeoutSeconds
        self.maxOutputBytes = maxOutputBytes
        self.maxRunning = maxRunning
    }

    /// Standard output of `wokctl ARGUMENTS...` (plus the base arguments, e.g. the recipe
    /// directory), when it exits 0.
    public func run(_ arguments: [String]) throws(ToolError) -> [UInt8] {
        let admitted = lock.withLock {
            guard running < maxRunning else { return false }
            running += 1
            return true
        }
        guard admitted else { throw .busy }
        defer { lock.withLock { running -= 1 } }
        return try spawnAndRead([program] + arguments + baseArguments)
    }

    private func spawnAndRead(_ argv: [String]) throws(ToolError) -> [UInt8] {
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard openPipe(&output) else { throw .cannotStart(program: program, reason: "pipe: \(SystemError.last("pipe").reason)") }
        guard openPipe(&errors) else {
            close(output[0])
            close(output[1])
            throw .cannotStart(program: program, reason: "pipe: \(SystemError.last("pipe").reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errors[1], STDERR_FILENO)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for argument in cArguments { free(argument) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, program, &actions, nil, cArguments, environ)
        close(output[1])
        close(errors[1])
        defer {
            close(output[0])
            close(errors[0])
        }
        guard spawned == 0 else { throw .cannotStart(program: program, reason: SystemError("posix_spawn", errno: spawned).reason) }

        let deadline = monotonicSeconds() + timeoutSeconds
        var collected: [UInt8] = []
        var complaint: [UInt8] = []
        var open: Set<Int32> = [output[0], errors[0]]
        var problem: ToolError?
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while !open.isEmpty, problem == nil {
            let left = deadline - monotonicSeconds()
            guard left > 0 else {
                problem = .timedOut(seconds: timeoutSeconds)
                break
            }
            let descriptors = Array(open)
            guard let ready = try? waitForDescriptors(descriptors.map { PollInterest($0, .readable) }, timeoutSeconds: min(left, 1)) else { continue }
            for (index, events) in ready.enumerated() where !events.isEmpty {
                let descriptor = descriptors[index]
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    if descriptor == output[0] {
                        collected += chunk[..<count]
                        if collected.count > maxOutputBytes { problem = .tooMuchOutput(maxBytes: maxOutputBytes) }
                    } else if complaint.count < 2048 {
                        complaint += chunk[..<count]
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.remove(descriptor)
                }
            }
        }
        if problem != nil { kill(child, SIGKILL) }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        if let problem { throw problem }
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitStatus == 0 else {
            let message = String(decoding: complaint.prefix(512), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw .failed(status: exitStatus, message: message)
        }
        return collected
    }
}

/// A pipe whose ends no other child inherits (the spawned one gets them as its 1 and 2 only).
private func openPipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return true
}
