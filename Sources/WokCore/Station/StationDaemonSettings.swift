extension Station {
    /// How the station is shared and restarted: who may steer it, and how long an interrupted
    /// cook may still be continued by a person.
    public struct DaemonSettings: Sendable, Equatable {
        /// The group that owns the control socket besides the daemon's user; its members may
        /// start, steer and stop cooks. Nil keeps the daemon's own group.
        public var group: String?
        /// After a crash or restart, a person may continue the interrupted cook from its stage for
        /// this long. Longer, and the wok and food have changed too much to pick up where it was.
        public var resumeWithinSeconds: Double = 900

        public init() {}
    }
}

extension StationLoader {
    static func decodeDaemon(_ daemon: inout FieldReader, into station: inout Station) {
        if let group = daemon.string("group", maxLength: 32) {
            if group.isEmpty
                || !group.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0))
                })
            {
                daemon.fail("group", "must be a group name (letters, digits, '-', '_')")
            } else {
                station.daemon.group = group
            }
        }
        if let value = daemon.number("resumeWithinSeconds", in: 0...86_400, unit: "s") {
            station.daemon.resumeWithinSeconds = value
        }
    }
}
