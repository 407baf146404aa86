// libsystemd's readiness and watchdog protocol (sd_notify, sd_watchdog_enabled).
#include <systemd/sd-daemon.h>
