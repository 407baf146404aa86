// How the probe and the relay test reach devices: real ones on Linux, simulated ones in tests.
public import WokCore

/// Opens the station's devices. The Linux implementation uses `/dev/i2c-N` and libgpiod; the
/// simulator's uses a register-level chip and recorded lines, so the probe is tested unchanged.
public protocol HardwareAccess {
    /// The thermocouple converter's bus device.
    associatedtype Bus: I2CDevice
    /// A requested output line.
    associatedtype Line: OutputLine
    /// A requested input line.
    associatedtype Input: InputLine
    /// A requested input line that reports edges (a button).
    associatedtype EdgeInput: EdgeInputLine

    /// Opens and addresses the converter's bus device.
    func openThermocoupleBus(_ settings: ThermocoupleSettings) throws(I2COpenError) -> Bus
    /// Reads a GPIO chip's label and line count.
    func chipInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOChipInfo
    /// Reads what the kernel says about a line without requesting it.
    func lineInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOLineInfo
    /// Requests a line as an output that starts inactive (off), consumer "wokd".
    func requestOutput(_ settings: OutputLineSettings) throws(GPIOError) -> Line
    /// Requests a line as an input (the flame-proven signal), consumer "wokd".
    func requestInput(_ settings: OutputLineSettings) throws(GPIOError) -> Input
    /// Requests a button's line as an input that reports edges, consumer "wokd".
    func requestEdgeInput(_ settings: ButtonSettings) throws(GPIOError) -> EdgeInput
    /// Every GPIO chip there is, with its label, line count and line names.
    func scanChips() -> GPIOChipScan
    /// The libgpiod API in use (1 or 2), or nil where there is none.
    var gpioAPIVersion: Int? { get }
    /// The version of the libgpiod actually loaded (say "2.1.3"), or nil where there is none:
    /// a binary built for one major version will not run against the other.
    var gpioLibraryVersion: String? { get }
}

extension HardwareAccess {
    /// The line at a concrete chip path and offset: a chip named by label, or a line by name, is
    /// looked up in a fresh scan of the chips; a line that names its chip is returned as it is.
    public func resolve(_ settings: OutputLineSettings) throws(GPIOError) -> OutputLineSettings {
        guard settings.needsLookup else { return settings }
        switch GPIOLineLookup.resolve(settings, in: scanChips()) {
        case .success(let resolved): return resolved
        case .failure(let error): throw GPIOError(operation: "find", chip: settings.description, line: nil, reason: error.description)
        }
    }
}

/// The real devices: the converter through libi2c with bounded retries, lines through libgpiod.
public struct LinuxHardwareAccess: HardwareAccess {
    /// The retry bounds for I2C transfers (and the per-transfer kernel timeout).
    public var retryPolicy: I2CRetryPolicy

    /// Real devices, retrying I2C transfers as `retryPolicy` allows.
    public init(retryPolicy: I2CRetryPolicy) {
        self.retryPolicy = retryPolicy
    }

    /// Real devices with the retry policy that fits the station's control period and its
    /// safety monitor's bus-error bound.
    public init(station: Station) {
        retryPolicy = .fitting(
            periodSeconds: station.control.periodSeconds,
            busErrorBoundSeconds: station.safety.busErrorBoundSeconds)
    }

    public func openThermocoupleBus(_ settings: ThermocoupleSettings) throws(I2COpenError)
        -> RetryingI2CDevice<LinuxI2CDevice<LibI2CCalls>>
    {
        let device = try LinuxI2CDevice(
            bus: settings.bus, address: settings.address,
            transferTimeoutSeconds: retryPolicy.transferTimeoutSeconds)
        return RetryingI2CDevice(device, policy: retryPolicy)
    }

    // Each call below looks its line up first when the station file names it by label or name.

    public func chipInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOChipInfo {
        try GPIOChip.info(chipPath: resolve(settings).chipPath)
    }

    public func lineInfo(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOLineInfo {
        let line = try resolve(settings)
        return try GPIOChip.lineInfo(chipPath: line.chipPath, line: line.line)
    }

    public func requestOutput(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOOutputLine {
        let line = try resolve(settings)
        return try GPIOOutputLine(chipPath: line.chipPath, line: line.line, activeLow: line.activeLow)
    }

    public func requestInput(_ settings: OutputLineSettings) throws(GPIOError) -> GPIOInputLine {
        let line = try resolve(settings)
        return try GPIOInputLine(chipPath: line.chipPath, line: line.line, activeLow: line.activeLow)
    }

    public func requestEdgeInput(_ settings: ButtonSettings) throws(GPIOError) -> GPIOEdgeInputLine {
        let line = try resolve(settings.line)
        return try GPIOEdgeInputLine(chipPath: line.chipPath, line: line.line, activeLow: line.activeLow, bias: settings.bias)
    }

    public func scanChips() -> GPIOChipScan { GPIOChip.scan() }

    public var gpioAPIVersion: Int? { GPIOChip.apiVersion }
    public var gpioLibraryVersion: String? { GPIOChip.libraryVersion }
}

extension MCP9600Configuration {
    /// The converter configuration a station file asks for (fine cold-junction steps).
    public init(settings: ThermocoupleSettings) {
        let type = ThermocoupleType.allCases.first { $0.description == settings.type.rawValue } ?? .k
        let resolution =
            MCP9600Registers.ADCResolution.allCases.first { $0.bits == settings.adcResolutionBits } ?? .bits16
        self.init(
            type: type, filterCoefficient: UInt8(clamping: settings.filter), adcResolution: resolution)
    }
}
