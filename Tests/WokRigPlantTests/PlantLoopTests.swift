// The plant's real-time loop, run on a virtual clock.
import Testing
import WokRigPlant
import WokSimulator

@Suite struct PlantLoopTests {
    static let settings = PlantLoopSettings(linePath: "/line", stepSeconds: 0.05, maxSeconds: 30.01, controlDirectory: "/run/rig")

    static func stepper() -> PlantStepper {
        PlantStepper(plant: WokPlant(parameters: PlantParameters()), activeLow: false, seed: 1)
    }

    @Test func itStepsEachPeriodUntilTheStopFlag() {
        let time = VirtualTime()
        var clock = VirtualClock(time: time)
        var stepper = Self.stepper()
        var chip = StubChip(writer: FakeI2CStub())
        var directories: Set<String> = []
        let summary = runPlant(
            Self.settings, stepper: &stepper, chip: &chip, clock: &clock, readLevel: { _ in 1 },
            readFlags: { directory in
                directories.insert(directory)
                var flags = PlantFlags()
                flags.stop = time.nowSeconds >= 1.0 - 1e-9
                return flags
            })
        #expect(summary.steps == 20)
        #expect(summary.lateSteps == 0)
        #expect(abs(summary.seconds - 1.0) < 1e-9)
        #expect(summary.relaySwitches == 1)
        #expect(directories == ["/run/rig"])
        #expect(stepper.plant.relayClosed)
    }

    @Test func itEndsByItselfAfterMaxSeconds() {
        var clock = VirtualClock(time: VirtualTime())
        var stepper = Self.stepper()
        var chip = StubChip(writer: FakeI2CStub())
        let summary = runPlant(
            Self.settings, stepper: &stepper, chip: &chip, clock: &clock, readLevel: { _ in 0 },
            readFlags: { _ in PlantFlags() })
        // Steps at 0, 0.05, ... 30.0 s: the bound is checked before each step.
        #expect(summary.steps == 601)
        #expect(abs(summary.seconds - 30.05) < 1e-6)
    }

    @Test func aStallIsCountedAndThePaceRestartsFromNow() {
        let time = VirtualTime()
        var clock = VirtualClock(time: time)
        var stepper = Self.stepper()
        var chip = StubChip(writer: FakeI2CStub())
        var reads = 0
        let summary = runPlant(
            Self.settings, stepper: &stepper, chip: &chip, clock: &clock,
            readLevel: { _ in
                reads += 1
                // The fifth step's line read stalls the VM for 3 s.
                if reads == 5 { time.nowSeconds += 3 }
                return 0
            },
            readFlags: { _ in
                var flags = PlantFlags()
                flags.stop = time.nowSeconds >= 5.0 - 1e-9
                return flags
            })
        // One late step, then a fresh pace: no burst of catch-up steps, and no further late ones.
        #expect(summary.lateSteps == 1)
        // Five steps from 0 to 0.2 s (the fifth stalls to 3.2 s), then one every 0.05 s from 3.2 to 4.95 s.
        #expect(summary.steps == 5 + 36)
        #expect(abs(stepper.plant.timeSeconds - 4.95) < 0.05)
    }
}
