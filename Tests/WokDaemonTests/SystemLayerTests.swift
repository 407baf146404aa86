import Glibc
import Testing
import WokSystem

/// The system layer's pieces that decide who may steer, what is read, and who owns the station.
@Suite struct SystemLayerTests {
    @Test(arguments: [
        ("Name:\tx\nGroups:\t500\nNgid:\t0\n", [UInt32(500)]),
        ("Groups:\t500 27 1000 \n", [500, 27, 1000]),
        ("Groups:\t27 1000 500 \n", [27, 1000, 500]),
        ("Groups:\t\n", []),
    ])
    func supplementaryGroupsAreReadWhereverTheStationsGroupStands(text: String, groups: [UInt32]) {
        #expect(PeerCredentials.supplementaryGroupIDs(procStatus: text) == groups)
    }

    @Test func theFramerSplitsBoundsAndValidatesLines() {
        var framer = LineFramer(maxLineBytes: 8)
        #expect(framer.append(Array("ab\ncd".utf8)) == [.line("ab")])
        #expect(framer.append(Array("e\r\n".utf8)) == [.line("cde")])
        #expect(framer.append(Array("0123456789".utf8)) == [.tooLong])
        #expect(framer.bufferedBytes == 0, "a long line is not kept")
        #expect(framer.append(Array("more\nok\n".utf8)) == [.line("ok")], "the rest of the long line is skipped")
        #expect(framer.append([0xFF, 0x0A]) == [.invalidText])
        #expect(framer.append(Array("last".utf8)).isEmpty)
        #expect(framer.finish() == .line("last"), "a last line without newline")
        #expect(framer.finish() == nil)
    }

    @Test func aSecondOwnerOfTheStateDirectoryIsRefused() throws {
        let directory = try temporaryDirectory()
        let first = try DirectoryLock(directory: directory)
        #expect(throws: DirectoryLockError.heldByAnother(path: directory + "/wokd.lock", processID: getpid())) {
            _ = try DirectoryLock(directory: directory)
        }
        withExtendedLifetime(first) {}
    }

    @Test func aFIFOIsRefusedRatherThanWaitedOn() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/recipe.json"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: FileReadError.notRegularFile(path: path, kind: "FIFO")) { _ = try readSmallFile(path, maxBytes: 1024) }
    }

    @Test func aSharedFolderNotOursAloneIsRefused() throws {
        let directory = try temporaryDirectory()
        let open = directory + "/open"
        #expect(mkdir(open, 0o755) == 0)
        chmod(open, 0o777)
        #expect(throws: SystemError.self) { try ensurePrivateDirectory(open) }
        let link = directory + "/link"
        #expect(symlink(directory, link) == 0)
        #expect(throws: SystemError.self) { try ensurePrivateDirectory(link) }
        if geteuid() == 0 {
            let foreign = directory + "/foreign"
            #expect(mkdir(foreign, 0o700) == 0)
            #expect(chown(foreign, 65534, 65534) == 0)
            #expect(throws: SystemError.self) { try ensurePrivateDirectory(foreign) }
        }
        let mine = directory + "/mine"
        try ensurePrivateDirectory(mine)
        #expect(isPrivateDirectory(mine))
    }

    private func temporaryDirectory() throws -> String {
        var template = Array("/tmp/wok-system-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError.last("mkdtemp") }
        return String(cString: made)
    }
}
