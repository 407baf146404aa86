public import WokSystem

/// The page's three files, read once at start-up from the directory installed with wokweb
/// (the package's Sources/WokWeb/Page in a checkout), so a missing file stops wokweb at once.
public struct PageAssets: Sendable {
    private let files: [PageAsset: [UInt8]]
    public static let maxFileBytes = 512 * 1024

    public init(directory: String) throws(FileReadError) {
        var files: [PageAsset: [UInt8]] = [:]
        for asset in PageAsset.allCases {
            files[asset] = Array(try readSmallFile(directory + "/" + asset.rawValue, maxBytes: Self.maxFileBytes).utf8)
        }
        self.files = files
    }

    public init(files: [PageAsset: [UInt8]]) {
        self.files = files
    }

    public func bytes(_ asset: PageAsset) -> [UInt8] { files[asset] ?? [] }

    /// The page's weight: all three files.
    public var totalBytes: Int { files.values.reduce(0) { $0 + $1.count } }
}
