// libFuzzer target: bytes on the control socket, both ways. The framer must split them within its
// bound; every request line must decode or be refused with a known code and a message; every daemon
// line must decode (typed snapshot and event included) or be refused. Nothing may trap, hang or grow
// without bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocol(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var framer = LineFramer(maxLineBytes: 4096)
    let half = size / 2
    var frames = framer.append(UnsafeRawBufferPointer(rebasing: bytes[..<half]))
    frames += framer.append(UnsafeRawBufferPointer(rebasing: bytes[half...]))
    guard framer.bufferedBytes <= 4096 else { fatalError("the framer holds more than its bound") }
    if let last = framer.finish() { frames.append(last) }
    for case .line(let line) in frames where line.utf8.count > 4096 { fatalError("a line over the bound: \(line.utf8.count)") }
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        switch ControlRequest.decode(String(line)) {
        case .success(let request):
            // What decodes re-encodes to a line that decodes to the same request.
            guard case .success(let again) = ControlRequest.decode(request.line), again == request else {
                fatalError("a decoded request does not survive re-encoding: \(request)")
            }
        case .failure(let failure):
            guard !failure.error.message.isEmpty else { fatalError("a refusal without a message") }
            switch failure.id {
            case .null, .number, .string: break
            default: fatalError("an error echoes an id that is not a number or string")
            }
            _ = ControlReply.error(id: failure.id, failure.error)
        }
        switch ControlMessage.decode(String(line)) {
        case .snapshot(let object)?: _ = try? StationSnapshot(json: .object(object))
        case .event(let object)?: _ = try? WireEvent(json: .object(object))
        case .result(_, let value)?: _ = try? Subscription(json: value)
        default: break
        }
    }
    return 0
}
