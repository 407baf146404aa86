internal import CWokSystem

/// `count` bytes from the kernel's random source, for secrets (pairing codes and tokens).
public func randomBytes(_ count: Int) throws(SystemError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    guard bytes.withUnsafeMutableBytes({ wok_random($0.baseAddress, $0.count) }) == 0 else { throw .last("getrandom") }
    return bytes
}
