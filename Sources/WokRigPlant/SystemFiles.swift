// The few file operations the plant makes on sysfs and on its control directory.
internal import Glibc

/// Small, bounded file operations on sysfs attributes and flag files.
public enum SystemFiles {
    /// Reads at most `maxBytes` from a file (sysfs values, plant files); nil if it cannot be read.
    public static func read(_ path: String, maxBytes: Int) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < maxBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, min($0.count, maxBytes - bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to an existing file (a sysfs attribute); false if it could not.
    public static func write(_ text: String, to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
    }

    /// Creates an empty file (a control flag); false if it could not.
    public static func touch(_ path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// Reads a small file and removes it (a one-shot request such as the `food` file); nil if
    /// there is none.
    public static func take(_ path: String, maxBytes: Int) -> String? {
        guard let text = read(path, maxBytes: maxBytes) else { return nil }
        unlink(path)
        return text
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// A GPIO line's level from gpio-sim's `sim_gpioN/value`: 0, 1, or nil if unreadable.
    public static func lineLevel(_ path: String) -> Int? {
        read(path, maxBytes: 8).flatMap(parseLineLevel)
    }

    /// What a `value` attribute's text means: "0\n" is 0, "1\n" is 1, anything else nil.
    public static func parseLineLevel(_ text: String) -> Int? {
        switch text.first {
        case "0": return 0
        case "1": return 1
        default: return nil
        }
    }
}
