import Testing
import WokCore
import WokWeb
import WokWire

/// The hub's streams, with time passed in: nothing here waits on a clock.
@Suite struct StationHubTests {
    func snapshot(_ state: CookState, at time: Double, celsius: Double = 100, burner: Bool = true) -> StationSnapshot {
        StationSnapshot(
            state: state, targetC: 200, temperatureC: celsius, burnerOn: burner, timeSeconds: time, station: "test",
            shownReading: ShownReading(celsius: celsius, trusted: true))
    }

    func text(_ read: StationHub.StreamRead) -> String {
        if case .bytes(let bytes) = read { return String(decoding: bytes, as: UTF8.self) }
        return "\(read)"
    }

    @Test func aNewStreamStartsWithTheRetryDelayAndTheWholeState() throws {
        let hub = StationHub()
        hub.linkUp(Subscription(snapshot: snapshot(.cooking, at: 10), history: []))
        let id = try #require(hub.openStream(now: 0))
        let first = text(hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 }))
        #expect(first.hasPrefix("retry: 2000\n\nevent: state\n"))
        #expect(first.contains("\"connected\":true"))
        #expect(first.hasSuffix("\n\n"))
    }

    @Test func snapshotsAndEventsReachEveryStreamInOrder() throws {
        let hub = StationHub()
        let a = try #require(hub.openStream(now: 0))
        let b = try #require(hub.openStream(now: 0))
        for id in [a, b] { _ = hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 }) }
        hub.snapshot(snapshot(.preheating, at: 1))
        hub.event(WireEvent(name: "stage-started", message: "stage 1", timeSeconds: 1, stageIndex: 0))
        for id in [a, b] {
            let got = text(hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 }))
            let snapshotAt = try #require(got.range(of: "event: snapshot\n"))
            let eventAt = try #require(got.range(of: "event: event\n"))
            #expect(snapshotAt.lowerBound < eventAt.lowerBound)
        }
    }

    @Test func aBrowserThatStopsReadingIsDroppedNotWaitedFor() throws {
        let hub = StationHub(maxQueuedBytesPerStream: 4096)
        let slow = try #require(hub.openStream(now: 0))
        let quick = try #require(hub.openStream(now: 0))
        for index in 0..<40 {
            hub.snapshot(snapshot(.cooking, at: Double(index)))
            _ = hub.read(quick, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 })
        }
        #expect(hub.read(slow, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 }) == .end)
        #expect(hub.view.droppedStreams == 1)
        hub.snapshot(snapshot(.cooking, at: 41))
        #expect(text(hub.read(quick, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 })).contains("event: snapshot"))
    }

    @Test func theNumberOfStreamsIsBoundedAndAClosedOneFreesItsPlace() throws {
        let hub = StationHub(maxStreams: 2)
        let first = try #require(hub.openStream(now: 0))
        #expect(hub.openStream(now: 0) != nil)
        #expect(hub.openStream(now: 0) == nil)
        hub.closeStream(first)
        #expect(hub.openStream(now: 0) != nil)
    }

    @Test func aQuietStreamGetsAKeepAliveAndAStopEndsIt() throws {
        let hub = StationHub(keepAliveSeconds: 15)
        let id = try #require(hub.openStream(now: 0))
        _ = hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 0 })
        #expect(hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 10 }) == .nothing)
        #expect(text(hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 15 })) == SSEFrame.keepAlive)
        hub.stop()
        #expect(hub.read(id, maxBytes: 1 << 20, waitSeconds: 0, now: { 16 }) == .end)
        #expect(hub.openStream(now: 16) == nil)
    }

    @Test func readsAreCutToTheBuffersSize() throws {
        let hub = StationHub()
        let id = try #require(hub.openStream(now: 0))
        var whole = ""
        while case .bytes(let bytes) = hub.read(id, maxBytes: 7, waitSeconds: 0, now: { 0 }) {
            #expect(bytes.count <= 7)
            whole += String(decoding: bytes, as: UTF8.self)
        }
        #expect(whole.hasPrefix("retry: 2000\n\nevent: state\n"))
    }

    @Test func theChartKeepsOneSampleASecondAndStartsAfreshWithACook() {
        let hub = StationHub()
        for tenth in 0..<50 { hub.snapshot(snapshot(.cooking, at: Double(tenth) / 10)) }
        #expect(hub.view.samples.map(\.timeSeconds) == [0, 1, 2, 3, 4])
        hub.event(WireEvent(name: "cook-started", message: "cook started", timeSeconds: 5))
        #expect(hub.view.samples.isEmpty)
    }

    @Test func theLinkCountsLossesFaultsAndBurnerSwitches() {
        let hub = StationHub()
        hub.linkUp(Subscription(snapshot: snapshot(.cooking, at: 0, burner: false), history: []))
        hub.snapshot(snapshot(.cooking, at: 1, burner: true))
        hub.snapshot(snapshot(.cooking, at: 2, burner: false))
        hub.event(WireEvent(name: "fault", message: "f", timeSeconds: 2, faultKind: "sensor-open", faultReason: "open"))
        hub.linkDown("wokd went away")
        let view = hub.view
        #expect(view.burnerSwitches == 2)
        #expect(view.faultsByKind == ["sensor-open": 1])
        #expect(view.linkLosses == 1)
        #expect(!view.connected)
        #expect(view.problem == "wokd went away")
    }
}
