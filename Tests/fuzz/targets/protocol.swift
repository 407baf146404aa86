// libFuzzer target: lines on the control socket, both ways. Every request line must decode or be
// refused with a known code and a message; every daemon line must decode or be ignored. Nothing
// may trap, hang or grow without bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocol(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
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
        _ = ControlMessage.decode(String(line))
    }
    return 0
}
