internal import Glibc

/// Where the daemon and its clients look for things when not told: systemd's directories when
/// the unit provides them, the FHS places for root, and the user's own directories otherwise (so
/// anyone can run `wokd --simulate` without privileges).
public enum DefaultPaths {
    public static let stationFile = "/etc/wok/station.json"
    public static let socketName = "control.sock"

    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// The control socket: `$WOKD_SOCKET`, then systemd's RuntimeDirectory, then /run/wokd for
    /// root, then the user's runtime directory.
    public static var controlSocket: String {
        if let explicit = environment("WOKD_SOCKET") { return explicit }
        if let runtime = environment("RUNTIME_DIRECTORY")?.split(separator: ":").first { return "\(runtime)/\(socketName)" }
        if isRoot { return "/run/wokd/\(socketName)" }
        if let runtime = environment("XDG_RUNTIME_DIR") { return "\(runtime)/wokd/\(socketName)" }
        return "/tmp/wokd-\(geteuid())/\(socketName)"
    }

    /// The state directory (the interrupted-cook record, later the history).
    public static var stateDirectory: String {
        if let state = environment("STATE_DIRECTORY")?.split(separator: ":").first { return String(state) }
        if isRoot { return "/var/lib/wokd" }
        if let state = environment("XDG_STATE_HOME") { return "\(state)/wokd" }
        if let home = environment("HOME") { return "\(home)/.local/state/wokd" }
        return "/tmp/wokd-\(geteuid())/state"
    }

    /// The recipe directory: `$WOK_RECIPE_DIR`, then a checkout's `recipes`, then the system's.
    public static var recipeDirectory: String {
        if let explicit = environment("WOK_RECIPE_DIR") { return explicit }
        for candidate in ["recipes", "/etc/wok/recipes", "/usr/local/share/wok/recipes"] where fileExists(candidate) {
            return candidate
        }
        return "recipes"
    }
}

/// The numeric id of a group, by name.
public func groupID(named name: String) -> UInt32? {
    guard let entry = getgrnam(name) else { return nil }
    return entry.pointee.gr_gid
}

/// The directory part of a path.
public func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
