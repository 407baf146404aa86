// The few Linux calls Swift cannot reach through Glibc alone: they need _GNU_SOURCE or macros.
#ifndef WOK_SYSTEM_H
#define WOK_SYSTEM_H
#include <sys/types.h>

/// Credentials of the process at the other end of a connected Unix socket (SO_PEERCRED).
/// Returns 0, or -1 with errno set.
int wok_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// Blocks SIGTERM, SIGINT, SIGHUP and SIGPIPE... for the calling thread and returns a signalfd that
/// reports the first three (SIGPIPE is simply ignored). Returns -1 with errno set on failure.
int wok_signal_descriptor(void);

/// Reads one signal number from a signalfd; 0 when none is pending, -1 with errno on error.
int wok_read_signal(int fd);
/// Waits for any of `fds` or until `timeout_ns` nanoseconds pass (ppoll: finer than poll's
/// milliseconds, which matters for a loop with a 2 ms jitter budget).
#include <poll.h>
int wok_poll(struct pollfd *fds, nfds_t count, long long timeout_ns);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (a GNU extension Swift does not see).
int wok_accept(int listener);
#endif
