#!/usr/bin/env bash
# The package on a fresh Debian bookworm system with systemd as PID 1 (issue 18; docs/packaging.md,
# "Tests"). A bookworm root file system with Debian's kernel, made by mmdebstrap (cached), gets the
# package and Tests/package/vm-test.sh, which a systemd service runs at boot under QEMU (software
# emulation, like the hardware rig); this script judges the "WOKVM" lines of the serial console.
# Usage: Tests/package/vm.sh [DEB]   (default: build one with debian/build-package.sh)
#        Exit 0 when every check passed, 1 otherwise. Caches under $WOK_DEB_WORK
#        (default ~/.cache/wok-station-deb).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${WOK_DEB_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/wok-station-deb}"
export WOK_DEB_WORK=$work
mkdir -p "$work"
started=$SECONDS
stamp() { echo "[$((SECONDS - started)) s] $*" >&2; }

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v mke2fs >/dev/null || need+=(e2fsprogs)
if ((${#need[@]})); then
    stamp "installing ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ "$(id -u)" -eq 0 ] || { echo "the VM's root file system is made as root (file owners); run as root" >&2; exit 1; }

scratch=$(mktemp -d -p "$work" vm.XXXXXX)
trap 'rm -rf --one-file-system -- "$scratch"' EXIT

if [ -n "${1:-}" ]; then
    deb=$(realpath "$1")
else
    stamp "building the package"
    deb=$(debian/build-package.sh "$scratch" | grep '\.deb$' | head -1)
fi

# Only bookworm's own packages: systemd, udev, a kernel with its initramfs, the libraries the
# package needs (so apt installs it without a network), and sudo for the documented commands.
vm_packages=systemd,systemd-sysv,udev,linux-image-amd64,initramfs-tools,libgpiod2,libi2c0,libsqlite3-0,libsystemd0,libmicrohttpd12,libmosquitto1,sudo
# The list is in the name, so a package added to it makes a new tarball instead of using a stale one.
base="$work/bookworm-vm-$(cksum <<<"$vm_packages" | cut -d' ' -f1).tar"
if [ ! -s "$base" ]; then
    stamp "making the bookworm root file system (mmdebstrap; cached in $base)"
    mmdebstrap --quiet --variant=apt \
        --include="$vm_packages" \
        bookworm "$base.part" http://deb.debian.org/debian >&2
    mv "$base.part" "$base"
fi

stamp "preparing the disk image"
root="$scratch/root"
mkdir -p "$root"
tar -xf "$base" -C "$root"
cp "$deb" "$root/root/"
install -m 0755 Tests/package/vm-test.sh "$root/root/vm-test.sh"
echo wok-vm >"$root/etc/hostname"
cat >"$root/etc/systemd/system/wok-vm-test.service" <<'UNIT'
[Unit]
Description=The wok-station package test
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/root/vm-test.sh
StandardOutput=tty
StandardError=journal
TTYPath=/dev/ttyS0
[Install]
WantedBy=default.target
UNIT
ln -s /etc/systemd/system/wok-vm-test.service "$root/etc/systemd/system/default.target.wants/wok-vm-test.service" 2>/dev/null ||
    { mkdir -p "$root/etc/systemd/system/default.target.wants" &&
        ln -s /etc/systemd/system/wok-vm-test.service "$root/etc/systemd/system/default.target.wants/wok-vm-test.service"; }
# No login prompt on the console the test writes to.
ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
kernels=("$root"/boot/vmlinuz-*)
initrds=("$root"/boot/initrd.img-*)
kernel=${kernels[-1]}
initrd=${initrds[-1]}
cp "$kernel" "$initrd" "$scratch/"
image="$scratch/root.ext4"
mke2fs -q -t ext4 -d "$root" -L wokroot "$image" 3G
rm -rf --one-file-system -- "$root"

stamp "booting $(basename "$kernel") with systemd (QEMU, software emulation)"
log="$work/vm-console.log"
booted=$SECONDS
timeout 1200 qemu-system-x86_64 -accel tcg -cpu max -m 1024 -nographic -no-reboot -nic none \
    -kernel "$scratch/$(basename "$kernel")" -initrd "$scratch/$(basename "$initrd")" \
    -drive "file=$image,format=raw,if=virtio" \
    -append "root=/dev/vda rw console=ttyS0 quiet systemd.show_status=false panic=-1" </dev/null 2>&1 |
    tr -d '\r' | tee "$log" | grep --line-buffered -ao 'WOKVM .*' >&2 || true
stamp "VM finished after $((SECONDS - booted)) s (console log: $log)"

failures=0
# The console's escape sequences may share a line with the first result: match anywhere.
results=$(grep -ao 'WOKVM result .*' "$log" || true)
if ! grep -aq 'WOKVM done' "$log" || [ -z "$results" ]; then
    echo "the VM did not finish its checks; last lines:" >&2
    tail -30 "$log" >&2
    exit 1
fi
while read -r _ _ name ok detail; do
    if [ "$ok" = 1 ]; then echo "  ok    $name: $detail"; else echo "  FAIL  $name: $detail"; failures=$((failures + 1)); fi
done <<<"$results"
for name in install udev enabled-not-started skipped start member-status non-member member-start member-history remove remove-keeps purge; do
    grep -aq "^WOKVM result $name " <<<"$results" || { echo "  FAIL  $name: no result"; failures=$((failures + 1)); }
done
stamp "done: $failures failure(s)"
[ "$failures" -eq 0 ]
