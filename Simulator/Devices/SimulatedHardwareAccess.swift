// The station's devices in simulation, for the hardware probe and the relay test.
public import WokCore
public import WokHardware

/// A simulated converter and GPIO chip behind the `HardwareAccess` the probe and relay test use.
///
/// A class so a test can change the chip or a line between calls and see every line handed out.
public final class SimulatedHardwareAccess: HardwareAccess {
    /// The converter at the configured address; nil: nothing answers there (the first
    /// transfer reports no device).
    public var chip: SimulatedMCP9600?
    /// When set, opening the bus fails with this errno (e.g. 2: no such bus).
    public var busOpenErrno: Int32?
    /// The chip's label and line count.
    public var chipDescription = GPIOChipInfo(label: "sim-gpio", lineCount: 32)
    /// Lines held by someone else, by offset, with their consumer.
    public var heldLines: [Int: String] = [:]
    /// When set, GPIO calls fail with this errno.
    public var gpioErrno: Int32?
    /// Every line requested, in order.
    public private(set) var requestedLines: [SimulatedOutputLine] = []
    /// What requested lines should do wrong, set on each when it is handed out.
    public var lineFailsWhenSetTo: Bool?
    /// The levels input lines are held at, by offset (absent: inactive).
    public var inputLevels: [Int: Bool] = [:]
    /// Every input line requested, in order.
    public private(set) var requestedInputs: [SimulatedInputLine] = []
    /// Every edge line requested, in order.
    public private(set) var requestedEdgeInputs: [SimulatedEdgeInputLine] = []
    /// What a scan of the chips finds: by default one chip at /dev/gpiochip0 with the label above.
    public var scan: GPIOChipScan?

    /// A station whose converter is `chip`.
    public init(chip: SimulatedMCP9600?) { self.chip = chip }

    public func openThermocoupleBus(_ settings: ThermocoupleSettings) throws(I2COpenError) -> SimulatedBus {
        let location = I2CLocation(bus: settings.bus, address: settings.address)
        if let busOpenErrno { throw I2COpenError(step: "open", location: location, errno: busOpenErrno) }
        // The chip answers only at its own address; the bus name follows the station file.
        guard let chip, chip.location.address == settings.address else {
            return SimulatedBus(chip: nil, location: location)
        }
        chip.location = location
        return SimulatedBus(chip: chip, location: location)
    }

    public func chipInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOChipInfo {
        if let gpioErrno { throw GPIOError(operation: "read chip information", chip: settings.chipPath, line: nil, errno: gpioErrno) }
        return chipDescription
    }

    public func lineInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOLineInfo {
        if let gpioErrno { throw GPIOError(operation: "read line information", chip: settings.chipPath, line: settings.line, errno: gpioErrno) }
        let consumer = heldLines[settings.line]
        return GPIOLineInfo(isUsed: consumer != nil, isOutput: consumer != nil, isActiveLow: false, consumer: consumer ?? "")
    }

    public func requestOutput(_ settings: OutputLineSettings) throws(GPIOError) -> SimulatedOutputLine {
        if let gpioErrno { throw GPIOError(operation: "request as output", chip: settings.chipPath, line: settings.line, errno: gpioErrno) }
        if heldLines[settings.line] != nil {
            throw GPIOError(operation: "request as output", chip: settings.chipPath, line: settings.line, errno: 16)
        }
        let line = SimulatedOutputLine(name: settings.description)
        line.failsWhenSetTo = lineFailsWhenSetTo
        requestedLines.append(line)
        return line
    }

    public func requestInput(_ settings: OutputLineSettings) throws(GPIOError) -> SimulatedInputLine {
        if let gpioErrno { throw GPIOError(operation: "request as input", chip: settings.chipPath, line: settings.line, errno: gpioErrno) }
        if heldLines[settings.line] != nil {
            throw GPIOError(operation: "request as input", chip: settings.chipPath, line: settings.line, errno: 16)
        }
        let line = SimulatedInputLine(name: settings.description, isActive: inputLevels[settings.line] ?? false)
        requestedInputs.append(line)
        return line
    }

    public func requestEdgeInput(_ settings: ButtonSettings) throws(GPIOError) -> SimulatedEdgeInputLine {
        let line = settings.line
        if let gpioErrno { throw GPIOError(operation: "request for edges", chip: line.chipPath, line: line.line, errno: gpioErrno) }
        if heldLines[line.line] != nil {
            throw GPIOError(operation: "request for edges", chip: line.chipPath, line: line.line, errno: 16)
        }
        let edgeLine = SimulatedEdgeInputLine(name: line.description)
        requestedEdgeInputs.append(edgeLine)
        return edgeLine
    }

    public func scanChips() -> GPIOChipScan {
        scan
            ?? GPIOChipScan(chips: [
                ScannedChip(
                    path: "/dev/gpiochip0", label: chipDescription.label, lineCount: chipDescription.lineCount,
                    lineNames: (0..<chipDescription.lineCount).map { "GPIO\($0)" })
            ])
    }

    public var gpioAPIVersion: Int? { nil }
    public var gpioLibraryVersion: String? { nil }
}

/// The bus as a device at one address: the simulated chip if it sits there, else nothing, and
/// every transfer fails as `.noDevice` (as ENXIO does on Linux).
public struct SimulatedBus: I2CDevice {
    /// The chip at this address, if any.
    public let chip: SimulatedMCP9600?
    public let location: I2CLocation

    public func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        guard let chip else { throw absent("read byte", register) }
        return try chip.readByte(register: register)
    }

    public func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        guard let chip else { throw absent("read word", register) }
        return try chip.readWord(register: register)
    }

    public func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        guard let chip else { throw absent("write byte", register) }
        try chip.writeByte(register: register, value: value)
    }

    private func absent(_ operation: String, _ register: UInt8) -> I2CError {
        I2CError(failure: .noDevice, location: location, register: register, operation: operation)
    }
}
