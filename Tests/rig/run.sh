#!/usr/bin/env bash
# The kernel-level hardware rig (issue 4, part 5; docs/hardware-rig.md). Boots Debian's bookworm
# kernel under QEMU (software emulation) with a busybox initramfs holding the release wokd, wokctl
# and wok-rig-plant; i2c-stub plays the MCP9600 and gpio-sim the relay's GPIO chip (both built here
# as out-of-tree modules from Debian's own kernel source and headers). Tests/rig/vm-init.sh runs the
# scenarios inside the VM; this script judges the console's "RIG" lines and prints the figures.
# Everything downloaded or built is cached under $WOK_RIG_CACHE (default ~/.cache/wok-rig).
# Usage: Tests/rig/run.sh     Exit 0 when every scenario passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cache="${WOK_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-rig}"
mkdir -p "$cache"
start=$(date +%s)
stamp() { echo "[$(($(date +%s) - start)) s] $*"; }

# Host tools, from Debian only.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v make >/dev/null || need+=(make)
command -v gcc-12 >/dev/null || need+=(gcc-12)
command -v jq >/dev/null || need+=(jq)
command -v xz >/dev/null || need+=(xz-utils)
if ((${#need[@]})); then
    stamp "installing ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The kernel: image, headers, kbuild and source of one Debian kernel release, as linux-image-amd64
# resolves it today. Nothing is installed; the packages are unpacked into the cache.
resolve_image() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6/{print $2; exit}'; }
image=$(resolve_image)
if [ -z "$image" ]; then
    # A fresh machine may have no package lists yet.
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    image=$(resolve_image)
fi
[ -n "$image" ] || { echo "cannot resolve linux-image-amd64 from apt" >&2; exit 1; }
abi=${image#linux-image-}
version=$(apt-cache policy "$image" | awk '/Candidate:/{print $2}')
series=$(echo "$abi" | cut -d. -f1,2)
kernel="$cache/kernel-$abi"
if [ ! -f "$kernel/unpacked" ]; then
    stamp "downloading kernel $abi ($version): image, headers, kbuild, source; busybox"
    mkdir -p "$cache/debs" "$kernel/tree"
    (cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$image" \
        "linux-headers-$abi" "linux-headers-${abi%-amd64}-common" "linux-kbuild-$series=$version" \
        "linux-source-$series=$version" busybox-static)
    for package in "$image" "linux-headers-$abi" "linux-headers-${abi%-amd64}-common" "linux-kbuild-$series" \
        "linux-source-$series" busybox-static; do
        deb=$(ls "$cache"/debs/"$package"_*.deb | tail -1)
        dpkg-deb -x "$deb" "$kernel/tree"
    done
    # The headers' Makefile includes the common tree by its installed path; point it at the cache.
    sed -i "s|/usr/src/|$kernel/tree/usr/src/|" "$kernel/tree/usr/src/linux-headers-$abi/Makefile"
    touch "$kernel/unpacked"
fi
modules_in="$kernel/tree/lib/modules/$abi/kernel"
modules_out="$kernel/rig-modules"
recipe_hash=$(sha256sum Tests/rig/modules/build-modules.sh | cut -c1-16)
if [ "$(cat "$modules_out/recipe" 2>/dev/null)" != "$recipe_hash" ]; then
    stamp "building gpio_sim_ext.ko and the rig's i2c-stub.ko"
    mkdir -p "$modules_out"
    Tests/rig/modules/build-modules.sh "$kernel/tree/usr/src/linux-headers-$abi" \
        "$kernel/tree/usr/src/linux-source-$series.tar.xz" "$modules_out"
    echo "$recipe_hash" >"$modules_out/recipe"
fi

stamp "release build (static Swift runtime): wokd, wokctl, wok-rig-plant"
build=(swift build -c release --static-swift-stdlib --scratch-path "$cache/swift-release")
for product in wokd wokctl wok-rig-plant; do
    nice -n 10 "${build[@]}" --product "$product" >"$cache/swift-build.log" 2>&1 \
        || { tail -30 "$cache/swift-build.log" >&2; exit 1; }
done
bin=$("${build[@]}" --show-bin-path)

# The initramfs: busybox, five modules, the three programs with their shared libraries, the files.
root=$(mktemp -d "$cache/initramfs.XXXXXX")
trap 'rm -rf -- "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,modules,etc/wok/recipes}
cp "$kernel/tree/bin/busybox" "$root/bin/"
for applet in sh mount insmod rmmod cat cut echo ls sleep kill touch rm mkdir sed tr poweroff; do
    ln -s busybox "$root/bin/$applet"
done
cp "$modules_in/fs/configfs/configfs.ko" "$modules_in/drivers/i2c/i2c-dev.ko" "$modules_out/gpio_sim_ext.ko" \
    "$modules_out/i2c-stub.ko" "$root/modules/"
for program in wokd wokctl wok-rig-plant; do
    cp "$bin/$program" "$root/bin/"
    ldd "$bin/$program" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}'
done | sort -u | while read -r library; do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
cp Tests/rig/station.json "$root/etc/wok/station.json"
cp Tests/rig/rig-cook.json Tests/rig/rig-burn.json "$root/etc/wok/recipes/"
cp Simulator/Plants/default.json "$root/etc/wok/plant.json"
cp Tests/rig/vm-init.sh "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | "$kernel/tree/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$cache/rig-initramfs.gz"
stamp "initramfs $(du -h "$cache/rig-initramfs.gz" | cut -f1); booting (the cook runs in real time, about 3 minutes)"

log="$cache/rig-run.log"
booted=$(date +%s)
timeout 560 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot \
    -kernel "$kernel/tree/boot/vmlinuz-$abi" -initrd "$cache/rig-initramfs.gz" \
    -append "console=ttyS0 quiet panic=-1" </dev/null 2>&1 | tr -d '\r' | tee "$log" \
    | grep --line-buffered -a '^RIG ' || true
vm_seconds=$(($(date +%s) - booted))
stamp "VM finished after $vm_seconds s; judging (console log: $log)"

# Judging. Every check prints one line; any failure makes the run fail.
failures=0
check() { # check NAME CONDITION-TEXT-OK(0/1) DETAIL
    if [ "$2" = 1 ]; then echo "  ok    $1: $3"; else echo "  FAIL  $1: $3"; failures=$((failures + 1)); fi
}
rig() { grep -a "^RIG $1" "$log" | tail -1 || true; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }
statuses() { grep -a "^RIG-STATUS $1 " "$log" | cut -d' ' -f4- | grep '^{' || true; }
last_status() { statuses "$1" | tail -1; }
timing() { grep -a "^RIG-TIMING $1 " "$log" | tail -1 || true; }
bool() { if "$@" >/dev/null 2>&1; then echo 1; else echo 0; fi; }

grep -aq '^RIG done' "$log" || { echo "the VM did not finish its scenarios; last lines:" >&2; tail -40 "$log" >&2; exit 1; }

probe=$(grep -a '^RIG-PROBE ' "$log" | cut -d' ' -f2-)
identity=$(jq -r '.thermocouple.identity' <<<"$probe")
relay_text=$(jq -c '.relay' <<<"$probe")
check probe "$(bool jq -e '.healthy == true and (.thermocouple.identity | startswith("MCP9600 "))' <<<"$probe")" \
    "identity \"$identity\", healthy $(jq .healthy <<<"$probe"), relay $relay_text"

cook=$(statuses cook)
final=$(tail -1 <<<"$cook")
# Holds: stage 2 from its start (stage 1 ends at the target), stage 3 from when it first came within the band.
holds=$(jq -s -r '
    def err: ((.temperatureC - .targetC) | fabs);
    ([.[] | select(.stage.index == 1 and .temperatureC != null)] | map(err)) as $a
    | ([.[] | select(.stage.index == 2 and .temperatureC != null)] | (map(err <= 3) | index(true)) as $i
        | if $i == null then [] else .[$i:] | map(err) end) as $b
    | [($a|length), ($a|max), (($a|add)/($a|length)), ($b|length), ($b|max), (($b|add)/($b|length))]
    | map(. * 100 | round / 100) | @tsv' <<<"$cook")
read -r hold1_n hold1_max hold1_mean hold2_n hold2_max hold2_mean <<<"$holds"
cook_seconds=$(jq -s '(last.timeSeconds - (map(select(.state != "idle")) | first.timeSeconds)) | round' <<<"$cook")
loop=$(jq -c '.loop' <<<"$final")
check cook "$(bool jq -e '.state == "done" and .fault == null' <<<"$final")" \
    "state $(jq -r .state <<<"$final") after about $cook_seconds s, loop $loop"
# Held: at least 20 samples (about one a second), none more than 6 °C off, 2.5 °C on average.
held() { awk -v n="$1" -v worst="$2" -v mean="$3" 'BEGIN { exit !(n >= 20 && worst <= 6 && mean <= 2.5) }'; }
check hold-medium-low "$(bool held "$hold1_n" "$hold1_max" "$hold1_mean")" \
    "$hold1_n samples, |reading - 140 °C| max $hold1_max, mean $hold1_mean °C"
check hold-medium-high "$(bool held "$hold2_n" "$hold2_max" "$hold2_mean")" \
    "$hold2_n samples, |reading - 200 °C| max $hold2_max, mean $hold2_mean °C"

kill9=$(timing kill9)
check kill-9 "$(bool test "$(field heldForMs "$kill9")" != no -a "$(field reachedMs "$kill9")" != never)" \
    "line low $(field reachedMs "$kill9") ms after SIGKILL ($(field reads "$kill9") reads), stayed low $(field heldForMs "$kill9") ms; $(rig line-after-kill)"
restarted=$(last_status restarted)
check restart-after-kill "$(bool jq -e '.burner == "off" and .interrupted != null' <<<"$restarted")" \
    "burner $(jq -r .burner <<<"$restarted"), interrupted cook $(jq -c '.interrupted | {stageName}' <<<"$restarted"); $(rig line-after-restart)"

fault_check() { # NAME KIND
    local t s
    t=$(timing "$1")
    s=$(last_status "$1")
    check "$1" "$(bool test "$(field heldForMs "$t")" != no -a "$(field reachedMs "$t")" != never -a \
        "$(jq -r '.fault.kind + " " + .burner' <<<"$s")" = "$2 off")" \
        "line low $(field reachedMs "$t") ms after the fault, stayed low $(field heldForMs "$t") ms; fault $(jq -c '.fault | {kind, reason}' <<<"$s"), burner $(jq -r .burner <<<"$s")"
    check "$1-ack" "$(bool test "$(field exit "$(rig "$1-ack")")" = 0)" "$(rig "$1-ack") (once the cause cleared)"
}
fault_check open sensor-open
fault_check vanish device-gone
fault_check nack i2c-errors
check rmmod "$(bool test "$(field exit "$(rig rmmod-while-open)")" != 0 -a "$(field exit "$(rig rmmod-when-closed)")" = 0)" \
    "refused while wokd held /dev/i2c-0 ($(rig rmmod-while-open)), unloaded once closed ($(rig rmmod-when-closed))"
gone=$(rig wokd-without-bus)
check start-without-bus "$(bool test "$(field exit "$gone")" = 1 -a "$(field level "$gone")" = 0)" "$gone"
plant=$(grep -a '^PLANT summary' "$log" | tr '\n' ';' || true)
echo "  plant: $plant"

stamp "rig finished: VM $vm_seconds s, whole run $(($(date +%s) - start)) s, $failures failure(s)"
[ "$failures" -eq 0 ]
