import Testing
import WokCore

@testable import WokSimulator

@Suite struct SimulationOptionsTests {
    static func parse(
        seed: String? = nil, speed: String? = nil, faults: [String] = [], plant: String? = nil,
        for runner: SimulationOptions.Runner = .offline
    ) throws(SimulationOptionError) -> SimulationOptions {
        try SimulationOptions.parse(seed: seed, speed: speed, faults: faults, plant: plant, for: runner)
    }

    @Test func nothingGivenIsTheDefaults() throws {
        #expect(try Self.parse() == SimulationOptions(seed: 1, speed: .asFastAsPossible))
        #expect(try Self.parse(for: .daemon) == SimulationOptions(seed: 1, speed: .timesRealTime(1)))
    }

    @Test func everyOptionIsTaken() throws {
        let options = try Self.parse(
            seed: "18446744073709551615", speed: "60", faults: ["sensor-open@240+30", "cook-away@100"], plant: "heavy-wok",
            for: .daemon)
        #expect(options.seed == UInt64.max)
        #expect(options.speed == .timesRealTime(60))
        #expect(
            options.faults == [
                FaultInjection(kind: .sensorOpen, atSeconds: 240, durationSeconds: 30), FaultInjection(kind: .cookAway, atSeconds: 100),
            ])
        #expect(options.plantPath == "Simulator/Plants/heavy-wok.json")
        #expect(try Self.parse(plant: "/etc/wok/plant.json").plantPath == "/etc/wok/plant.json")
        #expect(try Self.parse(plant: "mine.json").plantPath == "mine.json")
        #expect(try Self.parse(speed: "0.1").speed == .timesRealTime(0.1))
        #expect(try Self.parse(speed: "1000", for: .daemon).speed == .timesRealTime(1000))
    }

    @Test(arguments: ["", "x", "-3", "+3", "1.5", "18446744073709551616", " 7"])
    func aBadSeedIsRefusedNamingIt(text: String) {
        #expect(throws: SimulationOptionError.badSeed(text)) { try Self.parse(seed: text) }
        #expect(SimulationOptionError.badSeed(text).description.hasSuffix("(got --seed \(text))"))
    }

    @Test(arguments: ["0.09", "1000.5", "0", "100000", "fast", "inf", "nan", "1e2", "0x10", "-5", ""], [SimulationOptions.Runner.offline, .daemon])
    func aSpeedOutsideTheLimitsIsRefusedByBoth(text: String, runner: SimulationOptions.Runner) {
        #expect(throws: SimulationOptionError.badSpeed(text, runner)) { try Self.parse(speed: text, for: runner) }
        let message = SimulationOptionError.badSpeed(text, runner).description
        #expect(message.hasPrefix("--speed must be a number from 0.1 to 1000"))
        #expect(message.contains("--speed \(text)"))
        #expect(message.contains("max") == (runner == .offline), "only wokctl is offered max")
    }

    @Test func maxIsForOfflineRunsAndTheDaemonRefusesIt() throws {
        #expect(try Self.parse(speed: "max").speed == .asFastAsPossible)
        #expect(throws: SimulationOptionError.maxSpeedInDaemon) { try Self.parse(speed: "max", for: .daemon) }
        #expect(SimulationOptionError.maxSpeedInDaemon.description.hasPrefix("--speed max: a daemon runs its station at a steady pace"))
    }

    @Test(arguments: ["meltdown@3", "sensor-open", "sensor-open@-1", "sensor-open@5+0", "spike@90000"])
    func aBadFaultIsRefusedWithTheFaultParsersMessage(text: String) throws {
        guard case .failure(let expected) = FaultInjection.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(throws: SimulationOptionError.badFault(expected)) { try Self.parse(faults: ["flame-out@10", text]) }
        #expect(SimulationOptionError.badFault(expected).description.hasPrefix("--fault \(text): "))
    }

    @Test func faultsAndPlantNamesAreBounded() {
        let many = Array(repeating: "spike@10", count: SimulationOptions.maxFaults + 1)
        #expect(throws: SimulationOptionError.tooManyFaults(65)) { try Self.parse(faults: many) }
        #expect((try? Self.parse(faults: Array(many.dropLast()))) != nil)
        #expect(throws: SimulationOptionError.badPlant("")) { try Self.parse(plant: "") }
    }
}
