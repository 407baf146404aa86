// A relay (the burner's, or the shut-off valve's) on an output line, that fails towards off.
public import WokCore

/// A relay driven by one output line: the burner relay, or the independent shut-off valve.
///
/// Every failure ends with the line driven off if the line still answers, and released to the
/// kernel if it does not (the wiring guide puts a pull on the line that holds the relay off
/// when nothing drives it). A released relay refuses `.on` and reports every `.off` as a
/// failure, so nothing above it believes it is still in control.
public struct GPIORelay<Line: OutputLine>: BurnerRelay {
    /// The line, while held.
    public private(set) var line: Line
    /// The last command that took effect.
    public private(set) var command: BurnerCommand = .off
    /// True once the line has been given back to the kernel.
    public private(set) var isReleased = false

    /// Takes a line that was requested as an output and drives it off; if that fails, releases
    /// the line and throws.
    public init(line: Line) throws(RelayFailure) {
        self.line = line
        do throws(GPIOError) {
            try self.line.setActive(false)
        } catch {
            self.line.release()
            isReleased = true
            throw RelayFailure(reason: "\(error); released the line")
        }
    }

    /// Drives the relay. Turning on fails at once on a released line; a failed `.on` is followed
    /// by an attempt to turn off; a failed `.off` releases the line.
    public mutating func set(_ command: BurnerCommand) throws(RelayFailure) {
        guard !isReleased else {
            throw RelayFailure(reason: "\(line.name) was released after a failure; it is not driven")
        }
        do throws(GPIOError) {
            try line.setActive(command.isOn)
            self.command = command
        } catch {
            let firstFailure = error
            if command.isOn {
                var offFailure: GPIOError?
                do throws(GPIOError) { try line.setActive(false) } catch { offFailure = error }
                if let offFailure {
                    releaseAfterFailure()
                    throw RelayFailure(
                        reason: "\(firstFailure); turning it off failed too (\(offFailure)); released the line")
                }
                self.command = .off
                throw RelayFailure(reason: "\(firstFailure); drove it off again")
            }
            releaseAfterFailure()
            throw RelayFailure(reason: "\(firstFailure); released the line")
        }
    }

    /// Drives the line off (if it still can) and gives it back to the kernel.
    public mutating func close() {
        guard !isReleased else { return }
        do throws(GPIOError) { try line.setActive(false) } catch {
            // The release below is the fallback: the kernel stops driving the line.
        }
        releaseAfterFailure()
    }

    private mutating func releaseAfterFailure() {
        line.release()
        isReleased = true
        command = .off
    }
}
