public import WokCore

/// The independent shut-off valve on its own output line: open means the line is active.
/// Only the safety monitor drives it (through the station loop); it fails towards closed, as
/// the relay beneath it fails towards off.
public struct GPIOShutoffValve<Line: OutputLine>: ShutoffValve {
    public private(set) var relay: GPIORelay<Line>

    /// Takes a requested line and closes the valve.
    public init(line: Line) throws(ValveFailure) {
        do {
            relay = try GPIORelay(line: line)
        } catch {
            throw ValveFailure(reason: "shut-off valve: \(error.reason)")
        }
    }

    public var isOpen: Bool { relay.command.isOn }

    public mutating func set(open: Bool) throws(ValveFailure) {
        do {
            try relay.set(open ? .on : .off)
        } catch {
            throw ValveFailure(reason: "shut-off valve: \(error.reason)")
        }
    }
}
