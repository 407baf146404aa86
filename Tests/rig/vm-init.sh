#!/bin/sh
# /init of the kernel-level rig's VM (Tests/rig/run.sh builds the initramfs around it). Loads the
# modules, makes the GPIO chip with gpio-sim (line 4 the relay's output, line 5 the ignition
# controller's flame-proven input, which the plant pulls up while its flame burns; lines 0, 1 and 2
# the buttons next, hold and stop, pulled up at rest and pulled down to press, as a switch to ground
# does; line 6 the buzzer), starts the plant and the release wokd, runs the scenarios, and prints
# every result on the console as a line starting "RIG" for run.sh to judge. The chip is labelled
# "rig-header" and lines 1 and 6 are named, so the station file finds some lines by label or name.
# The VM's only job is this script: it powers off at the end, whatever happened.
export PATH=/bin
export WOKD_SOCKET=/run/wokd/control.sock
mount -t proc none /proc; mount -t sysfs none /sys; mount -t devtmpfs none /dev
mkdir -p /run/rig /run/wokd /var/lib/wokd /tmp

say() { echo "RIG $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
snapshot() { wokctl status --json 2>/dev/null | tr -d '\n'; }
show() { echo "RIG-STATUS $1 $(uptime_s) $(snapshot)"; }
finish() {
    say "finish $(uptime_s)"
    [ -n "$WOKD" ] && kill -TERM "$WOKD" 2>/dev/null && wait "$WOKD"
    [ -n "$PLANT" ] && touch /run/rig/stop && wait "$PLANT"
    echo "RIG-LOG-BEGIN"; cat /tmp/wokd.log /tmp/plant.log 2>/dev/null; echo "RIG-LOG-END"
    say "done"
    poweroff -f
}

# Waits up to $2 seconds until the snapshot's state is one of the rest; prints each snapshot as $1.
await_state() {
    label=$1 seconds=$2; shift 2
    elapsed=0
    while [ "$elapsed" -lt "$seconds" ]; do
        s=$(snapshot)
        echo "RIG-STATUS $label $(uptime_s) $s"
        for state in "$@"; do
            case "$s" in *"\"state\":\"$state\""*) return 0 ;; esac
        done
        sleep 1
        elapsed=$((elapsed + 1))
    done
    say "$label: no state among $* within $seconds s"
    return 1
}

# Waits up to $2 seconds until the running stage's index is $3; prints each snapshot as $1.
await_stage() {
    label=$1 seconds=$2 index=$3
    elapsed=0
    while [ "$elapsed" -lt "$seconds" ]; do
        s=$(snapshot)
        echo "RIG-STATUS $label $(uptime_s) $s"
        case "$s" in *"\"index\": $index"[,\ }]* | *"\"index\":$index"[,}]*) return 0 ;; esac
        case "$s" in *'"state": "fault"'* | *'"state":"fault"'*) break ;; esac
        sleep 1
        elapsed=$((elapsed + 1))
    done
    say "$label: stage $index did not start within $seconds s"
    return 1
}

