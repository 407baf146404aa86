// posix_spawn for notification commands: the parts Swift cannot reach (closefrom needs _GNU_SOURCE).
#ifndef WOK_SPAWN_H
#define WOK_SPAWN_H
#include <sys/types.h>

/// Starts `argv[0]` (looked up in PATH when it has no slash) with `envp` as its whole environment:
/// in a new process group, no signal blocked, default actions for the signals a daemon ignores or
/// reads, stdin and stdout on /dev/null, stderr inherited, every other descriptor closed.
/// Returns 0 and sets *pid, or an errno value.
int wok_spawn(const char *const *argv, const char *const *envp, pid_t *pid);
#endif
