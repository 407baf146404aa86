internal import Glibc

/// Splits a byte stream into newline-terminated lines, with a bound on a line's length: the one
/// framer both ends of the control socket use. A line over the bound is reported once and skipped
/// up to its newline, so the buffer never holds more than the bound.
public struct LineFramer: Sendable {
    /// What one line of input turned out to be.
    public enum Frame: Sendable, Equatable {
        case line(String)
        /// Longer than the bound; its bytes are dropped.
        case tooLong
        /// Not valid UTF-8: a protocol error, not something to repair by replacement.
        case invalidText
    }

    public let maxLineBytes: Int
    private var partial: [UInt8] = []
    /// Inside a line already reported as too long: drop bytes until its newline.
    private var skippingLongLine = false

    public init(maxLineBytes: Int) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Bytes held for a line not finished yet.
    public var bufferedBytes: Int { partial.count }

    /// Takes the next bytes of the stream; returns the lines they complete, in order.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [Frame] {
        var frames: [Frame] = []
        guard let base = bytes.baseAddress else { return frames }
        var start = 0
        while start < bytes.count {
            // memchr: a long line is scanned once, not once per chunk.
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            guard let found else {
                keep(UnsafeRawBufferPointer(rebasing: bytes[start...]), into: &frames)
                break
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            keep(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: &frames)
            if skippingLongLine {
                skippingLongLine = false
            } else {
                frames.append(Self.decode(partial))
            }
            partial.removeAll(keepingCapacity: partial.count <= 4096)
            start = end + 1
        }
        return frames
    }

    public mutating func append(_ bytes: [UInt8]) -> [Frame] {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The end of the stream: the last line when it had no newline (a client may send its request
    /// and shut down its side without one).
    public mutating func finish() -> Frame? {
        defer {
            partial = []
            skippingLongLine = false
        }
        guard !skippingLongLine, !partial.isEmpty else { return nil }
        return Self.decode(partial)
    }

    private mutating func keep(_ bytes: UnsafeRawBufferPointer, into frames: inout [Frame]) {
        guard !skippingLongLine, !bytes.isEmpty else { return }
        if partial.count + bytes.count > maxLineBytes {
            frames.append(.tooLong)
            partial = []
            skippingLongLine = true
            return
        }
        partial.append(contentsOf: bytes)
    }

    private static func decode(_ bytes: [UInt8]) -> Frame {
        var line = bytes[...]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard let text = String(validating: line, as: UTF8.self) else { return .invalidText }
        return .line(text)
    }
}
