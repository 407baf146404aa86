// slow-fsync.c: a disk that stalls, for wokd-bench's disk-stall scenario.
//
// Loaded into wokd with LD_PRELOAD (wokd-bench compiles it at run time with the toolchain's clang:
// `clang -shared -fPIC -O2 -o slow-fsync.so slow-fsync.c -ldl`). It interposes fsync and fdatasync:
// every WOK_SLOW_FSYNC_EVERY_SECONDS (default 15) one call, from whichever thread, sleeps
// WOK_SLOW_FSYNC_STALL_SECONDS (default 5) before the real call, as an SD card that stops to erase
// a block would. The daemon is not changed and has no test hook; only its disk is slow.
//
// Each event is one line appended to WOK_SLOW_FSYNC_LOG (standard error if unset): `loaded ...`
// when the library is loaded, `stall ...` when a call starts to sleep, so the bench can prove the
// shim took effect and count the stalls.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double every_seconds = 15;
static double stall_seconds = 5;
static double next_stall_at;  // monotonic seconds; guarded by lock
static const char *log_path;
// The real calls, found once at load; a call that comes before the constructor looks its own up.
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

// A number of seconds from the environment, within [low, high], else the fallback.
static double seconds_from_environment(const char *name, double fallback, double low, double high) {
    const char *text = getenv(name);
    if (text == NULL || *text == '\0') return fallback;
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !(value >= low && value <= high)) return fallback;
    return value;
}

// One line to the log; never fsyncs, so it cannot recurse.
static void note(const char *format, ...) {
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof line - 1, format, arguments);
    va_end(arguments);
    if (length < 0) return;
    if (length > (int)sizeof line - 2) length = (int)sizeof line - 2;
    line[length++] = '\n';
    int fd = log_path ? open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : 2;
    if (fd < 0) return;
    ssize_t written = write(fd, line, (size_t)length);
    (void)written;
    if (log_path) close(fd);
}

__attribute__((constructor)) static void slow_fsync_load(void) {
    every_seconds = seconds_from_environment("WOK_SLOW_FSYNC_EVERY_SECONDS", 15, 0.1, 3600);
    stall_seconds = seconds_from_environment("WOK_SLOW_FSYNC_STALL_SECONDS", 5, 0, 600);
    log_path = getenv("WOK_SLOW_FSYNC_LOG");
    next_stall_at = monotonic_seconds() + every_seconds;
    real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    note("loaded into pid %d: every %g s one fsync or fdatasync sleeps %g s", (int)getpid(), every_seconds, stall_seconds);
}

// Whether this call is the one that stalls; the next stall is due a whole interval after this one ends.
static int take_stall(void) {
    pthread_mutex_lock(&lock);
    double now = monotonic_seconds();
    int due = now >= next_stall_at;
    if (due) next_stall_at = now + stall_seconds + every_seconds;
    pthread_mutex_unlock(&lock);
    return due;
}

static void maybe_stall(const char *call, int fd) {
    if (!take_stall()) return;
    note("stall %s(fd %d) for %g s", call, fd, stall_seconds);
    struct timespec left = {(time_t)stall_seconds, (long)((stall_seconds - (double)(time_t)stall_seconds) * 1e9)};
    while (nanosleep(&left, &left) == -1 && errno == EINTR) {
    }
}

static int call_real(int (*real)(int), const char *name, int fd) {
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, name);
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    maybe_stall(name, fd);
    return real(fd);
}

int fsync(int fd) { return call_real(real_fsync, "fsync", fd); }

int fdatasync(int fd) { return call_real(real_fdatasync, "fdatasync", fd); }
