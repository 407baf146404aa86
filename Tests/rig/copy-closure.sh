#!/usr/bin/env bash
# Copies programs' shared libraries (their ldd closure, and the dynamic loader) into an initramfs
# root at the paths the loader searches. run.sh calls it through with-libgpiod2.sh for the 2.x
# build, so ldd resolves libgpiod.so.3 from the overlay and the copy reads it from there.
# Usage: Tests/rig/copy-closure.sh ROOT PROGRAM...
set -euo pipefail
root=$1
shift
for program in "$@"; do
    ldd "$program" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}'
done | sort -u | while read -r library; do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
    echo "$library"
done
