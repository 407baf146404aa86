// Shared by the document fuzz targets: compiled into the same module as WokCore's sources.

/// Parses `bytes` with `parse`; a rejection must be a clear error that says where. Anything else
/// is a finding: it traps, and libFuzzer saves the input.
func checkDocument<Decoded>(_ bytes: UnsafeRawBufferPointer, parse: (String, String) -> Result<Decoded, DocumentError>) {
    // Raw bytes straight into the parser: bad UTF-8 must be refused with a position.
    do {
        _ = try JSONParser.parse(utf8: Array(bytes))
    } catch {
        checkSyntax(error, lineCount: bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) })
    }
    // And as text, the way the loaders are called.
    let text = String(decoding: bytes, as: UTF8.self)
    switch parse(text, "fuzz.json") {
    case .success: break
    case .failure(.syntax(let source, let error)):
        guard source == "fuzz.json" else { fatalError("syntax error without its source: \(error)") }
        checkSyntax(error, lineCount: text.utf8.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) })
    case .failure(.invalid(let source, let problems)):
        guard source == "fuzz.json", !problems.isEmpty else { fatalError("rejected without a problem") }
        for problem in problems where problem.location.isEmpty || problem.message.isEmpty {
            fatalError("a problem without a location or message: \(problem)")
        }
    }
}

private func checkSyntax(_ error: JSONSyntaxError, lineCount: Int) {
    // Lines may also end at a lone CR, so the count of LFs is a floor, not a ceiling: bound loosely.
    guard error.line >= 1, error.column >= 1, !error.message.isEmpty else {
        fatalError("syntax error without a position: \(error)")
    }
    _ = lineCount
}
