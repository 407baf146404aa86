import Glibc
import WokCore
import WokSimulator
import WokSystem

/// Where `wokctl` finds recipes, stations and plants, and how it reads them.
enum Files {
    /// Recipe files are small; anything bigger is not a recipe.
    static let maxDocumentBytes = 1 << 20

    static func read(_ path: String) throws(CommandFailure) -> String {
        do {
            return try readSmallFile(path, maxBytes: maxDocumentBytes)
        } catch {
            switch error {
            case .system(let system) where system.errno == ENOENT:
                throw CommandFailure(message: "\(path): no such file", code: .invalidInput)
            case .isDirectory:
                throw CommandFailure(message: "\(path): is a directory, not a JSON file", code: .invalidInput)
            default:
                throw CommandFailure(message: "cannot read \(error)", code: .invalidInput)
            }
        }
    }

    /// Writes `text` to an output file given with `-o`, or standard output for `-` (see `OutputFile`).
    static func write(_ text: String, to path: String) throws(CommandFailure) {
        try OutputFile.write(to: path) { (descriptor) throws(CommandFailure) in
            guard writeFully(descriptor, Array(text.utf8)) else {
                let target = descriptor == STDOUT_FILENO ? "standard output" : path
                throw CommandFailure(message: "cannot write \(target): \(SystemError("write", errno: errno).reason)", code: .failure)
            }
        }
    }

    static func exists(_ path: String) -> Bool { fileExists(path) }

    // MARK: Recipes

    /// Where recipes are looked for: `--recipe-dir`, else the daemon's default search.
    static func recipeDirectory(_ explicit: String?) -> String {
        explicit ?? DefaultPaths.recipeDirectory
    }

    /// Recipe names (file names without `.json`) in a directory, sorted.
    static func recipeNames(in directory: String) throws(CommandFailure) -> [String] {
        do {
            return try RecipeFiles.names(in: directory)
        } catch {
            throw CommandFailure(message: "cannot list recipes: \(error)", code: .invalidInput)
        }
    }

    /// A recipe by name (from the directory) or by path (anything with a `/` or ending `.json`).
    static func recipePath(_ nameOrPath: String, directory: String) -> String {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return nameOrPath }
        return "\(directory)/\(nameOrPath).json"
    }

    static func loadRecipe(_ nameOrPath: String, directory: String) throws(CommandFailure) -> Recipe {
        let path = recipePath(nameOrPath, directory: directory)
        guard exists(path) else {
            var message = "no recipe \"\(nameOrPath)\" (looked for \(path))"
            if let names = try? recipeNames(in: directory), !names.isEmpty {
                message += "; available: \(names.joined(separator: ", "))"
            }
            throw CommandFailure(message: message, code: .invalidInput)
        }
        switch RecipeLoader.parse(try read(path), source: path) {
        case .success(let recipe): return recipe
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }

    // MARK: Station and plant

    /// The station file: explicit, else the checkout's or the system's, else the built-in default.
    static func loadStation(_ explicit: String?) throws(CommandFailure) -> (Station, source: String) {
        var path = explicit
        if path == nil {
            for candidate in ["config/station.json", "/etc/wok/station.json"] where exists(candidate) {
                path = candidate
                break
            }
        }
        guard let path else { return (.standard, "built-in default") }
        switch StationLoader.parse(try read(path), source: path) {
        case .success(let station): return (station, path)
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }

    /// A plant by path, or by the name of one shipped in `Simulator/Plants`.
    static func loadPlant(_ explicit: String?) throws(CommandFailure) -> PlantParameters {
        guard let explicit else { return PlantParameters() }
        var path = explicit
        if !explicit.contains("/") && !explicit.hasSuffix(".json") { path = "Simulator/Plants/\(explicit).json" }
        guard exists(path) else { throw CommandFailure(message: "no plant file \(path)", code: .invalidInput) }
        switch PlantLoader.parse(try read(path), source: path) {
        case .success(let plant): return plant
        case .failure(let error): throw CommandFailure(message: error.description, code: .invalidInput)
        }
    }
}

/// Where `-o FILE` (and `--trace`, `--plot`) output goes: a regular file, or standard output for `-`.
///
/// Whatever is at FILE already and is not a regular file is refused, and left as it is: a symbolic
/// link is not followed (nor replaced), and a device, FIFO, socket or directory is not written to.
/// A regular file is replaced whole: the output goes to a new temporary file beside it (created
/// with `O_EXCL | O_NOFOLLOW`, mode 0644 less the umask), is flushed to the disk, and is renamed
/// over FILE; a failure part way leaves FILE as it was and removes the temporary file.
enum OutputFile {
    /// Attempts at a fresh temporary name before giving up (another writer would have to guess ours).
    static let maxTemporaryAttempts = 16

    /// Opens FILE's replacement (or takes standard output), hands its descriptor to `produce`, and
    /// puts the result in place. `produce` writes everything and reports its own failures.
    static func write(
        to path: String, _ produce: (_ descriptor: Int32) throws(CommandFailure) -> Void
    ) throws(CommandFailure) {
        if path == "-" {
            try produce(STDOUT_FILENO)
            return
        }
        try refuseUnlessRegularOrAbsent(path)
        let (descriptor, temporary) = try createTemporary(beside: path)
        do {
            try produce(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        var failure: SystemError?
        if fsync(descriptor) != 0 { failure = SystemError("fsync", temporary, errno: errno) }
        if close(descriptor) != 0, errno != EINTR, failure == nil { failure = SystemError("close", temporary, errno: errno) }
        if let failure {
            unlink(temporary)
            throw CommandFailure(message: "cannot write \(path): \(failure)", code: .failure)
        }
        // Looked at again just before the rename: what appeared meanwhile is not replaced either.
        do {
            try refuseUnlessRegularOrAbsent(path)
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let failure = SystemError("rename", "\(temporary) to \(path)", errno: errno)
            unlink(temporary)
            throw CommandFailure(message: "cannot write \(path): \(failure)", code: .failure)
        }
    }

    /// Returns when `path` holds a regular file or nothing; otherwise throws, saying what is there
    /// (from `lstat`, so a symbolic link is reported as one, not followed).
    static func refuseUnlessRegularOrAbsent(_ path: String) throws(CommandFailure) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw CommandFailure(message: "\"\(path)\" is not a file name (-o takes a file, or - for standard output)", code: .usage)
        }
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw CommandFailure(message: "cannot write \(path): \(SystemError("lstat", path, errno: errno))", code: .failure)
        }
        let kind: String
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: kind = "a symbolic link"
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        default: kind = "something other than a regular file"
        }
        throw CommandFailure(
            message: "refusing to write \(path): it is \(kind), not a regular file; nothing was written "
                + "(-o writes regular files only, or - for standard output)",
            code: .failure)
    }

    /// A new, empty file in FILE's directory, named after it, that nobody else can have opened.
    private static func createTemporary(beside path: String) throws(CommandFailure) -> (Int32, String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<maxTemporaryAttempts {
            let suffix = String(generator.next() as UInt32, radix: 16)
            let temporary = "\(directory).\(name).\(suffix).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (descriptor, temporary) }
            if errno == EEXIST || errno == EINTR { continue }
            throw CommandFailure(message: "cannot write \(path): \(SystemError("open", temporary, errno: errno))", code: .failure)
        }
        throw CommandFailure(message: "cannot write \(path): no free temporary name beside it", code: .failure)
    }
}
