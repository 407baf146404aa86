// The few Linux I2C calls the Swift transport makes, as plain functions Swift can import.
//
// Swift cannot call the variadic ioctl() or use the function-like parts of <linux/i2c-dev.h>,
// so these wrappers do it. Every function returns a non-negative result on success and
// -errno on failure, so no caller has to read errno after the fact.
#ifndef WOK_I2C_H
#define WOK_I2C_H

#include <stdint.h>

/// Opens an I2C character device (e.g. "/dev/i2c-1") read-write, close-on-exec: fd or -errno.
int wok_i2c_open(const char *path);

/// Addresses later transfers on `fd` to the 7-bit `address` (ioctl I2C_SLAVE): 0 or -errno.
int wok_i2c_set_address(int fd, uint8_t address);

/// Sets the adapter's transfer timeout in units of 10 ms (ioctl I2C_TIMEOUT): 0 or -errno.
int wok_i2c_set_timeout(int fd, unsigned int tens_of_milliseconds);

/// SMBus "read byte data": the byte (0...255) or -errno.
int wok_i2c_read_byte_data(int fd, uint8_t reg);

/// SMBus "read word data" as the bus delivers it (first byte on the wire in the low 8 bits):
/// the word (0...65535) or -errno.
int wok_i2c_read_word_data(int fd, uint8_t reg);

/// SMBus "write byte data": 0 or -errno.
int wok_i2c_write_byte_data(int fd, uint8_t reg, uint8_t value);

/// SMBus "write word data", `value`'s low 8 bits first on the wire: 0 or -errno. The driver never
/// writes words; the kernel-level rig's plant uses it to fill i2c-stub's registers.
int wok_i2c_write_word_data(int fd, uint8_t reg, uint16_t value);

/// Closes the descriptor: 0 or -errno.
int wok_i2c_close(int fd);

#endif
