import Foundation
import Testing

/// Runs `wokctl` from the build directory with the repository as its working directory.
struct Wokctl {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: URL {
        // The test runner sits in the same build directory as the products.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("wokctl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/wokctl")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProcess(binary, arguments, in: repositoryRoot)
    }
}

/// Runs a program to its end and returns its exit status and what it printed.
/// `environment` nil keeps the test's own.
func runProcess(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Suite struct WokctlTests {
    @Test func simulateJSONIsExactlyOneObjectWithTheDocumentedKeys() throws {
        let result = try Wokctl.run(["simulate", "--json", "--seed", "7"])
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        for key in ["recipe", "controller", "seed", "completed", "abortReason", "simulatedSeconds", "maxTrueC", "maxMeasuredC", "stages", "faults"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["completed"] as? Bool == true)
        #expect(object["seed"] as? Int == 7)
        let stages = try #require(object["stages"] as? [[String: Any]])
        #expect(stages.count == 6)
        for key in [
            "name", "targetC", "seconds", "secondsToBand", "fullPowerSecondsToBand", "overshootC", "holdMeanAbsErrorC", "holdMaxAbsErrorC",
            "relaySwitches",
        ] {
            #expect(stages[0][key] != nil, "stage missing \(key)")
        }
    }

    @Test func anInjectedFaultAbortsWithItsExitCodeAndFigures() throws {
        let result = try Wokctl.run(["simulate", "--json", "--fault", "i2c-errors@100"])
        #expect(result.status == 4)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["completed"] as? Bool == false)
        let faults = try #require(object["faults"] as? [[String: Any]])
        #expect(faults.first?["kind"] as? String == "i2c-errors")
        #expect(faults.first?["burnerOffAtSeconds"] is Double)
        #expect(result.err.contains("cook aborted"))
    }

    @Test func traceHasOneRowPerTick() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wok-trace-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Wokctl.run(["simulate", "reheat", "--trace", path])
        #expect(result.status == 0, "\(result.err)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time_s,stage,target_c,measured_c,burner,duty,true_c,reading_c,reading_trusted,events")
        #expect(lines.count > 1000)
        #expect(lines[1].hasPrefix("0.00,"))
        #expect(
            lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 10 },
            "every row has the ten columns of export --csv")
    }

    @Test func validateAcceptsTheShippedRecipesAndRejectsABadOneLineByLine() throws {
        let good = try Wokctl.run(["recipes", "validate"])
        #expect(good.status == 0, "\(good.out)\(good.err)")
        #expect(good.out.contains("caramelised-pork-mince.json: OK"))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-recipe-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: bad) }
        try #"{"schema": 1, "name": "x", "serves": 2, "stages": [{"name": "Sear", "heat": "blazing", "advance": "time"}]}"#
            .write(to: bad, atomically: true, encoding: .utf8)
        let result = try Wokctl.run(["recipes", "validate", bad.path])
        #expect(result.status == 3)
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == 2, "\(result.out)")
        #expect(lines.contains { $0.contains(#"stage 1 "Sear", field "heat""#) })
        #expect(lines.contains { $0.contains(#"stage 1 "Sear", field "seconds""#) })
    }

    @Test func usageErrorsExitTwoAndSayWhy() throws {
        let unknown = try Wokctl.run(["simulate", "--speed", "fast"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("--speed fast"))
        #expect(try Wokctl.run(["frobnicate"]).status == 2)
        #expect(try Wokctl.run(["simulate", "--fault", "gremlins@3"]).status == 2)
        let help = try Wokctl.run(["simulate", "--help"])
        #expect(help.status == 0 && help.out.contains("Usage: wokctl simulate"))
    }

    @Test func listAndShowWorkOffline() throws {
        let list = try Wokctl.run(["recipes", "list"])
        #expect(list.status == 0)
        #expect(list.out.contains("caramelised-pork-mince") && list.out.contains("reheat"))
        let show = try Wokctl.run(["recipes", "show", "caramelised-pork-mince"])
        #expect(show.status == 0)
        #expect(show.out.contains("Caramel") && show.out.contains("200 °C"))
        #expect(try Wokctl.run(["recipes", "show", "no-such-dish"]).status == 3)
    }
}

@Suite struct WokctlHardwareTests {
    /// A station file in the temporary directory; the caller removes it.
    static func stationFile(_ devices: String?) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wok-hw-\(UUID().uuidString).json").path
        let body = devices.map { #"{"devices": \#($0)}"# } ?? "{}"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func relayTestNeedsTheExplicitFlagAndABoundedTime() throws {
        let station = try Self.stationFile(
            #"{"thermocouple": {"bus": "/nonexistent/i2c-9"}, "relay": {"chip": "/nonexistent/gpiochip9", "line": 3}}"#)
        defer { try? FileManager.default.removeItem(atPath: station) }
        let unasked = try Wokctl.run(["hw", "relay-test", "--station", station])
        #expect(unasked.status == 2)
        #expect(unasked.err.contains("--i-understand-the-burner-will-light"))
        let tooLong = try Wokctl.run(["hw", "relay-test", "--i-understand-the-burner-will-light", "--seconds", "3", "--station", station])
        #expect(tooLong.status == 2)
        let noSensor = try Wokctl.run(["hw", "relay-test", "--i-understand-the-burner-will-light", "--station", station])
        #expect(noSensor.status == 1)
        #expect(noSensor.err.contains("refused"))
        #expect(noSensor.err.contains("/nonexistent/i2c-9"))
    }

    @Test func probeWithoutADevicesSectionIsInvalidInput() throws {
        let station = try Self.stationFile(nil)
        defer { try? FileManager.default.removeItem(atPath: station) }
        let result = try Wokctl.run(["hw", "probe", "--station", station])
        #expect(result.status == 3)
        #expect(result.err.contains("no \"devices\" section"))
    }

    @Test func probeReportsMissingDevicesAsJSONProblemsAndFails() throws {
        let station = try Self.stationFile(
            #"{"thermocouple": {"bus": "/nonexistent/i2c-9"}, "relay": {"chip": "/nonexistent/gpiochip9", "line": 3}}"#)
        defer { try? FileManager.default.removeItem(atPath: station) }
        let result = try Wokctl.run(["hw", "probe", "--json", "--config", station])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["healthy"] as? Bool == false)
        let problems = try #require(object["problems"] as? [String])
        #expect(problems.count == 2)
        #expect(problems[0].contains("no such bus"))
        #expect(problems[1].contains("no such GPIO chip"))
        #expect([1, 2].contains(object["gpiodAPI"] as? Int))
        // The libgpiod actually loaded: on this machine bookworm's 1.6.
        let library = try #require(object["gpiodLibrary"] as? String)
        #expect(library.hasPrefix("\(object["gpiodAPI"] as? Int ?? 0)."), "library \(library)")
    }

    @Test func hwUsageErrors() throws {
        #expect(try Wokctl.run(["hw"]).status == 2)
        #expect(try Wokctl.run(["hw", "blink"]).status == 2)
        #expect(try Wokctl.run(["hw", "probe", "--seconds", "1"]).status == 2)
        #expect(try Wokctl.run(["hw", "--help"]).status == 0)
    }
}
