/// Text from the daemon, a file or the history, made safe to print: control characters shown as
/// escapes, never sent to the terminal as is (a recipe must not be able to clear the screen).
func safeText(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        let value = scalar.value
        if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
        {
            result += "\\u{\(String(value, radix: 16, uppercase: true))}"
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
