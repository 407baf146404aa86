// The timer's actions on the real system: a signal, a flag file, a sysfs write.
internal import Glibc

/// Does `actions` now, in order: SIGKILL, then the flag file, then the write.
public func performActions(_ actions: LevelTimingActions) throws(RigError) {
    if let pid = actions.killPID, kill(pid, SIGKILL) != 0 {
        throw RigError("cannot SIGKILL pid \(pid): errno \(errno)")
    }
    if let path = actions.touchPath, !SystemFiles.touch(path) {
        throw RigError("cannot create \(path)")
    }
    if let path = actions.writePath, !SystemFiles.write(actions.writeValue ?? "", to: path) {
        throw RigError("cannot write \(actions.writeValue ?? "") to \(path)")
    }
}
