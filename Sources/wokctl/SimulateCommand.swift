import WokCore
import WokSimulator
import WokSystem
import WokWatch

/// `wokctl simulate`: a whole cook against the simulated station.
enum SimulateCommand {
    static let help = """
        Usage: wokctl simulate [RECIPE] [options]

        Cooks RECIPE (default: caramelised-pork-mince) against the simulated wok station: the real
        control code, the real MCP9600 driver on a register-level simulated chip, a thermal model
        of wok, burner, food and thermocouple, and a virtual cook who adds the food and confirms.

        Options:
          --station FILE       station file (default: config/station.json, /etc/wok/station.json, built-in)
          --plant FILE|NAME    plant file, or the name of one in Simulator/Plants (default: built-in)
          --controller KIND    default | onoff | pid-plain (default: the station's)
          --seed N             seed of the noise and the virtual cook (default: 1)
          --speed X|max        X times real time, 0.1 to 1000, or as fast as possible (default: max)
          --trace FILE.csv     one row per control tick
          --plot FILE.svg|.png a picture of the cook: measured and true wok temperature, target, stages,
                               burner (PNG needs rsvg-convert)
          --json               print exactly one JSON object with the outcome and per-stage figures
          --fault KIND@SECONDS[+SECONDS]
                               inject a fault at a time, optionally clearing after a duration;
                               repeatable. Kinds: sensor-open, sensor-short, i2c-errors, device-gone,
                               frozen, spike, flame-out, sensor-detached, relay-welded, loop-stall,
                               clock-jump, cook-away
          --recipe-dir DIR     where recipe names are looked up (default: ./recipes)

        Exit status: 0 the cook completed; 4 it was aborted or faulted; 2 bad usage; 3 bad input file.
        """

    static func run(_ raw: [String]) throws(CommandFailure) {
        let args = try Arguments.parse(
            raw, valued: ["station", "plant", "controller", "seed", "speed", "trace", "fault", "recipe-dir", "plot"],
            flags: ["json", "help"])
        if args.has("help") {
            Terminal.line(help)
            return
        }
        guard args.positional.count <= 1 else {
            throw CommandFailure(message: "simulate: one recipe at most (got \(args.positional.count))", code: .usage)
        }
        let recipe = try Files.loadRecipe(
            args.positional.first ?? "caramelised-pork-mince", directory: Files.recipeDirectory(args.value("recipe-dir")))
        let (station, _) = try Files.loadStation(args.value("station"))
        let options: SimulationOptions
        do {
            options = try SimulationOptions.parse(
                seed: args.value("seed"), speed: args.value("speed"), faults: args.all("fault"), plant: args.value("plant"),
                for: .offline)
        } catch {
            throw CommandFailure(message: error.description, code: .usage)
        }
        let plant = try Files.loadPlant(options.plantPath)
        var controller = station.control.controller
        if let name = args.value("controller") {
            guard let kind = ControllerKind(rawValue: name) else {
                throw CommandFailure(message: "--controller \(name): expected default, onoff or pid-plain", code: .usage)
            }
            controller = kind
        }
        let seed = options.seed
        let speed = options.speed.timesRealTime  // nil: as fast as possible
        let json = args.has("json")
        // A named plant comes with its own measured figures: the station as commissioned for it.
        let config = SimulationConfig(
            recipe: recipe, station: options.plantPath == nil ? station : plant.commissioned(station), plant: plant, controller: controller,
            seed: seed, faults: options.faults)
        var simulation: CookSimulation
        do {
            simulation = try CookSimulation(config)
        } catch {
            throw CommandFailure(message: error.description, code: .invalidInput)
        }

        var trace = args.value("trace") != nil ? TraceWriter() : nil
        var plotRows: [TraceRow] = []
        let plotPath = args.value("plot")
        var progress = json ? nil : ProgressView(recipe: recipe, interactive: Terminal.isInteractive)
        if !json {
            Terminal.line(
                "Simulating \"\(recipe.name.escapingControls)\" with the \(controller.rawValue) controller on \(plant.name); seed \(seed), speed \(speed.map { "\(formatNumber($0))x" } ?? "max")"
            )
        }
        let wallStart = WallClock.nowSeconds()
        while let row = simulation.step() {
            trace?.append(row)
            // Bounded by the simulation's own limit on cook time.
            if plotPath != nil { plotRows.append(row) }
            progress?.show(row)
            if let speed {
                WallClock.sleep(seconds: wallStart + row.timeSeconds / speed - WallClock.nowSeconds())
            }
        }
        let result = simulation.result
        progress?.finish()
        if let path = args.value("trace"), let trace { try Files.write(trace.text, to: path) }
        if let plotPath { try PlotOutput.write(CookPlotting.simulation(plotRows, recipe: recipe, result: result), to: plotPath) }
        if json {
            Terminal.line(SimulationReport.json(result).serialized(pretty: true))
        } else {
            SimulationReport.printTable(result)
        }
        if !result.completed {
            throw CommandFailure(message: "cook aborted: \(result.abortReason ?? "unknown reason")", code: .cookAborted)
        }
    }
}

