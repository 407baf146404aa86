// Finding a line's chip by the chip's label or by the line's name, so one station file fits
// boards that number their GPIO chips differently (a Pi 4's header chip is gpiochip0, a Pi 5's
// was gpiochip4 on earlier kernels and gpiochip0 on later ones; the labels and names hold).
internal import Glibc
public import WokCore

/// One GPIO chip as a scan found it.
public struct ScannedChip: Sendable, Equatable {
    /// e.g. "/dev/gpiochip0".
    public var path: String
    /// e.g. "pinctrl-bcm2711".
    public var label: String
    /// How many lines it has.
    public var lineCount: Int
    /// Each line's name by offset ("" for an unnamed line).
    public var lineNames: [String]

    public init(path: String, label: String, lineCount: Int, lineNames: [String]) {
        self.path = path
        self.label = label
        self.lineCount = lineCount
        self.lineNames = lineNames
    }

    /// e.g. "/dev/gpiochip0 (\"pinctrl-bcm2711\", 58 lines)".
    public var description: String { "\(path) (\"\(label)\", \(lineCount) lines)" }
}

/// Every GPIO chip a scan of a directory found, and the ones it could not read.
public struct GPIOChipScan: Sendable, Equatable {
    public var chips: [ScannedChip]
    /// Chips that would not open, in words ("/dev/gpiochip2: permission denied ...").
    public var unreadable: [String]

    public init(chips: [ScannedChip], unreadable: [String] = []) {
        self.chips = chips
        self.unreadable = unreadable
    }

    /// What was searched, for an error that says so.
    public var searched: String {
        var parts = [chips.isEmpty ? "no readable GPIO chip" : "searched " + chips.map(\.description).joined(separator: ", ")]
        if !unreadable.isEmpty { parts.append("could not read " + unreadable.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }
}

/// Why a line named by chip label or line name could not be found.
public enum GPIOLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    case noChipLabelled(String, scan: GPIOChipScan)
    case severalChipsLabelled(String, paths: [String])
    case noLineNamed(String, scan: GPIOChipScan)
    case severalLinesNamed(String, places: [String])

    public var description: String {
        switch self {
        case .noChipLabelled(let label, let scan): "no GPIO chip is labelled \"\(label)\" (\(scan.searched))"
        case .severalChipsLabelled(let label, let paths):
            "\(paths.count) GPIO chips are labelled \"\(label)\" (\(paths.joined(separator: ", "))); name the chip instead"
        case .noLineNamed(let name, let scan): "no GPIO line is named \"\(name)\" (\(scan.searched))"
        case .severalLinesNamed(let name, let places):
            "\(places.count) GPIO lines are named \"\(name)\" (\(places.joined(separator: ", "))); give the chip and line instead"
        }
    }
}

/// Turns a line named by chip label or line name into a chip path and offset, from a scan.
public enum GPIOLineLookup {
    /// The line at a concrete chip path and offset; settings that name the chip are kept as they are.
    public static func resolve(_ settings: OutputLineSettings, in scan: GPIOChipScan) -> Result<OutputLineSettings, GPIOLookupError> {
        if let name = settings.lineName {
            var places: [(path: String, offset: Int)] = []
            for chip in scan.chips {
                for (offset, lineName) in chip.lineNames.enumerated() where lineName == name { places.append((chip.path, offset)) }
            }
            guard let place = places.first else { return .failure(.noLineNamed(name, scan: scan)) }
            guard places.count == 1 else {
                return .failure(.severalLinesNamed(name, places: places.map { "\($0.path) line \($0.offset)" }))
            }
            return .success(settings.resolved(chipPath: place.path, line: place.offset))
        }
        if let label = settings.chipLabel {
            let matches = scan.chips.filter { $0.label == label }
            guard let chip = matches.first else { return .failure(.noChipLabelled(label, scan: scan)) }
            guard matches.count == 1 else { return .failure(.severalChipsLabelled(label, paths: matches.map(\.path))) }
            return .success(settings.resolved(chipPath: chip.path, line: settings.line))
        }
        return .success(settings)
    }
}

extension GPIOChip {
    /// Reads every `gpiochip*` under `directory` through libgpiod: label, line count, line names.
    public static func scan(directory: String = "/dev") -> GPIOChipScan {
        var scan = GPIOChipScan(chips: [])
        for path in chipPaths(in: directory) {
            do throws(GPIOError) {
                let info = try info(chipPath: path)
                var names: [String] = []
                for offset in 0..<info.lineCount { names.append(try lineInfo(chipPath: path, line: offset).name) }
                scan.chips.append(ScannedChip(path: path, label: info.label, lineCount: info.lineCount, lineNames: names))
            } catch {
                scan.unreadable.append("\(path): \(error)")
            }
        }
        return scan
    }

    /// The chip device paths under `directory`, in the kernel's numbering order.
    static func chipPaths(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var numbered: [(number: Int, path: String)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("gpiochip"), let number = Int(name.dropFirst("gpiochip".count)) else { continue }
            numbered.append((number, directory + "/" + name))
        }
        return numbered.sorted { $0.number < $1.number }.map(\.path)
    }
}
