internal import Glibc

/// A failed system call: which operation, on what, and the kernel's errno.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var subject: String
    public var errno: Int32

    public init(_ operation: String, _ subject: String = "", errno: Int32) {
        self.operation = operation
        self.subject = subject
        self.errno = errno
    }

    /// The error of the call that just failed.
    public static func last(_ operation: String, _ subject: String = "") -> SystemError {
        SystemError(operation, subject, errno: Glibc.errno)
    }

    public var reason: String { String(cString: strerror(errno)) }

    public var description: String {
        subject.isEmpty ? "\(operation): \(reason)" : "\(operation) \(subject): \(reason)"
    }
}

/// Calls `body` until it is not interrupted by a signal; one place for EINTR, as every caller needs it.
@discardableResult
public func retryingInterrupts<Result: BinaryInteger>(
    _ operation: String, _ subject: String = "", _ body: () -> Result
) throws(SystemError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        if Glibc.errno == EINTR { continue }
        throw .last(operation, subject)
    }
}
