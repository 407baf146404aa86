/// Reads a station file. Every key is optional: a missing one keeps `Station.standard`'s value,
/// so a builder writes down only what differs on their station.
public enum StationLoader {
    public static func parse(_ text: String, source: String) -> Result<Station, DocumentError> {
        decodeDocument(text, source: source) { decode($0, source: $1) }
    }

    public static func decode(_ document: JSONValue, source: String) -> Result<Station, DocumentError> {
        var problems: [ConfigProblem] = []
        guard var root = FieldReader.open(document, location: "", problems: &problems) else {
            return .failure(.invalid(source: source, problems))
        }
        var station = Station.standard
        // The station's name is shown on the status screen and in the history; no string in the
        // file may carry a control or bidi formatting character.
        problems += DisplayText.problems(in: document, at: "")
        if let schema = root.integer("schema", in: 0...1_000_000), schema != Station.schemaVersion {
            root.fail("schema", "version \(schema) is not supported (this build reads version \(Station.schemaVersion))")
        }
        if let name = root.string("name", maxLength: 200) { station.name = name }

        if var levels = root.object("levels") {
            for level in HeatLevel.allCases where level != .off {
                if let celsius = levels.number(level.rawValue, in: 20...400, unit: "°C") {
                    station.levels[level] = celsius
                }
            }
            if levels.raw("off") != nil { levels.fail("off", "is always the burner off and takes no temperature") }
            root.absorb(levels)
        }
        if var limits = root.object("limits") {
            if let value = limits.number("maxC", in: 50...450, unit: "°C") { station.limits.maxC = value }
            if let value = limits.number("reachTimeoutSeconds", in: 10...3600, unit: "s") {
                station.limits.reachTimeoutSeconds = value
            }
            if let value = limits.number("confirmTimeoutSeconds", in: 10...3600, unit: "s") {
                station.limits.confirmTimeoutSeconds = value
            }
            if let value: HeatLevel = limits.choice("safeHoldLevel") { station.limits.safeHoldLevel = value }
            root.absorb(limits)
        }
        if var relay = root.object("relay") {
            if let value = relay.number("windowSeconds", in: 1...120, unit: "s") { station.relay.windowSeconds = value }
            if let value = relay.number("minOnSeconds", in: 0...60, unit: "s") { station.relay.minOnSeconds = value }
            if let value = relay.number("minOffSeconds", in: 0...60, unit: "s") { station.relay.minOffSeconds = value }
            root.absorb(relay)
        }
        if var control = root.object("control") {
            if let value = control.number("periodSeconds", in: 0.05...2, unit: "s") { station.control.periodSeconds = value }
            if let value: ControllerKind = control.choice("controller") { station.control.controller = value }
            if let value = control.number("bandC", in: 0.5...20, unit: "°C") { station.control.bandC = value }
            if let value = control.number("sensorLagSeconds", in: 0...30, unit: "s") {
                station.control.sensorLagSeconds = value
            }
            if let value = control.number("sensorDeadTimeSeconds", in: 0...10, unit: "s") {
                station.control.sensorDeadTimeSeconds = value
            }
            if let value = control.number("burnerIgnitionDelaySeconds", in: 0...10, unit: "s") {
                station.control.burnerIgnitionDelaySeconds = value
            }
            if let value = control.number("hysteresisC", in: 0.1...30, unit: "°C") { station.control.hysteresisC = value }
            if let value = control.number("pidKp", in: 0...10) { station.control.pidKp = value }
            if let value = control.number("pidKi", in: 0...10) { station.control.pidKi = value }
            if let value = control.number("pidKd", in: 0...100) { station.control.pidKd = value }
            root.absorb(control)
        }
        if var safety = root.object("safety") {
            if let value = safety.number("busErrorBoundSeconds", in: 0.1...10, unit: "s") {
                station.safety.busErrorBoundSeconds = value
            }
            if let value = safety.number("frozenReadingSeconds", in: 1...60, unit: "s") {
                station.safety.frozenReadingSeconds = value
            }
            if let value = safety.number("noConversionSeconds", in: 0.5...60, unit: "s") {
                station.safety.noConversionSeconds = value
            }
            if let value = safety.number("maxRateCPerSecond", in: 10...500, unit: "°C/s") {
                station.safety.maxRateCPerSecond = value
            }
            if let value = safety.number("burnerRateCPerSecond", in: 0.2...30, unit: "°C/s") {
                station.safety.burnerRateCPerSecond = value
            }
            if let value = safety.number("burnerRateTolerance", in: 0...0.9) { station.safety.burnerRateTolerance = value }
            if let value = safety.number("heatingWhileOffRiseC", in: 1...30, unit: "°C") {
                station.safety.heatingWhileOffRiseC = value
            }
            if let value = safety.number("unattendedHoldSeconds", in: 30...3600, unit: "s") {
                station.safety.unattendedHoldSeconds = value
            }
            if let value = safety.number("cookOverrunMarginSeconds", in: 60...14_400, unit: "s") {
                station.safety.cookOverrunMarginSeconds = value
            }
            if let value = safety.number("maxTickGapSeconds", in: 0.5...10, unit: "s") {
                station.safety.maxTickGapSeconds = value
            }
            root.absorb(safety)
        }
        if var daemon = root.object("daemon") {
            decodeDaemon(&daemon, into: &station)
            root.absorb(daemon)
        }
        if var devices = root.object("devices") {
            station.devices = StationDevices.decode(&devices)
            root.absorb(devices)
        }
        problems += root.finished()
        problems += consistencyProblems(station)
        guard problems.isEmpty else { return .failure(.invalid(source: source, problems)) }
        return .success(station)
    }

