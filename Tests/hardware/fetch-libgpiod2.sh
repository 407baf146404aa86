#!/usr/bin/env bash
# Fetches libgpiod 2.x (libgpiod-dev and libgpiod3) from bookworm-backports into a cache outside
# the checkout and unpacks them there; nothing is installed and no apt source is added to the
# system (apt runs on a private source list and private state under the cache).
# Prints the unpacked tree (it holds usr/include/gpiod.h, usr/lib/x86_64-linux-gnu/...).
# Usage: Tests/hardware/fetch-libgpiod2.sh
set -euo pipefail
cache="${WOK_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-rig}"
v2="$cache/libgpiod2"
if [ ! -f "$v2/usr/include/gpiod.h" ] || [ ! -e "$v2/usr/lib/x86_64-linux-gnu/libgpiod.so.3" ]; then
    apt_dir="$cache/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$cache/debs"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'deb [signed-by=%s] http://deb.debian.org/debian bookworm-backports main\n' "$keyring" >"$apt_dir/sources.list"
    apt_options=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir" -o "Dir::Cache::Archives=$apt_dir/archives"
        -o APT::Sandbox::User=root)
    apt-get "${apt_options[@]}" update -qq >&2
    (cd "$cache/debs" && apt-get "${apt_options[@]}" download -qq libgpiod-dev/bookworm-backports \
        libgpiod3/bookworm-backports >&2)
    mkdir -p "$v2"
    for deb in "$cache"/debs/libgpiod-dev_2.*.deb "$cache"/debs/libgpiod3_2.*.deb; do dpkg-deb -x "$deb" "$v2"; done
fi
echo "$v2"
