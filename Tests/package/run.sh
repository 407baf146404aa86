#!/usr/bin/env bash
# The Debian package (issue 18; docs/packaging.md, "Tests"). Builds wok-station with
# debian/build-package.sh, runs lintian (an error fails, warnings are listed), checks the package's
# files, conffile and Depends, the maintainer scripts (sh -n, shellcheck) and the man pages, then
# installs it with dpkg into a bookworm chroot made by mmdebstrap and checks what install, remove
# and purge leave behind. No systemd runs in the chroot: Tests/package/vm.sh boots one for that.
# The chroot's tarball and the Swift build are cached under $WOK_DEB_WORK
# (default ~/.cache/wok-station-deb).
# Usage: Tests/package/run.sh    Exit 0 when every check passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${WOK_DEB_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-station-deb}"
export WOK_DEB_WORK=$work
mkdir -p "$work"
started=$SECONDS
stamp() { echo "[$((SECONDS - started)) s] $*" >&2; }

# Host tools, from Debian, installed only when missing (as .ci/setup does).
need=()
for package in build-essential dpkg-dev debhelper lintian shellcheck mmdebstrap jq python3 man-db; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || need+=("$package")
done
if ((${#need[@]})); then
    stamp "installing ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash .ci/setup

failures=0
check() { # check NAME OK(0/1) DETAIL
    if [ "$2" = 1 ]; then echo "  ok    $1: $3"; else echo "  FAIL  $1: $3"; failures=$((failures + 1)); fi
}
bool() { if "$@" >/dev/null 2>&1; then echo 1; else echo 0; fi; }

out=$(mktemp -d)
root=""
cleanup() {
    if [ -n "$root" ]; then
        umount "$root/proc" 2>/dev/null || true
        rm -rf --one-file-system -- "$root"
    fi
    rm -rf -- "$out"
}
trap cleanup EXIT

stamp "building the package (dpkg-buildpackage; the Swift release build is incremental)"
if ! deb=$(debian/build-package.sh "$out" 2>"$out/build.log" | grep '\.deb$' | head -1) || [ -z "$deb" ]; then
    tail -40 "$out/build.log" >&2
    check build 0 "debian/build-package.sh failed"
    exit 1
fi
check build 1 "$(basename "$deb"), $(du -h "$deb" | cut -f1); $(grep -m2 -E '^/.*\.[18]: ' "$out/build.log" | sed 's|.*/||' | tr '\n' ' ')"

stamp "lintian"
# Every tag is listed once with its count; docs/packaging.md explains each one that remains.
lintian_out=$(lintian --display-level '>=pedantic' --tag-display-limit 0 "$deb" 2>/dev/null || true)
errors=$(grep -c '^E: ' <<<"$lintian_out" || true)
warnings=$(grep -c '^W: ' <<<"$lintian_out" || true)
tags=$(grep -E '^[EWIP]: ' <<<"$lintian_out" | awk '{print $1, $3}' | sort | uniq -c | sort -rn || true)
while IFS= read -r line; do [ -z "$line" ] || echo "        $line"; done <<<"$tags"
check lintian "$(bool test "$errors" -eq 0)" "$errors error(s), $warnings warning(s), $(grep -c '^[IP]: ' <<<"$lintian_out" || true) info/pedantic tag(s)"

stamp "contents and control fields"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|')
expected=(
    /usr/bin/wokd /usr/bin/wokctl /usr/bin/wokweb /usr/bin/wokmqtt
    /usr/share/man/man8/wokd.8.gz /usr/share/man/man1/wokctl.1.gz
    /usr/share/man/man8/wokweb.8.gz /usr/share/man/man8/wokmqtt.8.gz
    /lib/systemd/system/wokd.service /lib/systemd/system/wokweb.service /lib/systemd/system/wokmqtt.service
    /usr/lib/sysusers.d/wokd.conf /usr/lib/sysusers.d/wokweb.conf /usr/lib/sysusers.d/wokmqtt.conf
    /lib/udev/rules.d/60-wok-devices.rules
    /etc/wok/station.json /etc/wok/mqtt.json
    /usr/share/doc/wok-station/examples/station.json
    /usr/share/doc/wok-station/copyright
)
for recipe in recipes/*.json; do expected+=("/usr/share/wok/recipes/$(basename "$recipe")"); done
for file in Sources/WokWeb/Page/*; do expected+=("/usr/share/wokweb/page/$(basename "$file")"); done
absent=()
for path in "${expected[@]}"; do grep -qxF "$path" <<<"$contents" || absent+=("$path"); done
check contents "$(bool test ${#absent[@]} -eq 0)" "${#expected[@]} files expected; missing: ${absent[*]:-none}"

control=$(mktemp -d -p "$out")
dpkg-deb -e "$deb" "$control"
check conffile "$(bool grep -qxF /etc/wok/station.json "$control/conffiles")" "conffiles: $(tr '\n' ' ' <"$control/conffiles")"
check conffile-mqtt "$(bool grep -qxF /etc/wok/mqtt.json "$control/conffiles")" "/etc/wok/mqtt.json is a conffile"
depends=$(dpkg-deb -f "$deb" Depends)
# Every shared library the binaries need must come from a package named in Depends.
unmet=()
libraries=()
extracted=$(mktemp -d -p "$out")
dpkg-deb -x "$deb" "$extracted"
for library in $(readelf -d "$extracted"/usr/bin/{wokd,wokctl,wokweb,wokmqtt} | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u); do
    owner=$(dpkg -S "*/$library" 2>/dev/null | grep -v -- '-dev' | head -1 | cut -d: -f1 || true)
    libraries+=("$library→${owner:-?}")
    # Depends as one package name per line (alternatives split, versions dropped).
    if [ -z "$owner" ] || ! sed 's/([^)]*)//g; s/[,|]/\n/g' <<<"$depends" | tr -d ' ' | grep -qxF "$owner"; then
        unmet+=("$library")
    fi
done
check depends "$(bool test ${#unmet[@]} -eq 0)" "Depends: $depends; needed: ${libraries[*]}; not covered: ${unmet[*]:-none}"
gpiod_needed=$(readelf -d "$extracted/usr/bin/wokd" | sed -n 's/.*\[\(libgpiod\.so\.[0-9]*\)\]/\1/p')
gpiod_package="libgpiod${gpiod_needed##*.}"
check libgpiod "$(bool grep -q "$gpiod_package " <<<"$depends")" "wokd needs $gpiod_needed, Depends names $gpiod_package"
unit_exec=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$extracted/lib/systemd/system/wokd.service")
check unit "$(bool test "$unit_exec" = /usr/bin/wokd -a -x "$extracted$unit_exec")" \
    "ExecStart runs $unit_exec; $(grep '^Documentation=' "$extracted/lib/systemd/system/wokd.service")"
# The page's and the bridge's units run the packaged binaries and name only packaged paths.
for unit in wokweb wokmqtt; do
    file="$extracted/lib/systemd/system/$unit.service"
    exec_line=$(sed -n 's/^ExecStart=//p' "$file")
    paths=$(grep -oE '/usr/[a-z/.-]+' <<<"$exec_line" | grep -vE '^/usr/share/doc/' || true)
    unpackaged=""
    for path in $paths; do [ -e "$extracted$path" ] || unpackaged+="$path "; done
    check "unit $unit" "$(bool test -z "$unpackaged" -a -n "$paths" -a "$(grep -c /usr/local "$file")" = 0)" \
        "ExecStart=$exec_line; not in the package: ${unpackaged:-none}"
done

scripts=()
for script in preinst postinst prerm postrm; do [ -f "$control/$script" ] && scripts+=("$control/$script"); done
syntax=1
for script in "${scripts[@]}"; do sh -n "$script" || syntax=0; done
check "sh -n" "$syntax" "${scripts[*]##*/}"
lint=$(shellcheck -s sh "${scripts[@]}" debian/postinst debian/postrm 2>&1 && shellcheck debian/build-package.sh debian/check-man-pages Tests/package/*.sh 2>&1) && lint_ok=1 || lint_ok=0
check shellcheck "$lint_ok" "the maintainer scripts as built and as written, and the build and test scripts${lint:+: $lint}"

man_dir=$(mktemp -d -p "$out")
cp "$extracted"/usr/bin/{wokd,wokctl,wokweb,wokmqtt} "$man_dir/"
gzip -dc "$extracted/usr/share/man/man8/wokd.8.gz" >"$man_dir/wokd.8"
gzip -dc "$extracted/usr/share/man/man1/wokctl.1.gz" >"$man_dir/wokctl.1"
gzip -dc "$extracted/usr/share/man/man8/wokweb.8.gz" >"$man_dir/wokweb.8"
gzip -dc "$extracted/usr/share/man/man8/wokmqtt.8.gz" >"$man_dir/wokmqtt.8"
man_check=$(debian/check-man-pages "$man_dir" 2>&1) && man_ok=1 || man_ok=0
check "man pages" "$man_ok" "$(tr '\n' ' ' <<<"$man_check")"

stamp "installing into a bookworm chroot (mmdebstrap)"
# The libraries the binaries link, named in the tarball's name so a change makes a new one.
chroot_libraries=libgpiod2,libi2c0,libsqlite3-0,libsystemd0,libmicrohttpd12,libmosquitto1
base="$work/bookworm-chroot-$(cksum <<<"$chroot_libraries" | cut -d' ' -f1).tar"
# A regular, non-empty tarball or nothing: anything else there is an interrupted earlier attempt.
if [ ! -f "$base" ] || [ ! -s "$base" ]; then
    rm -rf --one-file-system -- "$base" "$base.part"
    # The format is named: mmdebstrap guesses it from the name's extension, and ".part" has none.
    mmdebstrap --quiet --format=tar --variant=apt --include=systemd,systemd-sysv,udev,$chroot_libraries \
        bookworm "$base.part" http://deb.debian.org/debian >&2
    mv "$base.part" "$base"
fi
root=$(mktemp -d -p "$work" chroot.XXXXXX)
tar -xf "$base" -C "$root"
# Swift reads a program's arguments from /proc/self/cmdline.
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# dpkg, not apt: apt wants /proc and /dev/pts, and bind mounts under a directory this script
# removes are not worth the risk. The dependencies are in the chroot already, so dpkg checks them.
if ! in_root dpkg -i "/tmp/$(basename "$deb")" >"$out/install.log" 2>&1; then
    tail -30 "$out/install.log" >&2
    check install 0 "dpkg -i in the chroot failed"
    exit 1
fi
check install 1 "dpkg -i $(basename "$deb") with bookworm's libraries: $(grep -m1 '^Setting up' "$out/install.log")"
station=$(in_root stat -c '%U:%G %a' /etc/wok/station.json)
check station-file "$(bool test "$station" = "root:wok 640")" "/etc/wok/station.json is $station; devices section: $(jq 'has("devices")' "$root/etc/wok/station.json"), daemon.group: $(jq -r .daemon.group "$root/etc/wok/station.json")"
wokd_user=$(in_root id wokd 2>&1 || true)
check users "$(bool grep -q 'groups=.*(wok)' <<<"$wokd_user")" "$wokd_user"
check groups "$(bool in_root getent group gpio i2c)" "$(in_root getent group gpio i2c | cut -d: -f1,3 | tr '\n' ' ')"
web_users=$(in_root id wokweb 2>&1; in_root id wokmqtt 2>&1 || true)
check web-users "$(bool test "$(grep -c 'groups=.*(wok)' <<<"$web_users")" = 2)" "$(tr '\n' ' ' <<<"$web_users")"
enabled=$(in_root systemctl is-enabled wokd.service 2>&1 || true)
check enabled "$(bool test "$enabled" = enabled)" "systemctl is-enabled wokd: $enabled"
# Installed, not enabled: each opens the network, which wokd never does; the admin decides.
web_enabled=$(in_root systemctl is-enabled wokweb.service wokmqtt.service 2>&1 | tr '\n' ' ' || true)
check not-enabled "$(bool test "$web_enabled" = "disabled disabled ")" "systemctl is-enabled wokweb wokmqtt: $web_enabled"
verify=$(in_root systemd-analyze verify --man=no wokd.service wokweb.service wokmqtt.service 2>&1) && verified=1 || verified=0
check unit-verify "$verified" "systemd-analyze verify wokd.service wokweb.service wokmqtt.service${verify:+: $verify}"
mqtt_config=$(in_root stat -c '%U:%G %a' /etc/wok/mqtt.json)
check mqtt-config "$(bool test "$mqtt_config" = "root:wokmqtt 640")" "/etc/wok/mqtt.json is $mqtt_config"
# Both start with bookworm's libraries (the shlibs Depends were enough) and know their options.
helps=$(in_root sh -c 'wokweb --help >/dev/null && wokmqtt --help >/dev/null && wokctl web --help >/dev/null' 2>&1) && helped=1 || helped=0
check web-binaries "$helped" "wokweb --help, wokmqtt --help and wokctl web --help run in the chroot${helps:+: $helps}"
paired=$(in_root wokctl web pair --state-dir /tmp/wokweb-state 2>&1 || true)
check web-pair "$(bool grep -q '^Pairing code: [0-9]\{6\} ' <<<"$paired")" "wokctl web pair: $paired"
refused=$(in_root wokd --check-config 2>&1) && refused_status=0 || refused_status=$?
check check-config "$(bool test "$refused_status" = 1)" "the packaged station file: exit $refused_status, \"$refused\""
jq '.devices = input.devices' "$root/etc/wok/station.json" config/station.json >"$out/configured.json"
cp "$out/configured.json" "$root/etc/wok/station.json"
ready=$(in_root wokd --check-config 2>&1) && ready_status=0 || ready_status=$?
check configured "$(bool test "$ready_status" = 0)" "with the example's devices: exit $ready_status, \"$ready\""
found=$(in_root sh -c 'cd / && WOK_RECIPE_DIR= wokctl recipes list' 2>&1 | grep -c 'reheat' || true)
check recipes "$(bool test "$found" -ge 1)" "wokctl recipes list (from /) finds the packaged recipes: $(in_root sh -c 'cd / && wokctl recipes list' 2>&1 | head -2 | tr '\n' ' ')"
in_root man -w wokd >/dev/null 2>&1 && in_root man -w wokctl >/dev/null 2>&1 && man_found=1 || man_found=$(bool test -f "$root/usr/share/man/man8/wokd.8.gz")
check man-installed "$man_found" "/usr/share/man/man8/wokd.8.gz and man1/wokctl.1.gz"

# The history dir and wokweb's pairings as the services would leave them, to see purge remove them.
mkdir -p "$root/var/lib/wokd" "$root/var/lib/wokweb" && touch "$root/var/lib/wokd/history.sqlite" "$root/var/lib/wokweb/tokens"
in_root dpkg --remove wok-station >"$out/remove.log" 2>&1 && removed=1 || removed=0
kept=$(bool test -f "$root/etc/wok/station.json" -a -d "$root/var/lib/wokd" -a ! -e "$root/usr/bin/wokd")
check remove "$((removed & kept))" "dpkg --remove: binaries gone, the edited station file and /var/lib/wokd kept"
in_root dpkg --purge wok-station >"$out/purge.log" 2>&1 && purged=1 || purged=0
leftovers=""
for path in etc/wok var/lib/wokd var/lib/wokweb etc/systemd/system/multi-user.target.wants/wokd.service \
    var/lib/systemd/deb-systemd-helper-enabled/wokd.service var/lib/systemd/deb-systemd-helper-masked/wokd.service; do
    if [ -e "$root/$path" ] || [ -L "$root/$path" ]; then leftovers+="/$path "; fi
done
override=$(in_root dpkg-statoverride --list /etc/wok/station.json /etc/wok/mqtt.json || true)
check purge "$(bool test "$purged" = 1 -a -z "$leftovers" -a -z "$override")" \
    "dpkg --purge: left ${leftovers:-nothing} ${override:+and the override $override}; the wokd user stays by policy: $(in_root id -un wokd 2>&1)"

stamp "done: $failures failure(s)"
[ "$failures" -eq 0 ]
