#!/usr/bin/env bash
# Builds the wok-station Debian package for this machine's architecture (docs/packaging.md).
# dpkg-buildpackage writes its results next to the source tree, so the tree (tracked files and new
# ones git does not ignore, as they are now) is copied to a work directory first; the copy keeps
# the files' times, so SwiftPM's build directory there stays incremental across runs.
# Usage: debian/build-package.sh [OUTPUT-DIR]   (default: the current directory)
#        WOK_DEB_WORK=DIR overrides the work directory (default ~/.cache/wok-station-deb).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
output=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
work="${WOK_DEB_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-station-deb}"
command -v swift >/dev/null || { echo "no swift on PATH: install the swift.org toolchain first (README.md)" >&2; exit 1; }
command -v dpkg-buildpackage >/dev/null || { echo "dpkg-buildpackage is missing: apt install dpkg-dev debhelper" >&2; exit 1; }

tree="$work/wok-station"
rm -rf "$tree"
mkdir -p "$tree"
# Files deleted in the working tree but not yet in git are left out.
present() { while IFS= read -r -d '' file; do [ -e "$file" ] || [ -L "$file" ] && printf '%s\0' "$file"; done; }
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | present | tar --null --no-recursion -T - -cf -) \
    | tar -xf - -C "$tree"
rm -f "$work"/wok-station_*

# -b: binary only; -us -uc: nothing signed. The Swift build directory lives beside the copy.
(cd "$tree" && WOK_SWIFT_SCRATCH="$work/swift-build" dpkg-buildpackage -b -us -uc) >&2
for file in "$work"/wok-station_*.deb; do
    cp "$file" "$output/"
    echo "$output/$(basename "$file")"
done