start_wokd() {
    wokd --config /etc/wok/station.json --socket "$WOKD_SOCKET" --state-dir /var/lib/wokd \
        --recipes /etc/wok/recipes 2>>/tmp/wokd.log &
    WOKD=$!
    tries=0
    while [ "$tries" -lt 100 ]; do
        wokctl status --json >/dev/null 2>&1 && return 0
        sleep 0.1
        tries=$((tries + 1))
    done
    say "wokd did not answer within 10 s"; finish
}
stop_wokd() { kill -TERM "$WOKD"; wait "$WOKD"; say "wokd-stopped exit=$?"; WOKD=; }
start_plant() {
    wok-rig-plant run --line "$LINE" --flame-pull "$FLAME_PULL" --model "$1" --plant /etc/wok/plant.json \
        --control-dir /run/rig >>/tmp/plant.log 2>&1 &
    PLANT=$!
    sleep 0.5
}
stop_plant() { touch /run/rig/stop; wait "$PLANT"; rm -f /run/rig/stop; PLANT=; }
# Presses a button for 0.3 s: its line is pulled low, then back up.
press() { echo pull-down >"$1"; sleep 0.3; echo pull-up >"$1"; }
# Reads the buzzer's line $2 times, 0.2 s apart, and prints the levels as $1's.
buzzer_levels() {
    levels= count=0
    while [ "$count" -lt "$2" ]; do
        levels="$levels$(cat "$BUZZER")"
        sleep 0.2
        count=$((count + 1))
    done
    say "buzzer-$1 levels=$levels"
}
# Starts a cook: $2 is the recipe (rig-cook, or rig-burn whose target is above anything the wok
# has reached, so the line goes high at once or within one relay window).
start_cook() { wokctl start "/etc/wok/recipes/$2.json" >/dev/null; say "start-$1 exit=$?"; }
# Waits for the burner to be on, does one thing (the arguments), and times the line going low.
time_off() {
    label=$1; shift
    wok-rig-plant time-to-level --line "$LINE" --wait-level 1 --wait-seconds 30 --level 0 --timeout 3 --hold 1 "$@" \
        >/tmp/timing 2>&1
    status=$?
    sed "s/^TIMING/RIG-TIMING $label/" /tmp/timing
    return $status
}

say "boot $(uptime_s)"
# However a scenario goes, the VM powers off in time for run.sh to judge what it printed.
(sleep 840; say "watchdog: scenarios still running after 840 s"; echo "RIG-LOG-BEGIN"; cat /tmp/wokd.log /tmp/plant.log; echo "RIG-LOG-END"; poweroff -f) &
insmod /modules/configfs.ko && mount -t configfs none /sys/kernel/config
insmod /modules/gpio_sim_ext.ko
chip=/sys/kernel/config/gpio-sim/rig
mkdir "$chip" "$chip/bank0" "$chip/bank0/line1" "$chip/bank0/line6" && echo 8 >"$chip/bank0/num_lines" \
    && echo rig-header >"$chip/bank0/label" && echo RIG-HOLD >"$chip/bank0/line1/name" \
    && echo RIG-BUZZER >"$chip/bank0/line6/name" && echo 1 >"$chip/live"
LINE= FLAME_PULL= NEXT_PULL= HOLD_PULL= STOP_PULL= BUZZER=
for sim in /sys/devices/platform/gpio-sim.*/gpiochip*; do
    [ -e "$sim/sim_gpio4/value" ] || continue
    LINE=$sim/sim_gpio4/value FLAME_PULL=$sim/sim_gpio5/pull BUZZER=$sim/sim_gpio6/value
    NEXT_PULL=$sim/sim_gpio0/pull HOLD_PULL=$sim/sim_gpio1/pull STOP_PULL=$sim/sim_gpio2/pull
done
[ -n "$LINE" ] && [ -e /dev/gpiochip0 ] || { say "gpio-sim made no chip"; finish; }
# The buttons at rest: their lines pulled up, as a pull-up resistor holds an open switch.
for pull in "$NEXT_PULL" "$HOLD_PULL" "$STOP_PULL"; do echo pull-up >"$pull"; done
insmod /modules/i2c-dev.ko
insmod /modules/i2c-stub.ko chip_addr=0x67
[ -e /dev/i2c-0 ] || { say "i2c-stub made no bus"; finish; }
say "devices $(uptime_s) line=$LINE level=$(cat "$LINE") flame-pull=$FLAME_PULL ($(cat "$FLAME_PULL"))"

# 1. The probe finds an MCP9600 in the stub and the relay's line on gpio-sim's chip.
start_plant mcp9600
wokctl hw probe --json --station /etc/wok/station.json >/tmp/probe.json
say "probe exit=$?"
echo "RIG-PROBE $(tr -d '\n' </tmp/probe.json)"

# 2. A whole cook on the release wokd, the plant closing the loop; the station has the
# flame-proven input, so every burn is also watched through it.
start_wokd
start_cook cook rig-cook
await_state cook 420 done fault idle
say "cook-end $(uptime_s)"

