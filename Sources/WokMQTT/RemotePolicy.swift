/// What may be done to the station from the network. Taking heat away (abort, hold) is always
/// allowed; moving a cook along is allowed unless the station says no; lighting the burner from
/// another room (start) only when the station's owner says yes.
public struct RemotePolicy: Sendable, Equatable {
    public var start = false
    public var next = true
    public var resume = true
    public var extend = true
    /// What the extend button adds.
    public var extendSeconds = 60
    /// The recipes offered in Home Assistant's select, by file name; empty: none offered, and a
    /// start names any recipe file wokd has.
    public var recipes: [String] = []

    public init() {}

    public static let maxRecipes = 64

    public func allows(_ verb: RemoteVerb) -> Bool {
        switch verb {
        case .abort, .hold: true
        case .next: next
        case .resume: resume
        case .extend: extend
        case .start: start
        }
    }

    /// Recipe file names: what wokd's `start NAME` looks up, nothing that could name a path.
    public static func isValidRecipeName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-")
            }
    }
}
