// The few Linux calls Swift cannot reach through Glibc alone: they need _GNU_SOURCE or macros.
#ifndef WOK_SYSTEM_H
#define WOK_SYSTEM_H
#include <sys/types.h>

/// Credentials of the process at the other end of a connected Unix socket (SO_PEERCRED).
/// Returns 0, or -1 with errno set.
int wok_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/// Ignores SIGPIPE and blocks, for the calling thread and the threads it starts later, every
/// asynchronous signal whose default action ends the process. 0, or -1 with errno set.
int wok_block_signals(void);

/// Blocks those signals (as wok_block_signals) and returns a signalfd that reports them.
/// Returns -1 with errno set on failure.
int wok_signal_descriptor(void);

/// Blocks just the `count` signals in `numbers` for the calling thread and returns a signalfd that
/// reports them (for a client such as `wokctl watch`, which leaves every other signal alone).
/// Returns -1 with errno set on failure.
int wok_signal_descriptor_for(const int *numbers, int count);

/// flock(LOCK_EX | LOCK_NB), resuming after signals: 0, or -1 with errno (EWOULDBLOCK: held).
int wok_try_lock(int fd);

/// SIGRTMAX, a function call in glibc that Swift cannot import as a macro.
int wok_signal_range_max(void);
int wok_signal_range_min(void);
/// Gives freed heap back to the system (glibc's malloc_trim).
void wok_release_free_memory(void);

/// Reads one signal number from a signalfd; 0 when none is pending, -1 with errno on error.
int wok_read_signal(int fd);
/// Waits for any of `fds` or until `timeout_ns` nanoseconds pass (ppoll: finer than poll's
/// milliseconds, which matters for a loop with a 2 ms jitter budget).
#include <poll.h>
int wok_poll(struct pollfd *fds, nfds_t count, long long timeout_ns);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (a GNU extension Swift does not see).
int wok_accept(int listener);
/// Fills `count` bytes from the kernel's random source (getrandom), resuming after signals:
/// 0, or -1 with errno set.
#include <stddef.h>
int wok_random(void *buffer, size_t count);
#endif
