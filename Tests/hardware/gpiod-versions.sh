#!/usr/bin/env bash
# Proves the GPIO shim builds and links against both libgpiod APIs:
#   v1: the system's libgpiod 1.6 (Debian bookworm's libgpiod-dev, installed by .ci/setup);
#   v2: libgpiod 2.x from bookworm-backports, fetched with apt into a cache outside the checkout
#       (no apt source is added to the system), unpacked there, never installed.
# For each, it compiles the shim with warnings as errors, links a tiny program that asks the shim
# which API it was built for, runs it, and builds the Swift hardware target against that API.
# Usage: Tests/hardware/gpiod-versions.sh [--shim-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cache="${WOK_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-rig}"
shim_only=false
[ "${1:-}" = "--shim-only" ] && shim_only=true
mkdir -p "$cache"
start=$(date +%s)

# --- libgpiod 2.x headers and library, from bookworm-backports, into the cache -----------------
v2="$cache/libgpiod2"
if [ ! -f "$v2/usr/include/gpiod.h" ]; then
    apt_dir="$cache/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$cache/debs"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'deb [signed-by=%s] http://deb.debian.org/debian bookworm-backports main\n' "$keyring" >"$apt_dir/sources.list"
    apt_options=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Cache::Archives=$apt_dir/archives"
        -o APT::Sandbox::User=root)
    apt-get "${apt_options[@]}" update -qq
    (cd "$cache/debs" && apt-get "${apt_options[@]}" download -qq libgpiod-dev/bookworm-backports libgpiod3/bookworm-backports)
    mkdir -p "$v2"
    for deb in "$cache"/debs/libgpiod-dev_2.*.deb "$cache"/debs/libgpiod3_2.*.deb; do dpkg-deb -x "$deb" "$v2"; done
fi
v2_include="$v2/usr/include"
v2_lib="$v2/usr/lib/x86_64-linux-gnu"

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
    printf("api=%d missing-chip=%d\n", wok_gpio_api_version(), result);
    return 0;
}
C

check_api() {  # name, expected api, extra compiler flags...
    local name=$1 expected=$2
    shift 2
    cc -std=c11 -Wall -Wextra -Werror -I"$shim/include" "$@" -o "$build/which_api_$name" \
        "$build/which_api.c" "$shim/wok_gpio.c" -lgpiod
    local output
    output=$(LD_LIBRARY_PATH="$v2_lib" "$build/which_api_$name")
    echo "libgpiod $name: $output"
    [[ $output == "api=$expected missing-chip=-2" ]] || { echo "expected api=$expected missing-chip=-2" >&2; exit 1; }
}
check_api v1 1
check_api v2 2 -I"$v2_include" -L"$v2_lib" -Wl,-rpath,"$v2_lib"

if ! $shim_only; then
    # The Swift hardware target (shims, drivers, probe) against each API. The v2 build uses its
    # own scratch directory so the checkout's .build stays a v1 build.
    nice -n 10 swift build --target WokHardware >/dev/null
    echo "swift build --target WokHardware against libgpiod v1: ok"
    nice -n 10 swift build --target WokHardware --scratch-path "$cache/swift-build-gpiod2" \
        -Xcc -I"$v2_include" -Xlinker -L"$v2_lib" >/dev/null
    echo "swift build --target WokHardware against libgpiod v2: ok"
fi
echo "gpiod-versions: both libgpiod APIs build ($(( $(date +%s) - start )) s)"
