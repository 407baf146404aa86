import Glibc
import WokCore
import WokSimulator
import WokSystem
import WokWire

@testable import WokDaemon

/// The real runner and core on the simulated station, in the embedded event source's virtual
/// time: scripted clients, raised signals, no sockets and no wall clock.
final class RunnerRig {
    let source = EmbeddedEventSource()
    let core: DaemonCore
    let runner: DaemonRunner<EmbeddedEventSource>
    let log = MemoryLog()
    let records = MemoryCookRecordStore()
    /// The simulated stove's buttons (a test hook in virtual time) and buzzer.
    let buttons: SimulatedButtons
    let buzzer: SimulatedBuzzer
    static let ownerUserID: UInt32 = 1000
    static let stationGroupID: UInt32 = 500
    private(set) var exitStatus: Int32?

    /// `wallStep`: how far the wall clock stands from the virtual clock, at each look.
    init(
        limits: ClientLimits = ClientLimits(), speed: Double = 1, faults: [FaultInjection] = [], wallStep: (() -> Double)? = nil
    ) throws {
        let devices = try SimulatedDaemonDevices(plant: PlantParameters(), seed: 3, faults: faults)
        buttons = devices.buttons
        buzzer = devices.buzzer
        let clock = source
        let wallClock: () -> Double = wallStep.map { step in { 1_000_000 + clock.nowSeconds() + step() } } ?? { 1_000_000 }
        core = try DaemonCore(
            station: .standard, devices: devices, recipeDirectories: [CoreRig.recipes], speed: speed, isSimulated: true,
            records: records, log: log, nowSeconds: 0, wallClock: wallClock)
        var options = DaemonRunnerOptions(socketGroupID: Self.stationGroupID, speed: speed, ownerUserID: Self.ownerUserID)
        options.stationTimeFollowsTicks = true
        options.limits = limits
        runner = DaemonRunner(core: core, options: options, log: log, source: source)
    }

    var now: Double { source.nowSeconds() }

    /// Runs the daemon for `seconds` of virtual time; false once it has stopped.
    @discardableResult
    func run(seconds: Double) -> Bool {
        guard exitStatus == nil else { return false }
        exitStatus = runner.run(untilSeconds: now + seconds)
        return exitStatus == nil
    }

    /// A client of the station's owner (may steer).
    func cook() -> EmbeddedEventSource.Client { source.connect(userID: Self.ownerUserID, groupID: Self.ownerUserID) }

    /// Sends one request and runs until its answer comes (at most `limitSeconds`).
    func ask(_ client: EmbeddedEventSource.Client, _ method: ControlMethod, _ params: JSONObject = JSONObject(), limitSeconds: Double = 2)
        -> ControlMessage?
    {
        client.send(line: ControlRequest(id: 7, method: method, params: params).line)
        return awaitAnswer(client, limitSeconds: limitSeconds)
    }

    func awaitAnswer(_ client: EmbeddedEventSource.Client, limitSeconds: Double = 2) -> ControlMessage? {
        let end = now + limitSeconds
        while now < end {
            run(seconds: 0.05)
            for line in client.receivedLines() {
                guard let message = ControlMessage.decode(line) else { continue }
                switch message {
                case .result, .error: return message
                default: continue
                }
            }
        }
        return nil
    }
}

extension ControlMessage {
    var snapshot: StationSnapshot? {
        guard case .result(_, let value) = self else { return nil }
        return try? StationSnapshot(json: value)
    }

    var errorCode: ControlErrorCode? {
        guard case .error(_, let error) = self else { return nil }
        return error.code
    }
}