/// The CSV trace: one row per control tick, in the layout `export --csv` writes.
struct TraceWriter {
    private(set) var text = CookCSV.header

    mutating func append(_ row: TraceRow) {
        text += CookCSV.line(
            CookCSV.Row(
                timeSeconds: row.timeSeconds, stageName: row.stageName, targetC: row.targetC, measuredC: row.measuredC,
                burnerOn: row.burner.isOn, duty: row.duty, trueC: row.trueC,
                shownReading: row.measuredC.map { ShownReading(celsius: $0, trusted: true) }, eventNames: row.events.map(\.name)))
    }
}

/// Live progress: a status line redrawn in place on a terminal, events as lines of their own;
/// only the event lines when the output is not a terminal.
struct ProgressView {
    let recipe: Recipe
    let interactive: Bool
    private var lastDrawWall = 0.0

    init(recipe: Recipe, interactive: Bool) {
        self.recipe = recipe
        self.interactive = interactive
    }

    mutating func show(_ row: TraceRow) {
        let stamp = "[\(column(clockText(row.timeSeconds), 5, right: true))]"
        for event in row.events {
            // Names and prompts come from the recipe file: escaped before styling.
            var text = "\(stamp) \(String(describing: event).escapingControls)"
            switch event {
            case .prompt, .awaitingConfirmation: text = Terminal.alert(">>> " + text)
            case .faultLatched, .confirmationOverdue, .cookAborted, .alarm, .valveClosed:
                text = Terminal.danger("!!! " + text)
            default: break
            }
            if interactive { Terminal.out("\r\u{1B}[2K") }
            Terminal.line(text)
        }
        guard interactive else { return }
        let wall = WallClock.nowSeconds()
        guard wall - lastDrawWall > 0.05 else { return }
        lastDrawWall = wall
        let stage = row.stageIndex.map { "\($0 + 1)/\(recipe.stages.count) \(recipe.stages[$0].name.escapingControls)" } ?? "-"
        let target = row.targetC.map { "\(formatCelsius($0)) °C" } ?? "off"
        let measured = row.measuredC.map { "\(fixed($0, 1)) °C" } ?? "no reading"
        let burner = row.burner.isOn ? "ON " : "off"
        // Cut to the terminal's width: a line that wraps cannot be redrawn in place, and each
        // redraw would scroll a new line instead (the last column is left, as watch leaves it).
        let line =
            "\(stamp) \(column(stage, 28)) target \(column(target, 7)) wok \(column(measured, 9)) burner \(burner) duty \(column(String(Int((row.duty * 100).rounded())), 3, right: true))%"
        Terminal.redraw(ScreenText.fit(line, width: max(10, terminalColumns() - 1)))
    }

    func finish() {
        if interactive { Terminal.out("\r\u{1B}[2K") }
        Terminal.flush()
    }
}

