// One plant step: the relay's level in, the thermal model forward, the registers out.
import Testing
import WokHardware
import WokRigPlant
import WokSimulator

@Suite struct PlantStepperTests {
    static let updated = MCP9600Registers.Status.temperatureUpdatedMask

    static func hotC(_ stub: FakeI2CStub) -> Double {
        MCP9600Registers.decodeTemperature(raw: stub.words[Int(MCP9600Registers.hotJunction)].byteSwapped)
    }

    static func status(_ stub: FakeI2CStub) -> UInt8 { UInt8(stub.words[Int(MCP9600Registers.status)] & 0xff) }

    @Test(arguments: [
        (false, 1, true), (false, 0, false), (true, 1, false), (true, 0, true),
    ])
    func theRelayFollowsTheLineThroughItsPolarity(activeLow: Bool, level: Int, on: Bool) {
        var chip = StubChip(writer: FakeI2CStub())
        var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: activeLow, seed: 1)
        stepper.step(atSeconds: 0.05, lineLevel: level, flags: PlantFlags(), chip: &chip)
        #expect(stepper.relayOn == on)
        #expect(stepper.plant.relayClosed == on)
        #expect(stepper.summary.relaySwitches == (on ? 1 : 0))
    }

    @Test func anUnreadableLineCountsAndTurnsTheBurnerOff() {
        var chip = StubChip(writer: FakeI2CStub())
        var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: 1)
        stepper.step(atSeconds: 0.05, lineLevel: 1, flags: PlantFlags(), chip: &chip)
        #expect(stepper.relayOn)
        stepper.step(atSeconds: 0.10, lineLevel: nil, flags: PlantFlags(), chip: &chip)
        #expect(!stepper.relayOn)
        #expect(!stepper.plant.relayClosed)
        #expect(stepper.summary.unreadableLine == 1)
        #expect(stepper.summary.relaySwitches == 2)
        #expect(stepper.summary.steps == 2)
    }

    @Test func aBurnerHeldOnHeatsTheReadingAndOneHeldOffDoesNot() {
        let parameters = PlantParameters()
        func reading(afterSeconds seconds: Double, level: Int) -> Double {
            let stub = FakeI2CStub()
            var chip = StubChip(writer: stub)
            var stepper = PlantStepper(plant: WokPlant(parameters: parameters), activeLow: false, seed: 7)
            var now = 0.0
            while now < seconds {
                now += 0.05
                stepper.step(atSeconds: now, lineLevel: level, flags: PlantFlags(), chip: &chip)
            }
            #expect(stepper.summary.maxWokC >= stepper.plant.wokC)
            return Self.hotC(stub)
        }
        let heated = reading(afterSeconds: 60, level: 1)
        let idle = reading(afterSeconds: 60, level: 0)
        #expect(heated > parameters.ambientC + 50)
        #expect(abs(idle - parameters.ambientC) < 2)
    }

    @Test(arguments: [
        (false, false, updated),
        (true, false, updated | MCP9600Registers.Status.inputRangeOrOpenCircuitMask),
        (false, true, updated | MCP9600Registers.Status.shortCircuitMask),
        (true, true, updated | MCP9600Registers.Status.inputRangeOrOpenCircuitMask | MCP9600Registers.Status.shortCircuitMask),
    ])
    func theFlagsSetTheirStatusBits(open: Bool, short: Bool, expected: UInt8) {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: 1)
        var flags = PlantFlags()
        flags.openCircuit = open
        flags.shortCircuit = short
        stepper.step(atSeconds: 0.05, lineLevel: 0, flags: flags, chip: &chip)
        #expect(Self.status(stub) == expected)
        #expect(PlantStepper.status(flags) == expected)
    }

    @Test func aFrozenConverterKeepsItsTemperaturesAndDropsTheUpdatedBit() {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: 3)
        var now = 0.0
        for _ in 0..<200 {
            now += 0.05
            stepper.step(atSeconds: now, lineLevel: 1, flags: PlantFlags(), chip: &chip)
        }
        let before = stub.words
        var frozen = PlantFlags()
        frozen.frozen = true
        for _ in 0..<200 {
            now += 0.05
            stepper.step(atSeconds: now, lineLevel: 1, flags: frozen, chip: &chip)
        }
        #expect(stub.words[Int(MCP9600Registers.hotJunction)] == before[Int(MCP9600Registers.hotJunction)])
        #expect(stub.words[Int(MCP9600Registers.coldJunction)] == before[Int(MCP9600Registers.coldJunction)])
        #expect(Self.status(stub) == 0)
        // The model itself went on heating behind the frozen registers.
        #expect(stepper.plant.sensedC > Self.hotC(stub) + 1)
    }

    @Test func theNoiseIsTheSeedsAlone() {
        func registers(seed: UInt64) -> [UInt16] {
            let stub = FakeI2CStub()
            var chip = StubChip(writer: stub)
            var stepper = PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: seed)
            var trace: [UInt16] = []
            for index in 1...50 {
                stepper.step(atSeconds: Double(index) * 0.05, lineLevel: 1, flags: PlantFlags(), chip: &chip)
                trace.append(stub.words[Int(MCP9600Registers.hotJunction)])
            }
            return trace
        }
        #expect(registers(seed: 11) == registers(seed: 11))
        #expect(registers(seed: 11) != registers(seed: 12))
    }
}
