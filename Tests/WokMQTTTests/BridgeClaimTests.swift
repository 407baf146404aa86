import Testing
import WokMQTT

@Suite struct BridgeClaimTests {
    let own = BridgeClaim(instance: "kitchen-0a0b0c0d", pid: 100, startedUnixSeconds: 1_000)
    let other = BridgeClaim(instance: "kitchen-ffeeddcc", pid: 200, startedUnixSeconds: 2_000)

    @Test func anInstanceIsTheStationAndEightHexDigits() {
        #expect(BridgeClaim.instanceID(stationID: "kitchen", random: [0x0a, 0x0b, 0x0c, 0x0d, 0xff]) == "kitchen-0a0b0c0d")
        #expect(Topics(stationID: "kitchen").bridgeClaim == "wok/kitchen/bridge")
    }

    @Test func aClaimReadsBackAndJunkIsNoClaim() {
        #expect(BridgeClaim(payload: Array(own.payload.utf8)) == own)
        for junk in ["", "{}", "kitchen-1", "{\"instance\": \"\", \"pid\": 1, \"started\": 1}", "{\"instance\": 3, \"pid\": 1, \"started\": 1}"] {
            #expect(BridgeClaim(payload: Array(junk.utf8)) == nil, "\(junk)")
        }
    }

    @Test func aStoredClaimProvesNothingButALiveOneIsWarnedOfAndAnsweredOnce() {
        var watch = ClaimWatch(own: own)
        // What the broker kept from before: perhaps a bridge that died.
        #expect(watch.observe(payload: Array(other.payload.utf8), retained: true) == .nothing)
        // Our own claim comes back: ours is the stored one.
        #expect(watch.observe(payload: Array(own.payload.utf8), retained: false) == .nothing)
        #expect(watch.storedIsOwn)
        // Another bridge connects now.
        #expect(watch.observe(payload: Array(other.payload.utf8), retained: false) == .warn(other, answer: true))
        #expect(!watch.storedIsOwn)
        // Its answer to our answer ends the exchange.
        #expect(watch.observe(payload: Array(other.payload.utf8), retained: false) == .nothing)
        let line = watch.warning(about: other, stationID: "kitchen")
        #expect(line.contains("WARNING") && line.contains("kitchen-ffeeddcc") && line.contains("started after this one"))
        // Cleared by hand: not ours any more.
        _ = watch.observe(payload: Array(own.payload.utf8), retained: false)
        #expect(watch.observe(payload: [], retained: false) == .nothing)
        #expect(!watch.storedIsOwn)
    }
}
