#!/usr/bin/env bash
# Builds the rig's two out-of-tree kernel modules against Debian's headers for one kernel ABI:
#   gpio_sim_ext.ko  gpio-sim (off in Debian's kernels) with irq_sim (also off) linked in;
#   i2c-stub.ko      Debian's i2c-stub plus one writable parameter, rig_fail_errno, that makes every
#                    transfer fail with that errno (6 ENXIO: nothing answers; 121 EREMOTEIO: a NACK as
#                    the Raspberry Pi reports it), so the thermocouple can vanish mid-cook.
# Usage: build-modules.sh HEADERS_DIR SOURCE_TARBALL OUT_DIR   (see Tests/rig/run.sh)
set -euo pipefail
headers=$1 tarball=$2 out=$3
work="$out/src"
rm -rf -- "$work"
mkdir -p "$work/gpio-sim" "$work/i2c-stub"
# Only four files are needed from the 140 MB source tree.
tar -xJf "$tarball" -C "$work" --strip-components=1 --wildcards \
    '*/drivers/gpio/gpio-sim.c' '*/drivers/gpio/gpiolib.h' '*/kernel/irq/irq_sim.c' '*/drivers/i2c/i2c-stub.c'
cp "$work/drivers/gpio/gpio-sim.c" "$work/drivers/gpio/gpiolib.h" "$work/kernel/irq/irq_sim.c" "$work/gpio-sim/"
# irq_to_desc() is not exported to modules; generic_handle_irq() is and does the same here.
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$work/gpio-sim/irq_sim.c"
grep -q 'generic_handle_irq(irqnum);' "$work/gpio-sim/irq_sim.c" || { echo "irq_sim.c: the expected line is gone" >&2; exit 1; }
printf 'obj-m := gpio_sim_ext.o\ngpio_sim_ext-y := gpio-sim.o irq_sim.o\n' >"$work/gpio-sim/Makefile"

cp "$work/drivers/i2c/i2c-stub.c" "$work/i2c-stub/"
# perl-base is in every Debian system; -0 reads the whole file so the anchors can span lines.
perl -0pi -e '
    s{(MODULE_PARM_DESC\(functionality, "Override functionality bitfield"\);\n)}{$1
/* Wok station rig: while non-zero, every transfer fails with this errno, as an unplugged chip. */
static int rig_fail_errno;
module_param(rig_fail_errno, int, S_IRUGO | S_IWUSR);
MODULE_PARM_DESC(rig_fail_errno, "Fail every transfer with this errno (0: answer)");
} or die "functionality parameter not found\n";
    s{(\tu16 \*wordp;\n\n)}{$1\tif (READ_ONCE(rig_fail_errno) > 0)\n\t\treturn -READ_ONCE(rig_fail_errno);\n\n} or die "stub_xfer not found\n";
' "$work/i2c-stub/i2c-stub.c"
echo 'obj-m := i2c-stub.o' >"$work/i2c-stub/Makefile"
for module in gpio-sim i2c-stub; do
    nice -n 10 make -s -C "$headers" M="$work/$module" modules >"$work/$module/build.log" 2>&1 \
        || { cat "$work/$module/build.log" >&2; exit 1; }
done
cp "$work/gpio-sim/gpio_sim_ext.ko" "$work/i2c-stub/i2c-stub.ko" "$out/"
