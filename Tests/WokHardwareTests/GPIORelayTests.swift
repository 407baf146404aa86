// The relay over an output line: off at the start, and off (or released) after every failure.
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

@Suite struct GPIORelayTests {
    @Test func takingALineDrivesItOffAndCommandsFollow() throws {
        let line = SimulatedOutputLine(initiallyActive: true)  // as if something left it on
        var relay = try GPIORelay(line: line)
        #expect(line.history == [true, false])
        try relay.set(.on)
        try relay.set(.off)
        #expect(line.history == [true, false, true, false])
        #expect(relay.command == .off)
        #expect(!line.isReleased)
    }

    @Test func aLineThatCannotBeDrivenOffAtTheStartIsReleased() {
        let line = SimulatedOutputLine()
        line.failsWhenSetTo = false
        #expect(throws: RelayFailure.self) { _ = try GPIORelay(line: line) }
        #expect(line.isReleased)
    }

    @Test func aFailedOnIsFollowedByOff() throws {
        let line = SimulatedOutputLine()
        var relay = try GPIORelay(line: line)
        line.failsWhenSetTo = true
        #expect {
            try relay.set(.on)
        } throws: { error in
            (error as? RelayFailure)?.reason.contains("drove it off again") == true
        }
        #expect(line.history.last == false)
        #expect(!line.isActive)
        #expect(relay.command == .off)
        #expect(!relay.isReleased, "the line still answers, so it stays held and off")
    }

    @Test func aFailedOnWhoseOffFailsTooReleasesTheLine() throws {
        let line = SimulatedOutputLine()
        var relay = try GPIORelay(line: line)
        line.failsAlways = true
        #expect {
            try relay.set(.on)
        } throws: { error in
            (error as? RelayFailure)?.reason.contains("released the line") == true
        }
        #expect(line.isReleased)
        #expect(relay.isReleased)
        #expect(relay.command == .off)
    }

    @Test func aFailedOffReleasesTheLineAndAReleasedRelayRefusesEverything() throws {
        let line = SimulatedOutputLine()
        var relay = try GPIORelay(line: line)
        try relay.set(.on)
        line.failsWhenSetTo = false
        #expect(throws: RelayFailure.self) { try relay.set(.off) }
        #expect(line.isReleased)
        #expect(!line.isActive, "released: the kernel no longer drives it")
        line.failsWhenSetTo = nil
        #expect(throws: RelayFailure.self) { try relay.set(.on) }
        #expect(throws: RelayFailure.self) { try relay.set(.off) }
        #expect(line.history == [false, false, true])
    }

    @Test func closeDrivesOffThenReleasesAndIsIdempotent() throws {
        let line = SimulatedOutputLine()
        var relay = try GPIORelay(line: line)
        try relay.set(.on)
        relay.close()
        relay.close()
        #expect(line.history == [false, false, true, false])
        #expect(line.isReleased)
    }

    @Test func closeReleasesEvenWhenOffFails() throws {
        let line = SimulatedOutputLine()
        var relay = try GPIORelay(line: line)
        try relay.set(.on)
        line.failsWhenSetTo = false
        relay.close()
        #expect(line.isReleased)
        #expect(relay.isReleased)
    }

    @Test func gpioErrorsNameChipLineAndCause() {
        let busy = GPIOError(operation: "request as output", chip: "/dev/gpiochip0", line: 17, errno: 16)
        #expect(busy.description == "request as output /dev/gpiochip0 line 17: line is busy (held by another consumer)")
        let missing = GPIOError(operation: "read chip information", chip: "/dev/gpiochip9", line: nil, errno: 2)
        #expect(missing.description == "read chip information /dev/gpiochip9: no such GPIO chip")
        let denied = GPIOError(operation: "request as output", chip: "/dev/gpiochip0", line: 4, errno: 13)
        #expect(denied.description.contains("gpio group"))
    }
}
