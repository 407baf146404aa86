// `wokctl hw probe`: opens each configured device, says what it found and what is wrong, and
// never turns anything on.
public import WokCore

/// Looks at the station's devices without ever energising a line.
///
/// Lines are only requested when nobody holds them, and then as outputs that start off: the
/// probe may turn a relay off, never on. The converter is configured as the daemon would
/// configure it (type, filter, resolution), which changes no output.
public struct HardwareProbe<Access: HardwareAccess> {
    /// How devices are reached.
    public var access: Access

    /// A probe over `access`.
    public init(access: Access) { self.access = access }

    /// Probes every device in `devices`.
    public func run(_ devices: StationDevices) -> HardwareReport {
        // One scan serves every line named by chip label or line name, and the report's chip list.
        let scan = access.scanChips()
        var report = HardwareReport(
            thermocouple: probeThermocouple(devices.thermocouple),
            relay: probeLine(devices.relay, scan: scan),
            shutoffValve: devices.shutoffValve.map { probeLine($0, scan: scan) },
            flameSense: devices.flameSense.map { probeInput($0.line, scan: scan) },
            gpioAPIVersion: access.gpioAPIVersion, gpioLibraryVersion: access.gpioLibraryVersion)
        report.chips = scan
        for button in StationButton.allCases {
            guard let settings = devices.buttons[button] else { continue }
            report.buttons.append((button, probeInput(settings.line, scan: scan, as: .button)))
        }
        report.buzzer = devices.buzzer.map { probeLine($0, scan: scan) }
        return report
    }

    /// The line at a chip path and offset, recorded in `report`; nil (with the problem) when a
    /// label or name finds no line, or more than one.
    private func resolve(_ settings: OutputLineSettings, scan: GPIOChipScan, into report: inout LineReport) -> OutputLineSettings? {
        guard settings.needsLookup else { return settings }
        switch GPIOLineLookup.resolve(settings, in: scan) {
        case .success(let resolved):
            report.resolvedTo = "\(resolved.chipPath) line \(resolved.line)"
            return resolved
        case .failure(let error):
            report.problems.append(error.description)
            return nil
        }
    }

    /// Opens, identifies and configures the converter, then reads STATUS and both junctions.
    public func probeThermocouple(_ settings: ThermocoupleSettings) -> ThermocoupleReport {
        var report = ThermocoupleReport(
            location: I2CLocation(bus: settings.bus, address: settings.address).description)
        let bus: Access.Bus
        do throws(I2COpenError) {
            bus = try access.openThermocoupleBus(settings)
        } catch {
            report.problems.append(error.description)
            return report
        }
        var driver: MCP9600<Access.Bus>
        do throws(MCP9600Error) {
            driver = try MCP9600.open(device: bus, configuration: MCP9600Configuration(settings: settings))
        } catch {
            if case .wrongDevice(let found, _) = error {
                report.identity = "unknown device \(hexByte(found))"
            }
            report.problems.append(error.description)
            return report
        }
        report.identity = driver.identity.description
        do throws(MCP9600Error) {
            report.sensorConfiguration = try driver.readSensorConfiguration().description
            report.deviceConfiguration = try driver.readDeviceConfiguration()?.description ?? "undefined mode"
            report.status = try driver.readStatus().description
            report.hotC = try driver.readHotJunctionC()
            report.coldC = try driver.readColdJunctionC()
        } catch {
            report.problems.append(error.description)
        }
        switch driver.read() {
        case .success(let sample):
            report.reading = "\(sample.hotC) °C"
        case .failure(let fault):
            report.reading = "fault: \(fault)"
            report.problems.append("the control loop would read a fault: \(fault)")
        }
        if let retrying = driver.device as? any RecoveryCounting {
            report.recoveredTransferFailures = retrying.recoveredTransferFailures
        }
        return report
    }

    /// Reads the chip and the line; requests the line off and reads it back if nobody holds it.
    public func probeLine(_ settings: OutputLineSettings, scan: GPIOChipScan? = nil) -> LineReport {
        var report = LineReport(line: settings.description)
        guard let settings = resolve(settings, scan: scan ?? access.scanChips(), into: &report) else { return report }
        do throws(GPIOError) {
            guard try lookAtLine(settings, into: &report) else { return report }
            var line = try access.requestOutput(settings)
            defer { line.release() }
            let active = try line.readActive()
            report.isActive = active
            if active { report.problems.append("reads ON after being requested off") }
        } catch {
            report.problems.append(error.description)
        }
        return report
    }

    /// What an input line is for, which decides what its level means.
    public enum InputRole: Sendable {
        /// The flame-proven input: active with the burner off is a problem.
        case flameSense
        /// A button: active means held down now, worth a note.
        case button
    }

    /// An input (the flame-proven signal, a button): reads the chip and the line, then, if nobody
    /// holds it, requests it as an input and reads it. The probe never turns the burner on, so a
    /// proven flame now is a problem: a welded relay, a stuck valve, or the wrong `activeLow`. A
    /// button that reads pressed is held down, or wired the other way from its `activeLow`.
    public func probeInput(_ settings: OutputLineSettings, scan: GPIOChipScan? = nil, as role: InputRole = .flameSense) -> LineReport {
        var report = LineReport(line: settings.description)
        report.isInput = true
        report.isButton = role == .button
        guard let settings = resolve(settings, scan: scan ?? access.scanChips(), into: &report) else { return report }
        do throws(GPIOError) {
            guard try lookAtLine(settings, into: &report) else { return report }
            var line = try access.requestInput(settings)
            defer { line.release() }
            let active = try line.readActive()
            report.isActive = active
            switch role {
            case .flameSense where active:
                report.problems.append(
                    "reads a flame proven with the burner off: a welded relay or stuck valve, or activeLow is the wrong way round")
            case .button where active:
                report.notes.append("reads pressed: is it held down, or is activeLow the wrong way round?")
            default:
                break
            }
        } catch {
            report.problems.append(error.description)
        }
        return report
    }

    /// Reads the chip and what the kernel says about the line into `report`; true when the line is
    /// there and free for the probe to request.
    private func lookAtLine(_ settings: OutputLineSettings, into report: inout LineReport) throws(GPIOError) -> Bool {
        let chip = try access.chipInfo(settings)
        report.chipLabel = chip.label
        report.chipLineCount = chip.lineCount
        guard settings.line < chip.lineCount else {
            report.problems.append("the chip has lines 0 to \(chip.lineCount - 1); line \(settings.line) does not exist")
            return false
        }
        let info = try access.lineInfo(settings)
        report.heldBy = info.isUsed ? (info.consumer.isEmpty ? "an unnamed consumer" : info.consumer) : ""
        report.wasOutput = info.isOutput
        guard info.isUsed else { return true }
        if info.consumer == GPIOOutputLine.consumer {
            report.notes.append("held by wokd (is the daemon running?); its state was not checked")
        } else {
            report.problems.append("held by \(report.heldBy ?? "another consumer"); the daemon could not request it")
        }
        return false
    }
}

/// A bus device that counts failures its retries got past.
public protocol RecoveryCounting {
    /// Transfers that failed and then succeeded on a retry.
    var recoveredTransferFailures: Int { get }
}

extension RetryingI2CDevice: RecoveryCounting {
    public var recoveredTransferFailures: Int { recoveredFailures }
}
