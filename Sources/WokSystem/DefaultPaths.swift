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

    /// The system daemon's socket (the unit's RuntimeDirectory).
    public static let systemSocket = "/run/wokd/\(socketName)"

    /// Where a daemon run by this user puts its socket: `$WOKD_SOCKET`, then systemd's
    /// RuntimeDirectory, then /run/wokd for root, then the user's runtime directory, then a private
    /// folder in /tmp (which must be the user's own, mode 0700: see `ensurePrivateDirectory`).
    public static var controlSocket: String {
        if let explicit = environment("WOKD_SOCKET") { return explicit }
        if let runtime = environment("RUNTIME_DIRECTORY")?.split(separator: ":").first { return "\(runtime)/\(socketName)" }
        if isRoot { return systemSocket }
        if let runtime = environment("XDG_RUNTIME_DIR") { return "\(runtime)/wokd/\(socketName)" }
        return "\(temporaryFolder)/\(socketName)"
    }

    /// The per-user folder in the shared temporary directory, for users with no runtime directory.
    public static var temporaryFolder: String { "/tmp/wokd-\(geteuid())" }

    /// Where a client looks for the daemon when not told, in order: `$WOKD_SOCKET` alone when set;
    /// else the user's own daemon (as `controlSocket` would place it), then the system daemon's.
    /// The /tmp fallback is only considered when its folder is the user's own with mode 0700.
    public static var clientSocketCandidates: [String] {
        if let explicit = environment("WOKD_SOCKET") { return [explicit] }
        var candidates: [String] = []
        let own = controlSocket
        if !own.hasPrefix(temporaryFolder + "/") || isPrivateDirectory(temporaryFolder) { candidates.append(own) }
        if !candidates.contains(systemSocket) { candidates.append(systemSocket) }
        return candidates
    }

    /// The socket a client should use: the first candidate something listens on, else the first
    /// candidate that exists, else the system daemon's (so the error names the usual place).
    public static var clientSocket: String {
        let candidates = clientSocketCandidates
        for candidate in candidates where isSocket(candidate) { return candidate }
        return candidates.last ?? systemSocket
    }

    private static func isSocket(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// The state directory (the interrupted-cook record, later the history).
    public static var stateDirectory: String {
        if let state = environment("STATE_DIRECTORY")?.split(separator: ":").first { return String(state) }
        if isRoot { return "/var/lib/wokd" }
        if let state = environment("XDG_STATE_HOME") { return "\(state)/wokd" }
        if let home = environment("HOME") { return "\(home)/.local/state/wokd" }
        return "\(temporaryFolder)/state"
    }

    /// The recipe directory: `$WOK_RECIPE_DIR`, then a checkout's `recipes`, then the system's.
    public static var recipeDirectory: String {
        recipeDirectories.first ?? "recipes"
    }

    /// The recipe directories a name is looked up in, first match wins: `$WOK_RECIPE_DIR` alone
    /// when set; else those of a checkout's `recipes`, the local admin's and the package's that exist.
    public static var recipeDirectories: [String] {
        if let explicit = environment("WOK_RECIPE_DIR") { return [explicit] }
        let found = recipeSearchOrder.filter(fileExists)
        return found.isEmpty ? ["recipes"] : found
    }

    /// Every place a recipe may be, in the order they are searched: a checkout's own, the local
    /// admin's, a hand install's, the Debian package's (/usr/share/wok/recipes, docs/packaging.md).
    public static let recipeSearchOrder = ["recipes", "/etc/wok/recipes", "/usr/local/share/wok/recipes", "/usr/share/wok/recipes"]
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
