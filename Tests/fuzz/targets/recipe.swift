// libFuzzer target: recipe files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecipe(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    checkDocument(UnsafeRawBufferPointer(start: data, count: size)) { RecipeLoader.parse($0, source: $1) }
    return 0
}
