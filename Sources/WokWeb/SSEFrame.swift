/// Server-Sent Events framing (the `text/event-stream` format): a named event whose data may span
/// lines. Each line of data becomes its own `data:` field, so a newline in the text can never end
/// the event early or forge a field.
public enum SSEFrame {
    /// One event. `name` is ours (never from input); carriage returns are dropped from `data`
    /// because the format treats a lone CR as a line end too.
    public static func event(_ name: String, id: Int? = nil, data: String) -> String {
        let safeName = String(name.unicodeScalars.filter { $0 != "\n" && $0 != "\r" && $0 != ":" })
        var text = "event: \(safeName)\n"
        if let id { text += "id: \(id)\n" }
        let clean = String(data.unicodeScalars.filter { $0 != "\r" })
        for line in clean.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line)\n"
        }
        return text + "\n"
    }

    /// A comment line: keeps proxies and the connection's idle timer from closing a quiet stream.
    public static let keepAlive = ": keep-alive\n\n"

    /// How long a browser waits before reconnecting, in milliseconds; sent first on every stream.
    public static func retry(milliseconds: Int) -> String { "retry: \(max(0, milliseconds))\n\n" }
}
