import WokClient
import WokCore
import WokSystem
import WokWire

/// The well-behaved client of the hostile benchmark: a person who runs `wokctl abort` on a fresh
/// connection, then starts the cook again and looks at the status. It keeps what it saw.
struct AbortProbe {
    /// The promise: an abort is answered within this long, whatever the other clients do.
    static let answerTargetSeconds = 1.0
    /// How long any one request is waited for: longer than the disk stall (5 s), so a stalled
    /// answer is timed rather than cut off, yet bounded.
    static let answerWaitSeconds = 6.0

    /// One abort: how long it took from connecting to the answer, and what came back.
    struct Attempt {
        var seconds: Double
        /// Nil when the daemon answered the abort (done, or refused because nothing was cooking).
        var failure: String?
    }

    let socketPath: String
    private(set) var attempts: [Attempt] = []
    /// Failures to start the cook again, to read the status, and the like.
    private(set) var otherProblems: [String] = []
    /// The newest `loop` statistics seen, and when (monotonic seconds).
    private(set) var loop: JSONObject?
    private(set) var loopSeenAt: Double?
    /// The first latched fault seen in any snapshot: `kind: reason`.
    private(set) var fault: String?

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    var answeredInTime: Int { attempts.count { $0.failure == nil && $0.seconds <= Self.answerTargetSeconds } }
    /// The slowest answer (answers after the 1 s promise included).
    var worstAnsweredSeconds: Double? { attempts.filter { $0.failure == nil }.map(\.seconds).max() }
    var unanswered: Int { attempts.count { $0.failure != nil } }

    /// Aborts on a fresh connection, timed; then, on the same connection, starts the cook again and
    /// reads the status. Every wait is bounded.
    mutating func abortAndRestart(whileWaiting: () -> Void) {
        let began = monotonic()
        let connection = BenchClient.connect(to: socketPath, deadline: began + Self.answerWaitSeconds, whileWaiting: whileWaiting)
        guard case .success(let client) = connection else {
            if case .failure(let failure) = connection { attempts.append(Attempt(seconds: monotonic() - began, failure: "connect: \(failure)")) }
            return
        }
        let answer = client.request(.abort, deadline: began + Self.answerWaitSeconds, whileWaiting: whileWaiting)
        let seconds = monotonic() - began
        switch answer {
        case .failure(let failure):
            attempts.append(Attempt(seconds: seconds, failure: "\(failure)"))
            return
        case .success(.failure(let error)) where error.code != .refused:
            attempts.append(Attempt(seconds: seconds, failure: "\(error.code.rawValue): \(error.message)"))
            return
        case .success(.success(let snapshot)):
            note(snapshot)
            attempts.append(Attempt(seconds: seconds, failure: nil))
            // The daemon switches the burner off before it answers an abort.
            if snapshot.objectValue?["burner"]?.stringValue != "off" { otherProblems.append("abort: answered with the burner not off") }
        case .success(.failure):  // Refused: nothing was cooking, so the burner is off anyway.
            attempts.append(Attempt(seconds: seconds, failure: nil))
        }
        startCook(on: client, whileWaiting: whileWaiting)
        readStatus(on: client, whileWaiting: whileWaiting)
    }

    /// Starts the default recipe on a fresh connection; false if the daemon did not.
    mutating func startCook(whileWaiting: () -> Void) -> Bool {
        guard
            case .success(let client) = BenchClient.connect(
                to: socketPath, deadline: monotonic() + Self.answerWaitSeconds, whileWaiting: whileWaiting)
        else {
            otherProblems.append("start: could not connect")
            return false
        }
        return startCook(on: client, whileWaiting: whileWaiting)
    }

    /// Reads the status on a fresh connection, keeping its loop statistics and any fault.
    mutating func readStatus(whileWaiting: () -> Void) -> Bool {
        guard
            case .success(let client) = BenchClient.connect(
                to: socketPath, deadline: monotonic() + Self.answerWaitSeconds, whileWaiting: whileWaiting)
        else {
            otherProblems.append("status: could not connect")
            return false
        }
        return readStatus(on: client, whileWaiting: whileWaiting)
    }

    @discardableResult
    private mutating func startCook(on client: BenchClient, whileWaiting: () -> Void) -> Bool {
        switch client.request(
            .start, params: ["recipe": .string(benchRecipe)], deadline: monotonic() + Self.answerWaitSeconds, whileWaiting: whileWaiting)
        {
        case .success(.success(let snapshot)):
            note(snapshot)
            return true
        case .success(.failure(let error)):
            otherProblems.append("start: \(error.code.rawValue): \(error.message)")
        case .failure(let failure):
            otherProblems.append("start: \(failure)")
        }
        return false
    }

    @discardableResult
    private mutating func readStatus(on client: BenchClient, whileWaiting: () -> Void) -> Bool {
        switch client.request(.status, deadline: monotonic() + Self.answerWaitSeconds, whileWaiting: whileWaiting) {
        case .success(.success(let snapshot)):
            note(snapshot)
            return true
        case .success(.failure(let error)):
            otherProblems.append("status: \(error.code.rawValue): \(error.message)")
        case .failure(let failure):
            otherProblems.append("status: \(failure)")
        }
        return false
    }

    private mutating func note(_ snapshot: JSONValue) {
        guard let object = snapshot.objectValue else { return }
        if let loop = object["loop"]?.objectValue {
            self.loop = loop
            loopSeenAt = monotonic()
        }
        if fault == nil, let latched = object["fault"]?.objectValue {
            fault = "\(latched["kind"]?.stringValue ?? "?"): \(latched["reason"]?.stringValue ?? "")"
        }
    }
}
