#!/bin/bash
# Runs inside the VM that Tests/package/vm.sh boots, as a systemd service (systemd is PID 1): installs
# the package as an admin would, checks it, removes and purges it, and prints one "WOKVM" line per
# result on the serial console for vm.sh to judge. Powers the VM off at the end, whatever happened.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive
deb=$(ls /root/wok-station_*.deb)
trap 'echo "WOKVM done"; systemctl poweroff --no-block' EXIT

# Each line starts afresh: the console may hold the boot's escape sequences before the first.
say() { printf '\nWOKVM %s\n' "$*"; }
result() { # result NAME OK(0/1) DETAIL
    say "result $1 $2 $3"
}
one_line() { tr '\n' ' ' | tr -s ' '; }
# Every path on the root file system, except what changes by itself (logs, caches, package
# manager and systemd state, home directories, this test's files).
snapshot() {
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /root \
        -o -path /home -o -path /var/log -o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg \
        -o -path /var/lib/systemd -o -path /var/tmp -o -path /var/lib/private \) -prune -o -print | sort
}

# The i2c bus of the VM's chipset gets its /dev/i2c-0 before the package is installed, with
# udev's old rules: root:root 0600. The postinst's reload and trigger must give it to group i2c.
modprobe i2c-dev
modprobe i2c-piix4 2>/dev/null || true
udevadm settle
i2c_before=$(stat -c '%U:%G %a' /dev/i2c-0 2>&1)
# A person who will cook, and one who will not; made first, so the snapshot has their files.
useradd --create-home alice
useradd --create-home bob
snapshot >/root/before.txt

# No network: every dependency is in the image already, so apt needs none.
installed=$(apt-get install -y "$deb" 2>&1)
status=$?
if [ "$status" = 0 ]; then
    said="postinst says: $(grep -A2 '^wokd is enabled' <<<"$installed" | one_line)"
else
    said=$(tail -4 <<<"$installed" | one_line)
fi
result install "$([ "$status" = 0 ] && echo 1 || echo 0)" "apt-get install ./$(basename "$deb"): exit $status; $said"
udevadm settle
i2c_after=$(stat -c '%U:%G %a' /dev/i2c-0 2>&1)
result udev "$([ "${i2c_after}" = "root:i2c 660" ] && echo 1 || echo 0)" "/dev/i2c-0 was $i2c_before before the install, $i2c_after after it"
result enabled-not-started "$([ "$(systemctl is-enabled wokd)" = enabled ] && ! systemctl is-active --quiet wokd && echo 1 || echo 0)" \
    "is-enabled $(systemctl is-enabled wokd), is-active $(systemctl is-active wokd)"

# The packaged station file names no devices: a start is skipped by the ExecCondition, not failed.
systemctl start wokd
skipped=$(systemctl show wokd -p ActiveState -p Result -p ExecMainStatus | one_line)
result skipped "$(! systemctl is-failed --quiet wokd && ! systemctl is-active --quiet wokd && echo 1 || echo 0)" \
    "systemctl start with no devices: $skipped; journal: $(journalctl -u wokd -b --no-pager -o cat | grep -m1 'names no devices' | one_line)"

# A simulated station: the same unit, the same sandbox, wokd told to simulate.
mkdir -p /etc/systemd/system/wokd.service.d
cat >/etc/systemd/system/wokd.service.d/simulate.conf <<'EOF'
[Service]
ExecCondition=
ExecStart=
ExecStart=/usr/bin/wokd --config /etc/wok/station.json --simulate --speed 10
EOF
systemctl daemon-reload
systemctl start wokd
start_status=$?
# Type=notify: start returned only after READY=1, so the socket is there now, without waiting.
socket_now=$(stat -c '%U:%G %a' /run/wokd/control.sock 2>&1)
result start "$([ "$start_status" = 0 ] && systemctl is-active --quiet wokd && [ -S /run/wokd/control.sock ] && echo 1 || echo 0)" \
    "systemctl start: exit $start_status, $(systemctl is-active wokd), $(systemctl show wokd -p StatusText | one_line), socket $socket_now as start returned"

usermod -aG wok alice
status_text=$(runuser -u alice -- wokctl status 2>&1)
status=$?
result member-status "$([ "$status" = 0 ] && echo 1 || echo 0)" "alice (in group wok) runs wokctl status with no option: exit $status: $(head -3 <<<"$status_text" | one_line)"
stranger=$(runuser -u bob -- wokctl start reheat 2>&1)
stranger_status=$?
result non-member "$([ "$stranger_status" != 0 ] && echo 1 || echo 0)" "bob (not in wok) may not start a cook: exit $stranger_status: $(one_line <<<"$stranger" | cut -c1-160)"

started=$(runuser -u alice -- wokctl start reheat 2>&1)
status=$?
result member-start "$([ "$status" = 0 ] && echo 1 || echo 0)" "alice: wokctl start reheat (from /usr/share/wok/recipes): exit $status: $(head -2 <<<"$started" | one_line)"
burner=off
for _ in $(seq 1 30); do
    burner=$(runuser -u alice -- wokctl status --json 2>/dev/null | sed -n 's/.*"burner" *: *"\([a-z]*\)".*/\1/p' | head -1)
    [ "$burner" = on ] && break
    sleep 1
done
history=$(runuser -u alice -- wokctl history 2>&1)
status=$?
result member-history "$([ "$status" = 0 ] && grep -qi reheat <<<"$history" && echo 1 || echo 0)" \
    "alice: wokctl history: exit $status: $(tail -2 <<<"$history" | one_line); $(stat -c '%n %U:%G %a' /var/lib/wokd /var/lib/wokd/history.sqlite3 | one_line)"

# Removal with the burner on: the prerm stops wokd, which switches the burner off and exits 0.
rm -rf /etc/systemd/system/wokd.service.d
systemctl daemon-reload
removed=$(apt-get remove -y wok-station 2>&1)
status=$?
journal=$(journalctl -u wokd -b --no-pager -o cat | tail -8)
off_line=$(grep -m1 'burner off; stopping' <<<"$journal")
result remove "$([ "$status" = 0 ] && ! pidof wokd >/dev/null && [ -n "$off_line" ] && grep -q 'Deactivated successfully' <<<"$journal" && echo 1 || echo 0)" \
    "apt-get remove with the burner $burner: exit $status; wokd running: $(pidof wokd >/dev/null && echo yes || echo no); journal: $(grep -E 'burner off|Deactivated|interrupted|Stopped' <<<"$journal" | one_line)"
result remove-keeps "$([ -f /etc/wok/station.json ] && [ -f /var/lib/wokd/history.sqlite3 ] && echo 1 || echo 0)" \
    "after remove: $(stat -c %n /etc/wok/station.json /var/lib/wokd/history.sqlite3 2>&1 | one_line)"
: "$removed"

purged=$(apt-get purge -y wok-station 2>&1)
status=$?
snapshot >/root/after.txt
left=$(comm -13 /root/before.txt /root/after.txt | one_line)
gone=$(comm -23 /root/before.txt /root/after.txt | one_line)
override=$(dpkg-statoverride --list /etc/wok/station.json)
result purge "$([ "$status" = 0 ] && [ -z "$left" ] && [ -z "$gone" ] && [ -z "$override" ] && ! [ -e /run/wokd ] && echo 1 || echo 0)" \
    "apt-get purge: exit $status; paths new since before the install: ${left:-none}; paths lost: ${gone:-none}; override: ${override:-none}; /run/wokd: $([ -e /run/wokd ] && echo present || echo gone); users kept by policy: $(id -un wokd 2>&1) $(getent group wok | cut -d: -f1)"
: "$purged"
