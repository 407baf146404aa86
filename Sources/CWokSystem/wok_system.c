#define _GNU_SOURCE
#include "wok_system.h"
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/file.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <poll.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int wok_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}

// Every asynchronous signal whose default action ends the process. They are blocked in every
// thread (threads inherit the mask, so this runs before any thread starts) and read from a
// signalfd by the loop, which decides: stop with the burner off, or log and carry on. A signal
// left at its default would end wokd without the burner-off step. The synchronous ones (SIGSEGV,
// SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS) are crashes: the kernel then releases the
// relay's line, and the wiring turns the burner off.
static void wok_fill_signal_set(sigset_t *set) {
    static const int handled[] = {
        SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGIO, SIGPROF, SIGVTALRM,
        SIGXCPU, SIGXFSZ, SIGPWR,
#ifdef SIGSTKFLT
        SIGSTKFLT,
#endif
    };
    sigemptyset(set);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) sigaddset(set, handled[i]);
    for (int number = SIGRTMIN; number <= SIGRTMAX; number++) sigaddset(set, number);
}

int wok_block_signals(void) {
    // A peer that hangs up mid-write must be an EPIPE to handle, not a signal that kills the daemon.
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    wok_fill_signal_set(&set);
    return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -1;
}

int wok_signal_descriptor(void) {
    if (wok_block_signals() != 0) return -1;
    sigset_t set;
    wok_fill_signal_set(&set);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int wok_signal_descriptor_for(const int *numbers, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) sigaddset(&set, numbers[i]);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int wok_read_signal(int fd) {
    struct signalfd_siginfo info;
    ssize_t got = read(fd, &info, sizeof info);
    if (got == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (got >= 0) { errno = EIO; }
    return -1;
}

int wok_poll(struct pollfd *fds, nfds_t count, long long timeout_ns) {
    if (timeout_ns < 0) timeout_ns = 0;
    struct timespec timeout = { .tv_sec = (time_t)(timeout_ns / 1000000000LL), .tv_nsec = (long)(timeout_ns % 1000000000LL) };
    return ppoll(fds, count, &timeout, NULL);
}

int wok_accept(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int wok_try_lock(int fd) {
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EINTR) return -1;
    }
    return 0;
}

int wok_signal_range_max(void) { return SIGRTMAX; }
int wok_signal_range_min(void) { return SIGRTMIN; }
void wok_release_free_memory(void) { malloc_trim(0); }

int wok_random(void *buffer, size_t count) {
    size_t filled = 0;
    while (filled < count) {
        ssize_t got = getrandom((char *)buffer + filled, count - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        filled += (size_t)got;
    }
    return 0;
}
