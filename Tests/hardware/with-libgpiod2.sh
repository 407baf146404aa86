#!/usr/bin/env bash
# Runs a command in a system that looks as if bookworm-backports' libgpiod-dev 2.x were installed
# instead of bookworm's 1.6, without changing the host: a private mount namespace in which an
# overlay puts the unpacked 2.x files (fetch-libgpiod2.sh) over /usr. Inside, <gpiod.h>, libgpiod.so
# (-> libgpiod.so.3), libgpiod.a and pkgconfig/libgpiod.pc are the 2.x ones, so a plain build
# compiles and links against 2.x only; bookworm is merged-/usr, so /lib is covered too. The mount
# disappears with the command. Needs root (a mount namespace); the swift toolchain in /opt is
# untouched.
# Usage: Tests/hardware/with-libgpiod2.sh COMMAND [ARGUMENT...]
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 COMMAND [ARGUMENT...]" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    echo "with-libgpiod2.sh: needs root to make a private mount namespace (run as root, or use libgpiod 1.6 only)" >&2
    exit 1
fi
layer=$(bash "$(dirname "$0")/fetch-libgpiod2.sh")
# The check inside makes sure the overlay really is in place before anything is built.
exec unshare --mount --propagation private -- sh -c '
    mount -t overlay wok-libgpiod2 -o "lowerdir=$1/usr:/usr" /usr || exit 1
    if grep -q GPIOD_LINE_BULK_MAX_LINES /usr/include/gpiod.h || [ ! -e /usr/lib/x86_64-linux-gnu/libgpiod.so.3 ]; then
        echo "with-libgpiod2.sh: the overlay did not put libgpiod 2.x over /usr" >&2
        exit 1
    fi
    shift
    exec "$@"' sh "$layer" "$@"
