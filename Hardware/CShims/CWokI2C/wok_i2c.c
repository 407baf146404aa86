// Thin wrappers over libi2c's SMBus calls and the i2c-dev ioctls; see wok_i2c.h.
#include "wok_i2c.h"

#include <errno.h>
#include <fcntl.h>
#include <i2c/smbus.h>
#include <linux/i2c-dev.h>
#include <sys/ioctl.h>
#include <unistd.h>

// A signal can interrupt a system call before it did anything; trying again is then safe.
// Bounded so a storm of signals cannot stall a control tick.
enum { interrupted_call_attempts = 3 };

// Runs `call` until it does not fail with EINTR (at most interrupted_call_attempts times) and
// turns the "-1 and errno" convention (or libi2c's negative return) into -errno.
#define WOK_RETRY_EINTR(call)                                                  \
    do {                                                                       \
        int result_ = -EINTR;                                                  \
        for (int attempt_ = 0; attempt_ < interrupted_call_attempts; attempt_++) { \
            errno = 0;                                                         \
            result_ = (call);                                                  \
            if (result_ >= 0) return result_;                                  \
            result_ = errno != 0 ? -errno : (result_ == -1 ? -EIO : result_);  \
            if (result_ != -EINTR) return result_;                             \
        }                                                                      \
        return result_;                                                        \
    } while (0)

int wok_i2c_open(const char *path) { WOK_RETRY_EINTR(open(path, O_RDWR | O_CLOEXEC)); }

int wok_i2c_set_address(int fd, uint8_t address) {
    WOK_RETRY_EINTR(ioctl(fd, I2C_SLAVE, (unsigned long)address));
}

int wok_i2c_set_timeout(int fd, unsigned int tens_of_milliseconds) {
    WOK_RETRY_EINTR(ioctl(fd, I2C_TIMEOUT, (unsigned long)tens_of_milliseconds));
}

int wok_i2c_read_byte_data(int fd, uint8_t reg) { WOK_RETRY_EINTR(i2c_smbus_read_byte_data(fd, reg)); }

int wok_i2c_read_word_data(int fd, uint8_t reg) { WOK_RETRY_EINTR(i2c_smbus_read_word_data(fd, reg)); }

int wok_i2c_write_byte_data(int fd, uint8_t reg, uint8_t value) {
    WOK_RETRY_EINTR(i2c_smbus_write_byte_data(fd, reg, value));
}

int wok_i2c_write_word_data(int fd, uint8_t reg, uint16_t value) {
    WOK_RETRY_EINTR(i2c_smbus_write_word_data(fd, reg, value));
}

int wok_i2c_close(int fd) {
    // close() must not be retried on Linux: the descriptor is gone even when it reports EINTR.
    return close(fd) == 0 ? 0 : -errno;
}
