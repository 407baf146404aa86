// The ignition controller's flame-proven signal on an input line.
public import WokCore

/// The flame-proven input on a GPIO line: active means a flame is proven. A failed read is a
/// `FlameSenseFailure` naming the line; the safety monitor keeps the burner off while reads fail.
public struct GPIOFlameSensor<Line: InputLine>: FlameSensor {
    /// The input line.
    public private(set) var line: Line

    /// Takes a line requested as an input.
    public init(line: Line) { self.line = line }

    public mutating func read() -> Result<FlameState, FlameSenseFailure> {
        do throws(GPIOError) {
            return .success(try line.readActive() ? .proven : .absent)
        } catch {
            return .failure(FlameSenseFailure(reason: error.description))
        }
    }

    /// Gives the line back to the kernel.
    public mutating func close() { line.release() }
}
