// The buzzer on an output line: set only when the level changes, silent when let go.

/// A buzzer (an active one, through a transistor) on an output line.
///
/// The line is written only when the wanted level changes, so a steady pattern costs the tick
/// nothing. Closing drives it inactive and gives it back to the kernel.
public struct LineBuzzer<Line: OutputLine> {
    public private(set) var line: Line
    /// The level last written successfully.
    public private(set) var isOn = false
    private var written = false

    /// Takes a line requested as an output that starts inactive.
    public init(line: Line) { self.line = line }

    /// Sounds or silences the buzzer.
    public mutating func set(_ on: Bool) throws(GPIOError) {
        guard !written || on != isOn else { return }
        try line.setActive(on)
        isOn = on
        written = true
    }

    /// Silences the buzzer (if the line still answers) and releases the line.
    public mutating func close() {
        do throws(GPIOError) { try line.setActive(false) } catch {
            // Released below either way; the kernel then stops driving the line.
        }
        isOn = false
        line.release()
    }
}
