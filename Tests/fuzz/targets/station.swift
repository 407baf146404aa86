// libFuzzer target: station files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStation(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    checkDocument(UnsafeRawBufferPointer(start: data, count: size)) { StationLoader.parse($0, source: $1) }
    return 0
}
