// The plant's register writes, read back by the real driver over the real Linux transport, from a
// register bank that behaves as i2c-stub's does: what wokd in the rig would read.
import Testing
import WokCore
import WokHardware
import WokRigPlant

@Suite struct StubChipTests {
    @Test(arguments: [MCP9600Model.mcp9600, .mcp9601])
    func theDriverIdentifiesThePartThePlantPlays(model: MCP9600Model) throws {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        chip.writeIdentity(model: model, revision: 0x10)
        let driver = try stub.openDriver()
        #expect(driver.model == model)
        #expect(driver.identity.revision == 0x10)
        #expect(driver.identity.description == "\(model) revision 0x10")
    }

    @Test(arguments: [
        (23.5, 21.0), (-12.25, -3.0625), (200.0625, 25.5), (1000.0, 0.0), (139.97, 24.01),
    ])
    func aConversionReadsBackAsTheDriverDecodesIt(hotC: Double, coldC: Double) throws {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        chip.writeIdentity(model: .mcp9600, revision: 0x10)
        var driver = try stub.openDriver()
        chip.writeConversion(hotC: hotC, coldC: coldC, status: MCP9600Registers.Status.temperatureUpdatedMask)
        let sample = try driver.read().get()
        // The register holds 1/16 °C steps: the reading is the nearest step.
        #expect(abs(sample.hotC - hotC) <= 0.0625 / 2)
        #expect(sample.hotC == MCP9600Registers.decodeTemperature(raw: MCP9600Registers.encodeTemperature(celsius: hotC)))
        #expect(abs((sample.coldC ?? .nan) - coldC) <= 0.0625 / 2)
        #expect(chip.failedWrites == 0)
    }

    @Test func wordsAreStoredSwappedAndStatusAsTheLowByte() {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        // 1 °C is 16 steps: 0x0010, most significant byte first on the wire, so 0x1000 in the stub.
        chip.writeConversion(hotC: 1, coldC: -1, status: 0x50)
        #expect(stub.words[Int(MCP9600Registers.hotJunction)] == 0x1000)
        #expect(stub.words[Int(MCP9600Registers.coldJunction)] == 0xF0FF)
        #expect(stub.words[Int(MCP9600Registers.status)] & 0xff == 0x50)
        #expect(stub.wordWrites == 2)
        #expect(stub.byteWrites == 1)
    }

    @Test(arguments: [
        (MCP9600Model.mcp9601, MCP9600Registers.Status.inputRangeOrOpenCircuitMask, SensorFault.openCircuit),
        (.mcp9601, MCP9600Registers.Status.shortCircuitMask, .shortCircuit),
        (.mcp9600, MCP9600Registers.Status.inputRangeOrOpenCircuitMask, .inputRangeExceeded),
    ])
    func aStatusFlagReachesTheDriverAsItsFault(model: MCP9600Model, bit: UInt8, fault: SensorFault) throws {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        chip.writeIdentity(model: model, revision: 0x10)
        var driver = try stub.openDriver()
        chip.writeConversion(hotC: 180, coldC: 25, status: MCP9600Registers.Status.temperatureUpdatedMask | bit)
        #expect(driver.read() == .failure(fault))
        chip.writeStatus(MCP9600Registers.Status.temperatureUpdatedMask)
        #expect((try? driver.read().get())?.hotC == 180)
    }

    @Test func writesThatFailAreCountedWithTheirErrno() {
        let stub = FakeI2CStub()
        var chip = StubChip(writer: stub)
        stub.failErrno = 6
        chip.writeConversion(hotC: 100, coldC: 20, status: 0x40)
        #expect(chip.failedWrites == 3)
        #expect(chip.lastErrno == 6)
        stub.failErrno = 121
        chip.writeStatus(0x40)
        #expect(chip.failedWrites == 4)
        #expect(chip.lastErrno == 121)
        stub.failErrno = 0
        chip.writeStatus(0x40)
        #expect(chip.failedWrites == 4)
        #expect(stub.words[Int(MCP9600Registers.status)] & 0xff == 0x40)
    }
}