/// The outcome of a simulated cook, as the issue's JSON shape and as a table for people.
enum SimulationReport {
    static func json(_ result: SimulationResult) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }
        let stages: [JSONValue] = result.stages.map { stage in
            [
                "name": .string(stage.name), "targetC": number(stage.targetC), "seconds": number(stage.seconds),
                "secondsToBand": number(stage.secondsToBand), "fullPowerSecondsToBand": number(stage.fullPowerSecondsToBand),
                "overshootC": number(stage.overshootC), "holdMeanAbsErrorC": number(stage.holdMeanAbsErrorC),
                "holdMaxAbsErrorC": number(stage.holdMaxAbsErrorC), "relaySwitches": .number(Double(stage.relaySwitches)),
                "climbC": number(stage.climbC), "recovery": .bool(stage.isRecovery),
            ]
        }
        let faults: [JSONValue] = result.faults.map { fault in
            [
                "kind": .string(fault.kind.rawValue), "injectedAtSeconds": number(fault.injectedAtSeconds),
                "detectedAtSeconds": number(fault.detectedAtSeconds), "burnerOffAtSeconds": number(fault.burnerOffAtSeconds),
                "latchedKind": fault.latchedKind.map { .string($0.rawValue) } ?? .null,
            ]
        }
        return [
            "recipe": .string(result.recipe), "controller": .string(result.controller.rawValue), "plant": .string(result.plant),
            "seed": .number(Double(result.seed)), "completed": .bool(result.completed),
            "abortReason": result.abortReason.map { .string($0) } ?? .null,
            "simulatedSeconds": number(result.simulatedSeconds), "maxTrueC": number(result.maxTrueC),
            "maxMeasuredC": number(result.maxMeasuredC), "stages": .array(stages), "faults": .array(faults),
        ]
    }

    static func printTable(_ result: SimulationResult) {
        Terminal.line()
        Terminal.line(
            Terminal.bold(result.completed ? "Cook completed" : "Cook aborted: \((result.abortReason ?? "?").escapingControls)")
                + " in \(clockText(result.simulatedSeconds)) (simulated); hottest the wok got: \(fixed(result.maxTrueC, 1)) °C")
        Terminal.line()
        let header = [
            column("stage", 22), column("target", 7, right: true), column("time", 6, right: true),
            column("to band", 8, right: true), column("limit", 7, right: true), column("overshoot", 10, right: true),
            column("hold err", 9, right: true), column("max err", 8, right: true), column("clicks", 7, right: true),
        ]
        Terminal.line(header.joined(separator: " "))
        for stage in result.stages {
            let cells = [
                column(stage.name.escapingControls, 22), column(stage.targetC.map { "\(formatCelsius($0))°" } ?? "off", 7, right: true),
                column(clockText(stage.seconds), 6, right: true),
                column(stage.secondsToBand.map { "\(fixed($0, 1))s" } ?? "-", 8, right: true),
                column(stage.fullPowerSecondsToBand.map { "\(fixed($0, 1))s" } ?? "-", 7, right: true),
                column(stage.overshootC.map { "\(fixed($0, 1))°" } ?? "-", 10, right: true),
                column(stage.holdMeanAbsErrorC.map { "\(fixed($0, 2))°" } ?? "-", 9, right: true),
                column(stage.holdMaxAbsErrorC.map { "\(fixed($0, 1))°" } ?? "-", 8, right: true),
                column(String(stage.relaySwitches), 7, right: true),
            ]
            Terminal.line(cells.joined(separator: " "))
        }
        for fault in result.faults {
            Terminal.line(
                "fault \(fault.kind.rawValue) injected at \(fixed(fault.injectedAtSeconds, 2)) s, detected at \(fault.detectedAtSeconds.map { "\(fixed($0, 2)) s" } ?? "never"), burner off at \(fault.burnerOffAtSeconds.map { "\(fixed($0, 2)) s" } ?? "never")"
            )
        }
        Terminal.line("\"to band\" runs from the stage's start or the food landing; \"limit\" is the same with the burner fully on.")
    }
}
