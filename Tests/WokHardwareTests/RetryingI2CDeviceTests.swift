// Bounded retries: what is retried, how often, for how long, and that a dead sensor still shows
// within one control period.
import Testing
import WokCore
import WokSimulator

@testable import WokHardware

/// A device whose transfers fail with scripted failures first, each taking scripted virtual time.
final class FlakyDevice: I2CDevice {
    let location = I2CLocation(bus: "/dev/i2c-1", address: 0x67)
    var failures: [BusFailure]
    var secondsPerAttempt: Double
    var clock: VirtualClock
    private(set) var attempts = 0
    var inner = SimulatedMCP9600()

    init(failures: [BusFailure], secondsPerAttempt: Double = 0.001, clock: VirtualClock) {
        self.failures = failures
        self.secondsPerAttempt = secondsPerAttempt
        self.clock = clock
    }

    func readByte(register: UInt8) throws(I2CError) -> UInt8 {
        try attempt("read byte", register)
        return try inner.readByte(register: register)
    }
    func readWord(register: UInt8) throws(I2CError) -> UInt16 {
        try attempt("read word", register)
        return try inner.readWord(register: register)
    }
    func writeByte(register: UInt8, value: UInt8) throws(I2CError) {
        try attempt("write byte", register)
        try inner.writeByte(register: register, value: value)
    }
    private func attempt(_ operation: String, _ register: UInt8) throws(I2CError) {
        attempts += 1
        clock.seconds += secondsPerAttempt
        guard !failures.isEmpty else { return }
        throw I2CError(failure: failures.removeFirst(), location: location, register: register, operation: operation)
    }
}

final class VirtualClock {
    var seconds = 100.0
}

@Suite struct RetryingI2CDeviceTests {
    static func wrapped(
        _ failures: [BusFailure], secondsPerAttempt: Double = 0.001, policy: I2CRetryPolicy = .standard
    ) -> (RetryingI2CDevice<FlakyDevice>, FlakyDevice) {
        let clock = VirtualClock()
        let device = FlakyDevice(failures: failures, secondsPerAttempt: secondsPerAttempt, clock: clock)
        return (RetryingI2CDevice(device, policy: policy, nowSeconds: { clock.seconds }), device)
    }

    @Test(arguments: [BusFailure.nack, .timeout, .busError, .other(errno: 4)])
    func aGlitchThatClearsIsRetriedAndCounted(failure: BusFailure) throws {
        var (retrying, device) = Self.wrapped([failure, failure])
        #expect(try retrying.readByte(register: 0x04) == 0x40)
        #expect(device.attempts == 3)
        #expect(retrying.recoveredFailures == 2)
        #expect(retrying.lastRecoveredFailure?.failure == failure)
    }

    @Test(arguments: [BusFailure.noDevice, .other(errno: 95)])
    func aFailureThatCannotClearIsReportedAtOnce(failure: BusFailure) {
        var (retrying, device) = Self.wrapped([failure, failure])
        #expect(throws: I2CError.self) { _ = try retrying.readWord(register: 0x00) }
        #expect(device.attempts == 1)
        #expect(retrying.recoveredFailures == 0)
    }

    @Test func attemptsAreBounded() {
        var (retrying, device) = Self.wrapped(Array(repeating: .nack, count: 10))
        #expect(throws: I2CError(failure: .nack, location: device.location, register: 0x00, operation: "read word")) {
            _ = try retrying.readWord(register: 0x00)
        }
        #expect(device.attempts == 3)
        #expect(retrying.recoveredFailures == 0, "failures that were never got past are not 'recovered'")
    }

    @Test func noRetryStartsAfterTheWindow() {
        // Each attempt takes 7 ms: the second starts at 7 ms (inside 10 ms), a third would
        // start at 14 ms, so it is not made.
        var (retrying, device) = Self.wrapped(Array(repeating: .timeout, count: 10), secondsPerAttempt: 0.007)
        #expect(throws: I2CError.self) { _ = try retrying.readByte(register: 0x04) }
        #expect(device.attempts == 2)
    }

    @Test func writesAreRetriedToo() throws {
        var (retrying, device) = Self.wrapped([.busError])
        try retrying.writeByte(register: 0x05, value: 0x01)
        #expect(device.attempts == 2)
        #expect(try device.inner.readByte(register: 0x05) == 0x01)
    }

    @Test func aDeadSensorFailsTheReadWithinOneControlPeriod() throws {
        // Every attempt runs to the kernel's transfer timeout: the worst case for a sensor that
        // stopped answering. The read must still come back, failed, inside one 0.25 s period.
        let clock = VirtualClock()
        let device = FlakyDevice(failures: [], clock: clock)
        let policy = I2CRetryPolicy.fitting(periodSeconds: 0.25, busErrorBoundSeconds: 1)
        var driver = try MCP9600.open(device: RetryingI2CDevice(device, policy: policy, nowSeconds: { clock.seconds }))
        device.failures = Array(repeating: .timeout, count: 100)
        device.secondsPerAttempt = policy.transferTimeoutSeconds
        let start = clock.seconds
        #expect(driver.read() == .failure(.bus(.timeout)))
        let elapsed = clock.seconds - start
        #expect(elapsed <= policy.worstCaseReadSeconds(transfers: I2CRetryPolicy.transfersPerRead) + 1e-9)
        #expect(elapsed <= 0.25)
    }

    @Test(arguments: [
        (0.25, 1.0, 3), (2.0, 10.0, 3), (0.1, 1.0, 1), (0.05, 0.1, 1), (0.25, 0.2, 1),
    ])
    func theFittedPolicyKeepsAWholeReadInsideThePeriodAndHalfTheBound(
        periodSeconds: Double, boundSeconds: Double, attempts: Int
    ) {
        let policy = I2CRetryPolicy.fitting(periodSeconds: periodSeconds, busErrorBoundSeconds: boundSeconds)
        #expect(policy.maxAttempts == attempts)
        let worst = policy.worstCaseReadSeconds(transfers: I2CRetryPolicy.transfersPerRead)
        #expect(worst <= periodSeconds + 1e-9)
        #expect(worst <= boundSeconds / 2 + 1e-9)
        #expect(policy.transferTimeoutSeconds >= 0.01)
    }

    @Test func theStandardPolicyFitsTheStandardStation() {
        let station = Station.standard
        let policy = I2CRetryPolicy.fitting(
            periodSeconds: station.control.periodSeconds, busErrorBoundSeconds: station.safety.busErrorBoundSeconds)
        #expect(policy == .standard)
        #expect(abs(I2CRetryPolicy.standard.worstCaseTransferSeconds - 0.06) < 1e-12)
        // STATUS, its clear, T_H and T_C.
        #expect(I2CRetryPolicy.transfersPerRead == 4)
        #expect(abs(I2CRetryPolicy.standard.worstCaseReadSeconds(transfers: 4) - 0.24) < 1e-12)
    }

    @Test func policyValuesAreClamped() {
        let policy = I2CRetryPolicy(maxAttempts: 99, retryWindowSeconds: -1, transferTimeoutSeconds: 0)
        #expect(policy.maxAttempts == I2CRetryPolicy.attemptLimit)
        #expect(policy.retryWindowSeconds == 0)
        #expect(policy.transferTimeoutSeconds == 0.01)
        #expect(I2CRetryPolicy(maxAttempts: 0, retryWindowSeconds: 0, transferTimeoutSeconds: 0.05).maxAttempts == 1)
    }
}
