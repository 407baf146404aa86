// The libgpiod calls behind wok_gpio.h, for API v1 (libgpiod 1.x) and API v2 (libgpiod 2.x).
#include "wok_gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// Only API v1 defines this macro (its fixed-size line bulk); API v2 dropped bulks entirely.
#ifdef GPIOD_LINE_BULK_MAX_LINES
#define WOK_GPIOD_API 1
#else
#define WOK_GPIOD_API 2
#endif

int wok_gpio_api_version(void) { return WOK_GPIOD_API; }

const char *wok_gpio_library_version(void) {
#if WOK_GPIOD_API == 1
    return gpiod_version_string();
#else
    return gpiod_api_version();
#endif
}

// A failed libgpiod call leaves errno set; a call that failed without setting it is an EIO.
static int failure(void) { return errno != 0 ? -errno : -EIO; }

static void copy_text(char *destination, size_t size, const char *source) {
    if (size == 0) return;
    if (source == NULL) source = "";
    strncpy(destination, source, size - 1);
    destination[size - 1] = '\0';
}

#if WOK_GPIOD_API == 1

struct wok_gpio_line {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
};

int wok_gpio_read_chip_info(const char *chip_path, wok_gpio_chip_info *info) {
    errno = 0;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    copy_text(info->label, sizeof info->label, gpiod_chip_label(chip));
    info->line_count = gpiod_chip_num_lines(chip);
    gpiod_chip_close(chip);
    return 0;
}

int wok_gpio_read_line_info(const char *chip_path, unsigned int offset, wok_gpio_line_info *info) {
    errno = 0;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_line *line = gpiod_chip_get_line(chip, offset);
    if (line == NULL) {
        int error = failure();
        gpiod_chip_close(chip);
        return error;
    }
    info->is_used = gpiod_line_is_used(line);
    info->is_output = gpiod_line_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT;
    info->is_active_low = gpiod_line_active_state(line) == GPIOD_LINE_ACTIVE_STATE_LOW;
    copy_text(info->consumer, sizeof info->consumer, gpiod_line_consumer(line));
    copy_text(info->name, sizeof info->name, gpiod_line_name(line));
    gpiod_chip_close(chip);
    return 0;
}

int wok_gpio_request_output(const char *chip_path, unsigned int offset, bool active_low,
                            const char *consumer, bool initial_active, wok_gpio_line **out) {
    errno = 0;
    struct wok_gpio_line *result = calloc(1, sizeof *result);
    if (result == NULL) return -ENOMEM;
    result->chip = gpiod_chip_open(chip_path);
    if (result->chip == NULL) {
        int error = failure();
        free(result);
        return error;
    }
    result->line = gpiod_chip_get_line(result->chip, offset);
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    if (result->line == NULL ||
        gpiod_line_request_output_flags(result->line, consumer, flags, initial_active ? 1 : 0) < 0) {
        int error = failure();
        gpiod_chip_close(result->chip);
        free(result);
        return error;
    }
    *out = result;
    return 0;
}

int wok_gpio_request_input(const char *chip_path, unsigned int offset, bool active_low,
                           const char *consumer, wok_gpio_line **out) {
    errno = 0;
    struct wok_gpio_line *result = calloc(1, sizeof *result);
    if (result == NULL) return -ENOMEM;
    result->chip = gpiod_chip_open(chip_path);
    if (result->chip == NULL) {
        int error = failure();
        free(result);
        return error;
    }
    result->line = gpiod_chip_get_line(result->chip, offset);
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    if (result->line == NULL || gpiod_line_request_input_flags(result->line, consumer, flags) < 0) {
        int error = failure();
        gpiod_chip_close(result->chip);
        free(result);
        return error;
    }
    *out = result;
    return 0;
}

static int v1_bias_flags(wok_gpio_bias bias) {
    switch (bias) {
    case WOK_GPIO_BIAS_PULL_UP: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
    case WOK_GPIO_BIAS_PULL_DOWN: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    case WOK_GPIO_BIAS_DISABLED: return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
    default: return 0;
    }
}

int wok_gpio_request_input_edges(const char *chip_path, unsigned int offset, bool active_low,
                                 wok_gpio_bias bias, const char *consumer, wok_gpio_line **out) {
    errno = 0;
    struct wok_gpio_line *result = calloc(1, sizeof *result);
    if (result == NULL) return -ENOMEM;
    result->chip = gpiod_chip_open(chip_path);
    if (result->chip == NULL) {
        int error = failure();
        free(result);
        return error;
    }
    result->line = gpiod_chip_get_line(result->chip, offset);
    int flags = (active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0) | v1_bias_flags(bias);
    if (result->line == NULL || gpiod_line_request_both_edges_events_flags(result->line, consumer, flags) < 0) {
        int error = failure();
        gpiod_chip_close(result->chip);
        free(result);
        return error;
    }
    *out = result;
    return 0;
}