    /// Rules between fields: levels rise in order and stay under the limit; the relay's
    /// minimum times fit in its window; the period is short enough to honour them.
    public static func consistencyProblems(_ station: Station) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        let ordered = HeatLevel.allCases.filter { $0 != .off }
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            if let low = station.levels[lower], let high = station.levels[higher], high <= low {
                problems.append(
                    ConfigProblem(
                        location: "field \"levels\", field \"\(higher.rawValue)\"",
                        message: "\(formatNumber(high)) °C must be hotter than \"\(lower.rawValue)\" (\(formatNumber(low)) °C)"))
            }
        }
        for level in ordered {
            if let celsius = station.levels[level], celsius >= station.limits.maxC {
                problems.append(
                    ConfigProblem(
                        location: "field \"levels\", field \"\(level.rawValue)\"",
                        message: "\(formatNumber(celsius)) °C reaches the hard limit limits.maxC (\(formatNumber(station.limits.maxC)) °C)"))
            }
        }
        let relay = station.relay
        if relay.minOnSeconds + relay.minOffSeconds > relay.windowSeconds {
            problems.append(
                ConfigProblem(
                    location: "field \"relay\"",
                    message:
                        "minOnSeconds + minOffSeconds (\(formatNumber(relay.minOnSeconds + relay.minOffSeconds)) s) do not fit in windowSeconds (\(formatNumber(relay.windowSeconds)) s)"
                ))
        }
        if station.safety.maxTickGapSeconds < 2 * station.control.periodSeconds {
            problems.append(
                ConfigProblem(
                    location: "field \"safety\", field \"maxTickGapSeconds\"",
                    message: "must be at least two control periods (\(formatNumber(2 * station.control.periodSeconds)) s), or every tick is late"))
        }
        if let bound = station.safety.noConversionSeconds, bound < station.leastNoConversionSeconds {
            problems.append(
                ConfigProblem(
                    location: "field \"safety\", field \"noConversionSeconds\"",
                    message:
                        "\(formatNumber(bound)) s is less than a healthy converter may take between two new conversions here (\(formatNumber(station.leastNoConversionSeconds)) s at \(station.devices?.thermocouple.adcResolutionBits ?? ThermocoupleSettings().adcResolutionBits) bits and a \(formatNumber(station.control.periodSeconds)) s period)"
                ))
        }
        if let flame = station.devices?.flameSense,
            flame.ignitionTrialSeconds < station.control.burnerIgnitionDelaySeconds + station.control.periodSeconds
        {
            problems.append(
                ConfigProblem(
                    location: "field \"devices\", field \"flameSense\", field \"ignitionTrialSeconds\"",
                    message:
                        "\(formatNumber(flame.ignitionTrialSeconds)) s is shorter than the burner takes to light (control.burnerIgnitionDelaySeconds, \(formatNumber(station.control.burnerIgnitionDelaySeconds)) s) plus one control period"
                ))
        }
        if station.control.periodSeconds > relay.windowSeconds / 4 {
            problems.append(
                ConfigProblem(
                    location: "field \"control\", field \"periodSeconds\"",
                    message: "must be at most a quarter of relay.windowSeconds so the duty can be resolved"))
        }
        return problems
    }
}

/// Problems that only show when a recipe meets a particular station.
public enum RecipeCheck {
    public static func problems(_ recipe: Recipe, on station: Station) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        // A recipe built in code skips the loader's checks; a session needs at least one stage.
        if recipe.stages.isEmpty || recipe.stages.count > Recipe.maxStages {
            problems.append(ConfigProblem(location: "field \"stages\"", message: "must list 1 to \(Recipe.maxStages) stages"))
        }
        // The loader refuses control characters; a recipe built in code is checked here.
        for (field, text) in [("name", recipe.name), ("description", recipe.description ?? "")] {
            if let refusal = DisplayText.refusal(text) {
                problems.append(ConfigProblem(location: "field \"\(field)\"", message: refusal))
            }
        }
        for (offset, stage) in recipe.stages.enumerated() {
            let stageLocation = "stage \(offset + 1) \"\(DisplayText.escaped(stage.name))\""
            var texts = [("field \"name\"", stage.name), ("field \"prompt\"", stage.prompt ?? "")]
            for (number, addition) in stage.add.enumerated() {
                texts.append(("add[\(number + 1)], field \"name\"", addition.name))
            }
            for (field, text) in texts {
                if let refusal = DisplayText.refusal(text) {
                    problems.append(ConfigProblem(location: "\(stageLocation), \(field)", message: refusal))
                }
            }
            let location = "\(stageLocation), field \"heat\""
            guard let target = station.targetC(for: stage.heat) else {
                if case .level(let level) = stage.heat, level != .off {
                    problems.append(ConfigProblem(location: location, message: "level \"\(level.rawValue)\" has no temperature on this station"))
                }
                continue
            }
            if target >= station.limits.maxC {
                problems.append(
                    ConfigProblem(
                        location: location,
                        message: "\(formatNumber(target)) °C reaches the station's hard limit (\(formatNumber(station.limits.maxC)) °C)"))
            }
        }
        return problems
    }
}