# 2b. A wet load on a cold wok: when the second stage starts, the plant tips in 300 g of greens
# with 60 % water (the stage's announced food), which boil on the steel for the stage's 3 minutes.
stop_wokd; stop_plant; start_plant mcp9600; start_wokd
start_cook wet rig-wet
if await_stage wet 200 1; then
    echo "300 20 0.6" >/run/rig/food
    say "wet-food $(uptime_s)"
    # The stage adds food: the buzzer beeps its prompt pattern for the stage's first minute.
    buzzer_levels prompt 20
fi
await_state wet 300 done fault idle
say "wet-end $(uptime_s)"

# 3. kill -9 of wokd with the burner on: the kernel drops the line.
start_cook kill rig-burn
# If the line never went high nothing was killed; kill anyway so the run goes on (and fails).
time_off kill9 --kill "$WOKD" || kill -9 "$WOKD"
wait "$WOKD"; say "wokd-killed exit=$?"; WOKD=
say "line-after-kill level=$(cat "$LINE")"
start_wokd
show restarted
say "line-after-restart level=$(cat "$LINE")"
wokctl abort >/dev/null; say "discard-interrupted exit=$?"

# 3a. The buttons, pressed on gpio-sim's input lines: hold, hold again (resumed), next on a stage
# that ends by itself (refused, in the log), then stop, timed from the press to the relay's line
# going low. The buzzer stays quiet through a cook that asks nothing of the cook.
start_cook buttons rig-burn
sleep 2
press "$HOLD_PULL"
await_state hold 5 holding
press "$HOLD_PULL"
await_state resume 5 cooking
press "$NEXT_PULL"
sleep 1
buzzer_levels quiet 10
time_off stop --write "$STOP_PULL" --value pull-down
echo pull-up >"$STOP_PULL"
await_state stop 5 idle

# 3b. The flame goes out with the burner on, past the ignition trial (3 s in station.json): the
# plant pulls the flame-proven line down and wokd latches flame-lost on the tick that reads it.
start_cook flameout rig-burn
sleep 5
time_off flameout --touch /run/rig/flame-out
await_state flameout 5 fault
# The latched fault sounds the alarm, continuously; a press of any button silences it.
buzzer_levels alarm 10
press "$HOLD_PULL"
sleep 0.5
buzzer_levels silenced 10
rm -f /run/rig/flame-out; sleep 1
wokctl ack >/dev/null; say "flameout-ack exit=$?"

# 4. The thermocouple goes open (an MCP9601, whose STATUS has the open-circuit bit).
stop_wokd; stop_plant; start_plant mcp9601; start_wokd
start_cook open rig-burn
time_off open --touch /run/rig/open-circuit
await_state open 5 fault
rm -f /run/rig/open-circuit; sleep 1
wokctl ack >/dev/null; say "open-ack exit=$?"

# 5. The converter vanishes from the bus mid-cook: nothing answers (ENXIO), then NACKs (EREMOTEIO).
knob=/sys/module/i2c_stub/parameters/rig_fail_errno
for case in "vanish 6" "nack 121"; do
    set -- $case
    start_cook "$1" rig-burn
    time_off "$1" --write "$knob" --value "$2"
    await_state "$1" 5 fault
    [ "$1" = vanish ] && { rmmod i2c_stub 2>/dev/null; say "rmmod-while-open exit=$?"; }
    echo 0 >"$knob"; sleep 1
    wokctl ack >/dev/null; say "$1-ack exit=$?"
done

# 6. The module unloaded once nobody holds the bus: wokd refuses to start, the line stays low.
stop_wokd; stop_plant
rmmod i2c_stub; say "rmmod-when-closed exit=$?"
wokd --config /etc/wok/station.json --socket "$WOKD_SOCKET" --state-dir /var/lib/wokd 2>>/tmp/wokd.log
say "wokd-without-bus exit=$? level=$(cat "$LINE")"
finish