int wok_gpio_read_edges(wok_gpio_line *line, wok_gpio_edge *edges, unsigned int max) {
    unsigned int count = 0;
    struct gpiod_line_event event;
    // A zero timeout: the wait only asks whether an edge is there, it never sleeps.
    const struct timespec now = {0, 0};
    while (count < max) {
        errno = 0;
        int ready = gpiod_line_event_wait(line->line, &now);
        if (ready < 0) return failure();
        if (ready == 0) break;
        if (gpiod_line_event_read(line->line, &event) < 0) return failure();
        edges[count].rising = event.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
        edges[count].timestamp_ns =
            (unsigned long long)event.ts.tv_sec * 1000000000ULL + (unsigned long long)event.ts.tv_nsec;
        count++;
    }
    return (int)count;
}

int wok_gpio_set(wok_gpio_line *line, bool active) {
    errno = 0;
    return gpiod_line_set_value(line->line, active ? 1 : 0) < 0 ? failure() : 0;
}

int wok_gpio_get(wok_gpio_line *line) {
    errno = 0;
    int value = gpiod_line_get_value(line->line);
    return value < 0 ? failure() : value;
}

void wok_gpio_release(wok_gpio_line *line) {
    if (line == NULL) return;
    gpiod_line_release(line->line);
    gpiod_chip_close(line->chip);  // also releases any line still requested
    free(line);
}

#else  // API v2

struct wok_gpio_line {
    struct gpiod_line_request *request;
    unsigned int offset;
    /// Where edges are read into; only for lines requested with edges.
    struct gpiod_edge_event_buffer *edges;
};

int wok_gpio_read_chip_info(const char *chip_path, wok_gpio_chip_info *info) {
    errno = 0;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_chip_info *chip_info = gpiod_chip_get_info(chip);
    if (chip_info == NULL) {
        int error = failure();
        gpiod_chip_close(chip);
        return error;
    }
    copy_text(info->label, sizeof info->label, gpiod_chip_info_get_label(chip_info));
    info->line_count = (unsigned int)gpiod_chip_info_get_num_lines(chip_info);
    gpiod_chip_info_free(chip_info);
    gpiod_chip_close(chip);
    return 0;
}

int wok_gpio_read_line_info(const char *chip_path, unsigned int offset, wok_gpio_line_info *info) {
    errno = 0;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) return failure();
    struct gpiod_line_info *line_info = gpiod_chip_get_line_info(chip, offset);
    if (line_info == NULL) {
        int error = failure();
        gpiod_chip_close(chip);
        return error;
    }
    info->is_used = gpiod_line_info_is_used(line_info);
    info->is_output = gpiod_line_info_get_direction(line_info) == GPIOD_LINE_DIRECTION_OUTPUT;
    info->is_active_low = gpiod_line_info_is_active_low(line_info);
    copy_text(info->consumer, sizeof info->consumer, gpiod_line_info_get_consumer(line_info));
    copy_text(info->name, sizeof info->name, gpiod_line_info_get_name(line_info));
    gpiod_line_info_free(line_info);
    gpiod_chip_close(chip);
    return 0;
}

// Requests one line with `settings` (direction and values already set) as `consumer`.
static int request_line(const char *chip_path, unsigned int offset, bool active_low, const char *consumer,
                        struct gpiod_line_settings *settings, wok_gpio_line **out) {
    int error = 0;
    struct wok_gpio_line *result = calloc(1, sizeof *result);
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    struct gpiod_line_config *line_config = gpiod_line_config_new();
    struct gpiod_request_config *request_config = gpiod_request_config_new();
    if (result == NULL || line_config == NULL || request_config == NULL) {
        error = -ENOMEM;
    } else if (chip == NULL) {
        error = failure();
    } else {
        gpiod_line_settings_set_active_low(settings, active_low);
        // The line config copies the settings, so they are complete before they are added.
        if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) < 0) {
            error = failure();
        } else {
            gpiod_request_config_set_consumer(request_config, consumer);
            result->request = gpiod_chip_request_lines(chip, request_config, line_config);
            result->offset = offset;
            if (result->request == NULL) error = failure();
        }
    }
    if (request_config != NULL) gpiod_request_config_free(request_config);
    if (line_config != NULL) gpiod_line_config_free(line_config);
    // A request outlives the chip handle it came from.
    if (chip != NULL) gpiod_chip_close(chip);
    if (error != 0) {
        free(result);
        return error;
    }
    *out = result;
    return 0;
}

