// The station file's "devices" section: defaults, both address spellings, and every rule.
import Testing

@testable import WokCore

@Suite struct StationDevicesTests {
    static func devices(_ json: String) throws -> StationDevices? {
        try StationLoader.parse(#"{"devices": \#(json)}"#, source: "s.json").get().devices
    }

    static func problems(_ json: String) -> [String] {
        guard case .failure(let error) = StationLoader.parse(#"{"devices": \#(json)}"#, source: "s.json") else {
            return []
        }
        return error.problems
    }

    @Test func aStationWithoutDevicesIsSimulationOnly() throws {
        #expect(try StationLoader.parse("{}", source: "s").get().devices == nil)
        #expect(Station.standard.devices == nil)
    }

    @Test func onlyTheRelayLineIsRequiredAndTheRestHasDefaults() throws {
        let devices = try #require(try Self.devices(#"{"relay": {"line": 17}}"#))
        #expect(devices.thermocouple == ThermocoupleSettings())
        #expect(devices.thermocouple.bus == "/dev/i2c-1")
        #expect(devices.thermocouple.address == 0x67)
        #expect(devices.thermocouple.type == .k)
        #expect(devices.thermocouple.filter == 1)
        #expect(devices.thermocouple.adcResolutionBits == 16)
        #expect(devices.relay == OutputLineSettings(chip: "gpiochip0", line: 17, activeLow: false))
        #expect(devices.shutoffValve == nil)
    }

    @Test func everyKeyIsRead() throws {
        let devices = try #require(
            try Self.devices(
                #"""
                {"thermocouple": {"bus": "/dev/i2c-0", "address": 96, "type": "J", "filter": 0, "adcResolution": 12},
                 "relay": {"chip": "/dev/gpiochip4", "line": 5, "activeLow": true},
                 "shutoffValve": {"chip": "gpiochip4", "line": 6}}
                """#))
        #expect(devices.thermocouple.bus == "/dev/i2c-0")
        #expect(devices.thermocouple.address == 0x60)
        #expect(devices.thermocouple.type == .j)
        #expect(devices.thermocouple.filter == 0)
        #expect(devices.thermocouple.adcResolutionBits == 12)
        #expect(devices.relay == OutputLineSettings(chip: "/dev/gpiochip4", line: 5, activeLow: true))
        #expect(devices.relay.chipPath == "/dev/gpiochip4")
        #expect(devices.shutoffValve == OutputLineSettings(chip: "gpiochip4", line: 6, activeLow: false))
        #expect(devices.shutoffValve?.chipPath == "/dev/gpiochip4")
    }

    @Test(arguments: [("\"0x60\"", UInt8(0x60)), ("\"0X65\"", 0x65), ("103", 0x67), ("\"0x67\"", 0x67)])
    func addressesAreNumbersOrHexStrings(text: String, address: UInt8) throws {
        let devices = try Self.devices(#"{"thermocouple": {"address": \#(text)}, "relay": {"line": 1}}"#)
        #expect(devices?.thermocouple.address == address)
    }

    @Test(arguments: [
        (#"{"thermocouple": {"address": "0x68"}, "relay": {"line": 1}}"#, #"field "address""#, "0x60 to 0x67"),
        (#"{"thermocouple": {"address": 95}, "relay": {"line": 1}}"#, #"field "address""#, "0x60 to 0x67"),
        (#"{"thermocouple": {"address": "67"}, "relay": {"line": 1}}"#, #"field "address""#, "0x60 to 0x67"),
        (#"{"thermocouple": {"address": 96.5}, "relay": {"line": 1}}"#, #"field "address""#, "0x60 to 0x67"),
        (#"{"thermocouple": {"type": "X"}, "relay": {"line": 1}}"#, #"field "type""#, #""K", "J""#),
        (#"{"thermocouple": {"filter": 8}, "relay": {"line": 1}}"#, #"field "filter""#, "out of range"),
        (#"{"thermocouple": {"adcResolution": 15}, "relay": {"line": 1}}"#, #"field "adcResolution""#, "12, 14, 16, 18"),
        (#"{"thermocouple": {"adcResolution": 20}, "relay": {"line": 1}}"#, #"field "adcResolution""#, "out of range"),
        (#"{"thermocouple": {"bus": ""}, "relay": {"line": 1}}"#, #"field "bus""#, "/dev/i2c-1"),
        (#"{"thermocouple": {"speed": 1}, "relay": {"line": 1}}"#, #"field "speed""#, "unknown field"),
        (#"{}"#, #"field "relay""#, "is required"),
        (#"{"relay": {}}"#, #"field "line""#, "is required"),
        (#"{"relay": {"line": -1}}"#, #"field "line""#, "out of range"),
        (#"{"relay": {"line": 1, "chip": ""}}"#, #"field "chip""#, "gpiochip0"),
        (#"{"relay": {"line": 1, "activeLow": "yes"}}"#, #"field "activeLow""#, "true or false"),
        (#"{"relay": {"line": 3}, "shutoffValve": {"line": 3}}"#, #"field "shutoffValve""#, "relay's line"),
        (#"{"relay": {"line": 3}, "shutoffValve": {"line": 3, "chip": "/dev/gpiochip0"}}"#, #"field "shutoffValve""#, "own"),
        (#"{"relay": {"line": 3}, "valve": {"line": 4}}"#, #"field "valve""#, "unknown field"),
    ])
    func wrongValuesAreLocatedAndExplained(json: String, field: String, phrase: String) {
        let problems = Self.problems(json)
        #expect(problems.count == 1, "\(problems)")
        let problem = problems.first ?? ""
        #expect(problem.contains("field \"devices\""), "\(problem)")
        #expect(problem.contains(field), "\(problem)")
        #expect(problem.contains(phrase), "\(problem)")
    }

    @Test func aValveOnAnotherChipMayUseTheSameOffset() throws {
        let devices = try Self.devices(#"{"relay": {"line": 3}, "shutoffValve": {"line": 3, "chip": "gpiochip1"}}"#)
        #expect(devices?.shutoffValve?.chip == "gpiochip1")
    }

    @Test func everyThermocoupleLetterIsAccepted() throws {
        for letter in ThermocoupleLetter.allCases {
            let devices = try Self.devices(#"{"thermocouple": {"type": "\#(letter.rawValue)"}, "relay": {"line": 1}}"#)
            #expect(devices?.thermocouple.type == letter)
        }
        #expect(ThermocoupleLetter.allCases.map(\.rawValue) == ["K", "J", "T", "N", "S", "E", "B", "R"])
    }

    @Test func lineDescriptionsNameChipLineAndPolarity() {
        #expect(OutputLineSettings(line: 17).description == "gpiochip0 line 17")
        #expect(OutputLineSettings(chip: "gpiochip4", line: 5, activeLow: true).description == "gpiochip4 line 5 (active-low)")
    }
}
