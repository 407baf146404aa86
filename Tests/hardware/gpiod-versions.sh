#!/usr/bin/env bash
# Proves the GPIO shim builds and links against both libgpiod APIs:
#   v1: the system's libgpiod 1.6 (Debian bookworm's libgpiod-dev, installed by .ci/setup);
#   v2: libgpiod 2.x from bookworm-backports, fetched into a cache outside the checkout and never
#       installed (fetch-libgpiod2.sh), used through with-libgpiod2.sh: a private mount namespace
#       in which the 2.x files lie over /usr, so nothing of 1.6 can be picked up.
# For each, it compiles the shim with warnings as errors, links a tiny program that asks the shim
# which API it was built for and which library it loaded, runs it, and builds the Swift hardware
# target against that API. Tests/rig/run.sh then runs the release programs on each in a VM.
# Usage: Tests/hardware/gpiod-versions.sh [--shim-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cache="${WOK_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-rig}"
shim_only=false
[ "${1:-}" = "--shim-only" ] && shim_only=true
mkdir -p "$cache"
start=$(date +%s)
bash Tests/hardware/fetch-libgpiod2.sh >/dev/null
in_v2=(bash "$repo/Tests/hardware/with-libgpiod2.sh")

shim="$repo/Hardware/CShims/CWokGPIO"
build="$cache/gpiod-shim-build"
mkdir -p "$build"
cat >"$build/which_api.c" <<'C'
#include <stdio.h>
#include "wok_gpio.h"
int main(void) {
    wok_gpio_chip_info info;
    // A chip that does not exist: exercises the library without touching any GPIO.
    int result = wok_gpio_read_chip_info("/nonexistent/gpiochip9", &info);
    // Every request (output, input, input with edges) goes through the library to the missing
    // chip and back.
    wok_gpio_line *line = NULL;
    int output = wok_gpio_request_output("/nonexistent/gpiochip9", 4, false, "wokd", false, &line);
    int input = wok_gpio_request_input("/nonexistent/gpiochip9", 5, true, "wokd", &line);
    int edges = wok_gpio_request_input_edges("/nonexistent/gpiochip9", 6, true, WOK_GPIO_BIAS_PULL_UP, "wokd", &line);
    wok_gpio_line_info line_info;
    int named = wok_gpio_read_line_info("/nonexistent/gpiochip9", 6, &line_info);
    printf("api=%d library=%s missing-chip=%d output=%d input=%d edges=%d line-info=%d\n", wok_gpio_api_version(),
           wok_gpio_library_version(), result, output, input, edges, named);
    return line == NULL ? 0 : 1;
}
C

check_api() {  # name, expected api, then the command prefix that makes the system that API's
    local name=$1 expected=$2
    shift 2
    "$@" cc -std=c11 -Wall -Wextra -Werror -I"$shim/include" -o "$build/which_api_$name" \
        "$build/which_api.c" "$shim/wok_gpio.c" -lgpiod
    local output needed
    output=$("$@" "$build/which_api_$name")
    needed=$(readelf -d "$build/which_api_$name" | sed -n 's/.*Shared library: \[\(libgpiod[^]]*\)\].*/\1/p' | tr '\n' ' ')
    echo "libgpiod $name: $output; needs $needed"
    [[ $output == "api=$expected library=$expected."*" missing-chip=-2 output=-2 input=-2 edges=-2 line-info=-2" ]] \
        || { echo "expected api=$expected, a $expected.x library and -2 (no such chip) from each call" >&2; exit 1; }
    [[ $needed == "libgpiod.so.$((expected + 1)) " ]] \
        || { echo "expected to need libgpiod.so.$((expected + 1)) only" >&2; exit 1; }
}
check_api v1 1 env
check_api v2 2 "${in_v2[@]}"

if ! $shim_only; then
    # The Swift hardware target (shims, drivers, probe) against each API. The v2 build uses its
    # own scratch directory so the checkout's .build stays a v1 build.
    nice -n 10 swift build --target WokHardware >/dev/null
    echo "swift build --target WokHardware against libgpiod v1: ok"
    "${in_v2[@]}" nice -n 10 swift build --target WokHardware --scratch-path "$cache/swift-build-gpiod2" >/dev/null
    echo "swift build --target WokHardware against libgpiod v2: ok"
fi
echo "gpiod-versions: both libgpiod APIs build ($(( $(date +%s) - start )) s)"
