/// Who may do what: a browser on the station's own screen (a loopback bind) may steer; on the
/// network, only a paired browser may, and only from the page's own origin. Pure: the caller
/// passes what the request carried.
public struct AccessPolicy: Sendable, Equatable {
    /// Bound to 127.0.0.1 or ::1: only this machine can connect, so no pairing is asked.
    public var loopbackOnly: Bool
    /// Whether an unpaired browser on the network may see the station (never change it).
    public var unpairedMayWatch: Bool
    /// The Host values a request may carry (e.g. `127.0.0.1:8080`); empty: any. On loopback this
    /// stops a hostile page from reaching wokweb under a name of its own (DNS rebinding).
    public var allowedHosts: Set<String>

    public init(loopbackOnly: Bool, unpairedMayWatch: Bool, allowedHosts: Set<String>) {
        self.loopbackOnly = loopbackOnly
        self.unpairedMayWatch = unpairedMayWatch
        self.allowedHosts = allowedHosts
    }

    /// What a request carried that decides access.
    public struct Credentials: Sendable, Equatable {
        public var host: String?
        public var origin: String?
        /// `Sec-Fetch-Site`, when the browser sends it.
        public var fetchSite: String?
        public var paired: Bool

        public init(host: String?, origin: String?, fetchSite: String?, paired: Bool) {
            self.host = host
            self.origin = origin
            self.fetchSite = fetchSite
            self.paired = paired
        }
    }

    /// Nil when the request may go on; otherwise the refusal to send.
    public func check(_ route: WebRoute, _ credentials: Credentials) -> WebRejection? {
        guard let host = credentials.host, !host.isEmpty, host.utf8.count <= 255 else {
            return WebRejection(400, "the request has no Host header")
        }
        if !allowedHosts.isEmpty, !allowedHosts.contains(host.lowercased()) {
            return WebRejection(421, "this server does not answer to the name \(String(host.prefix(64)))")
        }
        let sameOrigin = isSameOrigin(credentials, host: host)
        switch route {
        case .action, .pair:
            guard sameOrigin else { return WebRejection(403, "a change must come from the station's own page (same origin)") }
            if case .action = route, !loopbackOnly, !credentials.paired {
                return WebRejection(403, "this browser is not paired: pair it with the code from `wokctl web pair` before it can change anything")
            }
            return nil
        default:
            if route.showsStation, !loopbackOnly, !unpairedMayWatch, !credentials.paired {
                return WebRejection(403, "this browser is not paired, and unpaired browsers may not watch here")
            }
            return nil
        }
    }

    /// The browser says where the request came from: its Origin must be this very host, and
    /// Sec-Fetch-Site (when sent) must be same-origin. A request with no Origin is refused.
    func isSameOrigin(_ credentials: Credentials, host: String) -> Bool {
        if let site = credentials.fetchSite, site != "same-origin" { return false }
        guard let origin = credentials.origin?.lowercased() else { return false }
        let lowered = host.lowercased()
        return origin == "http://" + lowered || origin == "https://" + lowered
    }

    /// The Host values of a loopback bind on `port`.
    public static func loopbackHosts(port: Int) -> Set<String> {
        ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
    }
}
