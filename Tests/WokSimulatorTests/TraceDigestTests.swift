// The traces of a few cooks, held to digests (`TraceDigest`) taken before the performance work
// (issue 22): any change to what a cook does, tick by tick, changes a digest. Speed-ups must
// leave them alone.
import Testing
import WokCore
import WokHardware

@testable import WokSimulator

@Suite struct TraceDigestTests {
    static func plant(_ name: String) throws -> PlantParameters {
        guard let found = try shippedPlants().first(where: { $0.name == name }) else {
            throw SimulationError.sensorDidNotOpen("no shipped plant \(name)")
        }
        return found.parameters
    }

    /// Each case: what it covers, the cook, and its digest and tick count as taken on 2026-12-07
    /// before any optimisation.
    static func cases() throws -> [(name: String, config: SimulationConfig, digest: UInt64, rows: Int)] {
        let pork = try shippedRecipe("caramelised-pork-mince")
        let light = try plant("light-wok")
        let wet = try plant("wet-contact")
        return [
            ("default recipe, seed 1", SimulationConfig(recipe: pork, seed: 1), 0x8d44_09d5_8eec_19af, 3812),
            ("default recipe, seed 2", SimulationConfig(recipe: pork, seed: 2), 0xb95e_d64f_1c4b_fbef, 3772),
            ("default recipe, seed 3", SimulationConfig(recipe: pork, seed: 3), 0xe7f0_d6f8_3b0e_fd7d, 3696),
            (
                "flame out in the hold, then a welded relay",
                SimulationConfig(
                    recipe: pork, seed: 4,
                    faults: [
                        FaultInjection(kind: .flameOut, atSeconds: 200, durationSeconds: 20),
                        FaultInjection(kind: .relayWelded, atSeconds: 400),
                    ], tailSeconds: 60), 0x992e_70d6_55ff_c288, 1063
            ),
            (
                "a fallen probe as food lands, MCP9601, no valve",
                SimulationConfig(
                    recipe: pork, seed: 5, faults: [FaultInjection(kind: .sensorDetached, atSeconds: 95)], chipModel: .mcp9601,
                    hasValve: false, tailSeconds: 60), 0x5ee9_fa55_5436_6ff7, 627
            ),
            (
                "bus errors, a stall and a spike",
                SimulationConfig(
                    recipe: pork, seed: 6,
                    faults: [
                        FaultInjection(kind: .i2cErrors, atSeconds: 150, durationSeconds: 0.6),
                        FaultInjection(kind: .loopStall, atSeconds: 300, durationSeconds: 0.8),
                        FaultInjection(kind: .spike, atSeconds: 500),
                    ], tailSeconds: 30), 0x6874_da83_7949_cf37, 1325
            ),
            (
                "light wok, the station set for it",
                SimulationConfig(
                    recipe: try shippedRecipe("reheat"), station: FaultCampaign.station(.standard, for: light), plant: light, seed: 7),
                0x9f52_cec5_5c2b_ac6a, 1264
            ),
            (
                "wet food on the steel, the on/off controller",
                SimulationConfig(
                    recipe: try shippedRecipe("noodles-in-stock"), station: FaultCampaign.station(.standard, for: wet), plant: wet,
                    controller: .onoff, seed: 8), 0x9656_3d05_b015_2655, 1594
            ),
            (
                "flame-proven input, a flame out",
                SimulationConfig(
                    recipe: pork, station: withFlameSense(.standard), seed: 9,
                    faults: [FaultInjection(kind: .flameOut, atSeconds: 300)], tailSeconds: 30), 0xf204_c3d1_e7d5_af7f, 1322
            ),
        ]
    }

    @Test func tracesMatchTheirDigests() throws {
        for (name, config, digest, rows) in try Self.cases() {
            let found = try TraceDigest.of(config)
            #expect(
                found.value == digest && found.rows == rows,
                "\(name): digest \(found.hex) over \(found.rows) rows, held 0x\(String(digest, radix: 16)) over \(rows)")
        }
    }
}
