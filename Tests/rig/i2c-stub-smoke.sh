#!/usr/bin/env bash
# Groundwork for the kernel-level rig (issue 4, part 5; see docs/hardware-rig.md): boots Debian's
# bookworm kernel under QEMU (software emulation) with a busybox initramfs, loads i2c-dev and
# i2c-stub at 0x67, writes an MCP9600's registers into the stub with i2cset, reads them back with
# i2cget, and runs `wokctl hw probe --json` inside the VM against the stub.
# Not part of .ci/run yet. Downloads and builds are cached outside the checkout.
# Usage: Tests/rig/i2c-stub-smoke.sh   (needs qemu-system-x86, installed if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
cache="${WOK_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-rig}"
mkdir -p "$cache/debs"
start=$(date +%s)
stamp() { echo "[$(( $(date +%s) - start )) s] $*"; }

if ! command -v qemu-system-x86_64 >/dev/null; then
    stamp "installing qemu-system-x86"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
fi

# Kernel image and busybox from Debian, pinned by what the -amd64 metapackage resolves to.
image=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-6/{print $2; exit}')
[ -n "$image" ] || { echo "cannot resolve linux-image-amd64 (run apt-get update)" >&2; exit 1; }
kernel_dir="$cache/$image"
if [ ! -d "$kernel_dir/boot" ]; then
    stamp "downloading $image and busybox-static"
    (cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$image" busybox-static)
    mkdir -p "$kernel_dir"
    dpkg-deb -x "$cache"/debs/"$image"_*.deb "$kernel_dir"
    dpkg-deb -x "$cache"/debs/busybox-static_*.deb "$cache/busybox"
fi
release=${image#linux-image-}
modules="$kernel_dir/lib/modules/$release/kernel"

stamp "building wokctl"
nice -n 10 swift build --product wokctl >/dev/null
wokctl="$(swift build --show-bin-path)/wokctl"

# The initramfs: busybox, three modules, wokctl with its shared-library closure, an init script.
root="$cache/initramfs-root"
rm -rf -- "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules,lib64,etc}
cp "$cache/busybox/bin/busybox" "$root/bin/"
for applet in sh mount insmod rmmod i2cget i2cset i2cdetect cat echo ls sleep poweroff; do ln -s busybox "$root/bin/$applet"; done
cp "$modules/drivers/i2c/i2c-dev.ko" "$modules/drivers/i2c/i2c-stub.ko" "$modules/fs/configfs/configfs.ko" "$root/modules/"
cp "$wokctl" "$root/bin/wokctl"
ldd "$wokctl" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' | while read -r library; do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
done
cat >"$root/etc/station.json" <<'JSON'
{"devices": {"thermocouple": {"bus": "/dev/i2c-0", "address": "0x67"}, "relay": {"chip": "gpiochip0", "line": 4}}}
JSON
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc none /proc; mount -t sysfs none /sys; mount -t devtmpfs none /dev
insmod /modules/configfs.ko && mount -t configfs none /sys/kernel/config && echo "RIG configfs mounted"
insmod /modules/i2c-dev.ko
insmod /modules/i2c-stub.ko chip_addr=0x67
# An MCP9600 in i2c-stub: SMBus words travel low byte first, so each word is stored swapped.
i2cset -y 0 0x67 0x20 0x1040 w   # device ID 0x40 (MCP9600), revision 0x10
i2cset -y 0 0x67 0x04 0x40 b     # STATUS: T_H updated
i2cset -y 0 0x67 0x00 0x9001 w   # T_H 25.0 °C (0x0190)
i2cset -y 0 0x67 0x02 0x4001 w   # T_C 20.0 °C (0x0140)
echo "RIG i2cget id=$(i2cget -y 0 0x67 0x20 w) status=$(i2cget -y 0 0x67 0x04 b)"
wokctl hw probe --json --station /etc/station.json; echo "RIG probe exit $?"
echo "RIG sensor config after probe=$(i2cget -y 0 0x67 0x05 b) device config=$(i2cget -y 0 0x67 0x06 b)"
ls /dev/gpiochip* >/dev/null 2>&1 || echo "RIG no gpiochip (gpio-sim is not in this kernel)"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | "$cache/busybox/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$cache/initramfs.gz"
stamp "initramfs $(du -h "$cache/initramfs.gz" | cut -f1)"

stamp "booting"
log="$cache/rig-smoke.log"
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot \
    -kernel "$kernel_dir/boot/vmlinuz-$release" -initrd "$cache/initramfs.gz" \
    -append "console=ttyS0 quiet panic=-1" >"$log" 2>&1 || true
stamp "VM finished"
grep -a "RIG\|\"healthy\"\|identity\|hotC\|problems\|relay: " "$log" || true
grep -aq 'RIG i2cget id=0x1040 status=0x40' "$log" || { echo "i2c-stub did not answer as written" >&2; exit 1; }
grep -aq '"identity": "MCP9600 revision 0x10"' "$log" || { echo "wokctl hw probe did not find the MCP9600" >&2; exit 1; }
stamp "ok"
