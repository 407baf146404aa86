import WokCore

/// Text from the daemon, a file or the history, made safe to print: control and bidi characters
/// shown as escapes, never sent to the terminal as is (a recipe must not be able to clear the screen).
func safeText(_ text: String) -> String {
    DisplayText.escaped(text)
}