int wok_gpio_request_input(const char *chip_path, unsigned int offset, bool active_low,
                           const char *consumer, wok_gpio_line **out) {
    errno = 0;
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) return -ENOMEM;
    int error = gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT) < 0
                    ? failure()
                    : request_line(chip_path, offset, active_low, consumer, settings, out);
    gpiod_line_settings_free(settings);
    return error;
}

int wok_gpio_request_output(const char *chip_path, unsigned int offset, bool active_low,
                            const char *consumer, bool initial_active, wok_gpio_line **out) {
    errno = 0;
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) return -ENOMEM;
    int error = 0;
    if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT) < 0 ||
        gpiod_line_settings_set_output_value(
            settings, initial_active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0) {
        error = failure();
    } else {
        error = request_line(chip_path, offset, active_low, consumer, settings, out);
    }
    gpiod_line_settings_free(settings);
    return error;
}

// Edges are read in batches of at most this many.
#define WOK_EDGE_BUFFER 16

static enum gpiod_line_bias v2_bias(wok_gpio_bias bias) {
    switch (bias) {
    case WOK_GPIO_BIAS_PULL_UP: return GPIOD_LINE_BIAS_PULL_UP;
    case WOK_GPIO_BIAS_PULL_DOWN: return GPIOD_LINE_BIAS_PULL_DOWN;
    case WOK_GPIO_BIAS_DISABLED: return GPIOD_LINE_BIAS_DISABLED;
    default: return GPIOD_LINE_BIAS_AS_IS;
    }
}

int wok_gpio_request_input_edges(const char *chip_path, unsigned int offset, bool active_low,
                                 wok_gpio_bias bias, const char *consumer, wok_gpio_line **out) {
    errno = 0;
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    struct gpiod_edge_event_buffer *buffer = gpiod_edge_event_buffer_new(WOK_EDGE_BUFFER);
    int error = 0;
    if (settings == NULL || buffer == NULL) {
        error = -ENOMEM;
    } else if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT) < 0 ||
               gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH) < 0 ||
               gpiod_line_settings_set_bias(settings, v2_bias(bias)) < 0) {
        error = failure();
    } else {
        error = request_line(chip_path, offset, active_low, consumer, settings, out);
    }
    if (settings != NULL) gpiod_line_settings_free(settings);
    if (error != 0) {
        if (buffer != NULL) gpiod_edge_event_buffer_free(buffer);
        return error;
    }
    (*out)->edges = buffer;
    return 0;
}

int wok_gpio_read_edges(wok_gpio_line *line, wok_gpio_edge *edges, unsigned int max) {
    if (line->edges == NULL) return -EINVAL;
    unsigned int count = 0;
    while (count < max) {
        errno = 0;
        // A zero timeout: the wait only asks whether an edge is there, it never sleeps.
        int ready = gpiod_line_request_wait_edge_events(line->request, 0);
        if (ready < 0) return failure();
        if (ready == 0) break;
        size_t room = max - count < WOK_EDGE_BUFFER ? max - count : WOK_EDGE_BUFFER;
        int read = gpiod_line_request_read_edge_events(line->request, line->edges, room);
        if (read < 0) return failure();
        for (int index = 0; index < read; index++) {
            struct gpiod_edge_event *event = gpiod_edge_event_buffer_get_event(line->edges, (unsigned long)index);
            edges[count].rising = gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
            edges[count].timestamp_ns = (unsigned long long)gpiod_edge_event_get_timestamp_ns(event);
            count++;
        }
        if (read == 0) break;
    }
    return (int)count;
}

int wok_gpio_set(wok_gpio_line *line, bool active) {
    errno = 0;
    enum gpiod_line_value value = active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    return gpiod_line_request_set_value(line->request, line->offset, value) < 0 ? failure() : 0;
}

int wok_gpio_get(wok_gpio_line *line) {
    errno = 0;
    enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
    return value == GPIOD_LINE_VALUE_ERROR ? failure() : (value == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0);
}

void wok_gpio_release(wok_gpio_line *line) {
    if (line == NULL) return;
    gpiod_line_request_release(line->request);
    if (line->edges != NULL) gpiod_edge_event_buffer_free(line->edges);
    free(line);
}

#endif
