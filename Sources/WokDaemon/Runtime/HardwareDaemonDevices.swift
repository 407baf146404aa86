public import WokCore
public import WokHardware

/// Why the real devices could not be opened, naming the device.
public enum DeviceOpenError: Error, Sendable, CustomStringConvertible {
    case noDevicesSection(source: String)
    case thermocouple(String)
    case relay(String)
    case valve(String)
    case flameSense(String)
    case button(StationButton, String)
    case buzzer(String)

    public var description: String {
        switch self {
        case .noDevicesSection(let source): "\(source) has no \"devices\" section, so there is no real station to drive"
        case .thermocouple(let why): "thermocouple: \(why)"
        case .relay(let why): "burner relay: \(why)"
        case .valve(let why): "shut-off valve: \(why)"
        case .flameSense(let why): "flame-proven input: \(why)"
        case .button(let button, let why): "button \(button.rawValue): \(why)"
        case .buzzer(let why): "buzzer: \(why)"
        }
    }
}

/// The real station: the MCP9600 on its I2C bus (bounded retries that never outlast the safety
/// monitor's bound) and the burner relay on its GPIO line, requested as an output that starts off;
/// a shut-off valve, a flame-proven input, buttons and a buzzer where the station file names them.
public struct HardwareDaemonDevices: DaemonDevices {
    private var sensor: MCP9600<RetryingI2CDevice<LinuxI2CDevice<LibI2CCalls>>>
    private var relay: GPIORelay<GPIOOutputLine>
    private var valve: GPIOShutoffValve<GPIOOutputLine>?
    private var flame: GPIOFlameSensor<GPIOInputLine>?
    private var buttons: ButtonPanel<GPIOEdgeInputLine>
    private var buzzer: LineBuzzer<GPIOOutputLine>?
    public let summary: String

    /// Opens the relay first, so the burner is held off before anything else can go wrong.
    public static func open(station: Station, source: String) throws(DeviceOpenError) -> HardwareDaemonDevices {
        guard let devices = station.devices else { throw .noDevicesSection(source: source) }
        let access = LinuxHardwareAccess(station: station)
        let relay: GPIORelay<GPIOOutputLine>
        do {
            relay = try GPIORelay(line: try access.requestOutput(devices.relay))
        } catch let error as GPIOError {
            throw .relay("\(error)")
        } catch {
            throw .relay("\(error)")
        }
        var valve: GPIOShutoffValve<GPIOOutputLine>?
        if let settings = devices.shutoffValve {
            do {
                valve = try GPIOShutoffValve(line: try access.requestOutput(settings))
            } catch {
                throw .valve("\(error)")
            }
        }
        var flame: GPIOFlameSensor<GPIOInputLine>?
        if let settings = devices.flameSense {
            do {
                flame = GPIOFlameSensor(line: try access.requestInput(settings.line))
            } catch {
                throw .flameSense("\(error)")
            }
        }
        var buttonLines: [(button: StationButton, line: GPIOEdgeInputLine, settings: ButtonSettings)] = []
        for button in StationButton.allCases {
            guard let settings = devices.buttons[button] else { continue }
            do {
                buttonLines.append((button, try access.requestEdgeInput(settings), settings))
            } catch {
                throw .button(button, "\(error)")
            }
        }
        var buzzer: LineBuzzer<GPIOOutputLine>?
        if let settings = devices.buzzer {
            do {
                buzzer = LineBuzzer(line: try access.requestOutput(settings))
            } catch {
                throw .buzzer("\(error)")
            }
        }
        let sensor: MCP9600<RetryingI2CDevice<LinuxI2CDevice<LibI2CCalls>>>
        do {
            let bus = try access.openThermocoupleBus(devices.thermocouple)
            sensor = try MCP9600.open(device: bus, configuration: MCP9600Configuration(settings: devices.thermocouple))
        } catch let error as I2COpenError {
            throw .thermocouple("\(error)")
        } catch {
            throw .thermocouple("\(error)")
        }
        let valveText = devices.shutoffValve.map { ", shut-off valve on \($0.description)" } ?? ", no shut-off valve"
        let flameText = devices.flameSense.map { ", flame-proven input on \($0.description)" } ?? ""
        let buttonText = buttonLines.map { ", button \($0.button.rawValue) on \($0.line.name)" }.joined()
        let buzzerText = buzzer.map { ", buzzer on \($0.line.name)" } ?? ""
        return HardwareDaemonDevices(
            sensor: sensor, relay: relay, valve: valve, flame: flame, buttons: ButtonPanel(buttonLines), buzzer: buzzer,
            summary:
                "\(sensor.model) on \(devices.thermocouple.bus) at 0x\(String(devices.thermocouple.address, radix: 16)), relay on \(devices.relay.description)\(valveText)\(flameText)\(buttonText)\(buzzerText)"
        )
    }

    public mutating func pollButtons(nowSeconds: Double) -> ButtonPoll { buttons.poll() }

    public var hasBuzzer: Bool { buzzer != nil }

    public mutating func setBuzzer(_ on: Bool, nowSeconds: Double) throws(GPIOError) {
        try buzzer?.set(on)
    }

    public mutating func releaseStove() {
        buzzer?.close()
        buttons.close()
    }

    public mutating func tick(_ loop: inout StationLoop, nowSeconds: Double) -> TickReport? {
        if var flame {
            defer { self.flame = flame }
            return loop.tick(nowSeconds: nowSeconds, sensor: &sensor, relay: &relay, valve: &valve, flame: &flame)
        }
        guard var valve else { return loop.tick(nowSeconds: nowSeconds, sensor: &sensor, relay: &relay) }
        defer { self.valve = valve }
        return loop.tick(nowSeconds: nowSeconds, sensor: &sensor, relay: &relay, valve: &valve)
    }

    /// The relay off and the valve closed: both, whatever the first one does.
    public mutating func switchBurnerOff() throws(RelayFailure) {
        var valveFailure: ValveFailure?
        do { try valve?.set(open: false) } catch { valveFailure = error }
        try relay.set(.off)
        if let valveFailure { throw RelayFailure(reason: "relay off, but \(valveFailure.reason)") }
    }

    public var burnerIsOn: Bool { relay.command.isOn }
    public var trueTemperatureC: Double? { nil }
}
