// GPIO lines through libgpiod (outputs for the relays and the buzzer, inputs for the
// flame-proven signal and the buttons), whichever of its two APIs the system has.
//
// libgpiod 1.6 (Debian bookworm, Raspberry Pi OS bookworm) and libgpiod 2.x (Debian trixie,
// current Raspberry Pi OS) name and shape everything differently. This shim picks the right
// calls at compile time from <gpiod.h>, so Swift sees one small API. Every function that can
// fail returns a non-negative value on success and -errno on failure.
#ifndef WOK_GPIO_H
#define WOK_GPIO_H

#include <stdbool.h>
#include <stddef.h>

/// A requested line (output or input); opaque to callers.
typedef struct wok_gpio_line wok_gpio_line;

/// What a chip says about itself.
typedef struct {
    /// The chip's label, e.g. "pinctrl-bcm2711" (always NUL-terminated, possibly truncated).
    char label[64];
    /// How many lines the chip has.
    unsigned int line_count;
} wok_gpio_chip_info;

/// What the kernel says about one line, without requesting it.
typedef struct {
    /// Some process (or kernel driver) holds the line.
    bool is_used;
    /// The line is configured as an output.
    bool is_output;
    /// The line's holder asked for active-low.
    bool is_active_low;
    /// The holder's consumer name, or "" (always NUL-terminated, possibly truncated).
    char consumer[64];
    /// The line's name as the device tree gives it (e.g. "GPIO17"), or "".
    char name[64];
} wok_gpio_line_info;

/// The pull an input line is requested with.
typedef enum {
    WOK_GPIO_BIAS_AS_IS = 0,
    WOK_GPIO_BIAS_PULL_UP = 1,
    WOK_GPIO_BIAS_PULL_DOWN = 2,
    WOK_GPIO_BIAS_DISABLED = 3,
} wok_gpio_bias;

/// One edge on an input line requested for edge events.
typedef struct {
    /// The line became active (logically: an active-low line going low is "rising").
    bool rising;
    /// When the kernel saw the edge, in nanoseconds of its monotonic clock.
    unsigned long long timestamp_ns;
} wok_gpio_edge;

/// The libgpiod API this shim was compiled against: 1 or 2.
int wok_gpio_api_version(void);

/// The version of the libgpiod library loaded at run time, e.g. "1.6.3" or "2.1.3": the API
/// above is fixed when the shim is compiled, this tells which shared library the program got.
const char *wok_gpio_library_version(void);

/// Reads the chip's label and line count from `chip_path` (e.g. "/dev/gpiochip0"): 0 or -errno.
int wok_gpio_read_chip_info(const char *chip_path, wok_gpio_chip_info *info);

/// Reads what the kernel reports about line `offset` on `chip_path`: 0 or -errno.
int wok_gpio_read_line_info(const char *chip_path, unsigned int offset, wok_gpio_line_info *info);

/// Requests line `offset` on `chip_path` as an output for `consumer`, driven to the logical
/// `initial_active` value in the same request (so it is never briefly the other way), with the
/// active-low flag as given. On success stores the line in `*line` and returns 0; else -errno.
int wok_gpio_request_output(const char *chip_path, unsigned int offset, bool active_low,
                            const char *consumer, bool initial_active, wok_gpio_line **line);

/// Requests line `offset` on `chip_path` as an input for `consumer`, with the active-low flag as
/// given and the bias left as the wiring makes it. On success stores the line in `*line` and
/// returns 0; else -errno. Read it with wok_gpio_get, give it back with wok_gpio_release.
int wok_gpio_request_input(const char *chip_path, unsigned int offset, bool active_low,
                           const char *consumer, wok_gpio_line **line);

/// Requests line `offset` on `chip_path` as an input that reports both edges, with the
/// active-low flag and the bias as given. Read its edges with wok_gpio_read_edges (which never
/// waits); wok_gpio_get reads its level. Returns 0 or -errno.
int wok_gpio_request_input_edges(const char *chip_path, unsigned int offset, bool active_low,
                                 wok_gpio_bias bias, const char *consumer, wok_gpio_line **line);

/// Moves up to `max` edges the kernel holds for a line requested with edges into `edges`,
/// oldest first, without waiting for any: the count (0 when none wait), or -errno.
int wok_gpio_read_edges(wok_gpio_line *line, wok_gpio_edge *edges, unsigned int max);

/// Drives the requested line to a logical value: 0 or -errno.
int wok_gpio_set(wok_gpio_line *line, bool active);

/// Reads the requested line's logical value (an output's driven value, an input's level): 0 or
/// 1, or -errno.
int wok_gpio_get(wok_gpio_line *line);

/// Releases the line to the kernel and frees it; `line` is invalid afterwards. Accepts NULL.
void wok_gpio_release(wok_gpio_line *line);

#endif
