// The plant's file operations and flag files, on a real temporary directory.
import Glibc
import Testing
import WokRigPlant

@Suite struct SystemFilesTests {
    /// A fresh directory under /tmp, removed with its files by `remove`.
    static func makeDirectory() throws -> String {
        var template = Array("/tmp/wok-rig-plant-test.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        return try #require(made)
    }

    static func remove(_ directory: String, files: [String]) {
        for file in files { unlink(directory + "/" + file) }
        rmdir(directory)
    }

    @Test(arguments: [("0\n", 0), ("1\n", 1), ("1", 1), ("", nil), ("x\n", nil), (" 1\n", nil)] as [(String, Int?)])
    func aValueAttributeReadsAsALevel(text: String, level: Int?) {
        #expect(SystemFiles.parseLineLevel(text) == level)
    }

    @Test func filesAreWrittenReadAndTheirLevelsSeen() throws {
        let directory = try Self.makeDirectory()
        defer { Self.remove(directory, files: ["value", "flag"]) }
        let value = directory + "/value"
        #expect(SystemFiles.lineLevel(value) == nil)
        #expect(!SystemFiles.write("1\n", to: value))  // only existing files are written, as sysfs attributes
        #expect(SystemFiles.touch(value))
        #expect(SystemFiles.write("1\n", to: value))
        #expect(SystemFiles.lineLevel(value) == 1)
        #expect(SystemFiles.read(value, maxBytes: 1) == "1")
        #expect(SystemFiles.write("0\n", to: value))
        #expect(SystemFiles.lineLevel(value) == 0)
        #expect(!SystemFiles.exists(directory + "/flag"))
        #expect(SystemFiles.touch(directory + "/flag"))
        #expect(SystemFiles.exists(directory + "/flag"))
    }

    @Test func theFlagFilesSetTheirFlags() throws {
        let directory = try Self.makeDirectory()
        let names = ["open-circuit", "short-circuit", "frozen", "stop"]
        defer { Self.remove(directory, files: names) }
        #expect(PlantFlags.read(directory: directory, exists: SystemFiles.exists) == PlantFlags())
        var expected = PlantFlags()
        #expect(SystemFiles.touch(directory + "/open-circuit"))
        expected.openCircuit = true
        #expect(PlantFlags.read(directory: directory, exists: SystemFiles.exists) == expected)
        #expect(SystemFiles.touch(directory + "/frozen"))
        expected.frozen = true
        #expect(PlantFlags.read(directory: directory, exists: SystemFiles.exists) == expected)
        #expect(SystemFiles.touch(directory + "/short-circuit"))
        #expect(SystemFiles.touch(directory + "/stop"))
        expected.shortCircuit = true
        expected.stop = true
        #expect(PlantFlags.read(directory: directory, exists: SystemFiles.exists) == expected)
        unlink(directory + "/open-circuit")
        expected.openCircuit = false
        #expect(PlantFlags.read(directory: directory, exists: SystemFiles.exists) == expected)
    }

    @Test func flagsAreLookedForInTheGivenDirectoryOnly() {
        var asked: [String] = []
        let flags = PlantFlags.read(directory: "/run/rig") { path in
            asked.append(path)
            return path == "/run/rig/stop"
        }
        #expect(asked == ["/run/rig/open-circuit", "/run/rig/short-circuit", "/run/rig/frozen", "/run/rig/flame-out", "/run/rig/stop"])
        #expect(flags.stop && !flags.openCircuit && !flags.shortCircuit && !flags.frozen)
    }
}
