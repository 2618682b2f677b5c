#!/usr/bin/env bash
# The machine matrix: boots the image on the emulated PCs below (tools/qemu.sh
# options: chipset, CPU model, CPU count, memory, screen, boot disk, keyboard,
# ACPI, timers) and checks what each run prints and how it ends.
#
#   tools/matrix.sh            every cell (make test-matrix)
#   tools/matrix.sh --quick    the few cells `make test` runs (tests/image/pc_matrix_quick.sh)
#   tools/matrix.sh --list     the cells, one per line
#   tools/matrix.sh CELL...    just these cells
#   -j N                       cells at a time (2; each TCG vCPU is a host thread)
#
# A cell passes when tools/qemu.sh ends as expected (ok: the kernel reported
# success, exit 0; fail: it reported failure, exit 1; ends: QEMU stopped by
# itself - power off or reset - any status but the 124 of a timeout; hangs: it
# still ran at the timeout, on purpose) and every pattern (extended regex,
# ';;'-separated) appears in the serial log. Logs: build/test-logs/matrix/CELL.log;
# the table (cell, result, seconds): build/test-logs/matrix.md. Machines QEMU 7.2
# cannot build are listed in README.md ("The machine matrix") with the reason.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
logs=build/test-logs/matrix
jobs=2 quick=0 list=0 only=()
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --list) list=1 ;;
    -j) jobs=$2; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "matrix.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) only+=("$1") ;;
    esac
    shift
done

names=() qargs=() lines=() wants=() checks=() quicks=()
# cell NAME "QEMU.SH ARGS" "COMMAND LINE" ok|fail|ends|hangs "PATTERN;;PATTERN..." [quick]
cell() {
    names+=("$1") qargs+=("$2") lines+=("$3") wants+=("$4") checks+=("$5") quicks+=("${6:-}")
}

all='selftest=all quit=1'
cal='calibrated against the ACPI PM timer .*checked against the HPET'
# Chipsets with OVMF.
cell q35 "--machine q35" "$all hwinfo=1" ok "$cal;;8042 flag set;;\\\\_S5 found in the DSDT"
cell pc "--machine pc" "$all hwinfo=1" ok "$cal;;PM_TMR_BLK|port 0xb008, 24-bit;;\\\\_S5 found in the DSDT"
# CPU models: features present or missing, and what the kernel did about them.
cell cpu-qemu64 "--cpu qemu64" "$all hwinfo=1" ok \
    "feature +no +1 GiB pages.*direct map in 2 MiB pages;;feature +yes +NX.*: used"
cell cpu-nehalem "--cpu Nehalem" "$all hwinfo=1" ok \
    "GenuineIntel .*Nehalem;;feature +no +1 GiB pages;;feature +no +XSAVE"
cell cpu-skylake "--cpu Skylake-Client" "$all hwinfo=1" ok \
    "GenuineIntel .*Skylake;;feature +yes +XSAVE.*not used;;feature +no +PCID"
cell cpu-epyc "--cpu EPYC" "$all hwinfo=1" ok "AuthenticAMD .*EPYC;;feature +yes +1 GiB pages.*: used"
cell cpu-max "--cpu max" "$all hwinfo=1" ok "QEMU TCG CPU;;feature +yes +PAT.*: used"
# A CPU without NX, 1 GiB pages, global pages and PAT (the fallbacks run; the
# screen is drawn through the direct map), and one without a local APIC (stops).
cell cpu-minimal "--cpu qemu64,-nx,-pdpe1gb,-pge,-pat --display-size 1024x768" "$all hwinfo=1" ok \
    "feature +no +NX.*data pages stay executable;;feature +no +global pages;;fbcon: 1024x768 .*\\(direct map\\);;selftest fbcon: PASS"
cell cpu-no-apic "--cpu qemu64,-apic" "quit=1" fail \
    "lacks local APIC \\(CPUID.1:EDX bit 9\\), which spanlab needs: stopping"
# x2APIC: QEMU 7.2's TCG drops the CPUID bit (it warns); a QEMU that keeps it
# makes the kernel switch. Either way the run must pass and say which.
cell x2apic "--cpu max,+x2apic" "$all hwinfo=1" ok \
    "apic: x2APIC, switched from xAPIC|doesn't support requested feature: CPUID.01H:ECX.x2apic;;apic: x2?APIC, "
cell smp1 "--smp 1" "$all" ok "cpus: 1 in the MADT; spanlab runs on it"
cell smp4 "--smp 4" "$all" ok "cpus: 4 in the MADT; spanlab runs on one .*the other 3 are parked \\(INIT"
# Memory, from below OVMF's comfort to RAM above the 4 GiB PCI hole.
cell mem64m "--mem 64M" "$all" ok "memory: usable [0-9]{2}\\.[0-9] MiB"
cell mem512m "--mem 512M" "$all" ok "memory: usable 5[01][0-9]\\.[0-9] MiB"
cell mem2g "--mem 2G" "run=12 quit=1" ok "memory: usable 20[0-9]{2}\\.[0-9] MiB;;[0-9]+ passed, 0 failed"
cell mem8g "--mem 8G" "$all hwinfo=1" ok "usable RAM above 4 GiB [0-9]{4} MiB;;memory: usable 8[0-9]{3}\\.[0-9] MiB"
# Screens: the loader sets the mode gop= asks for; 4K draws 16x32 glyphs at 2x.
cell gop800 "--display-size 800x600" "gop=800x600 $all" ok \
    "loader: screen 800x600, GOP mode [0-9]+ of [0-9]+: the mode gop= asks for;;fbcon: 800x600 .*8x16, 100x37 cells;;selftest fbcon: PASS"
cell gop4k "--display-size 3840x2160" "gop=3840x2160 $all hwinfo=1" ok \
    "fbcon: 3840x2160 .*at 2x 32x64, 120x33 cells;;selftest fbcon: PASS;;3840x2160\\*"
# Boot disks: the firmware's boot line names the device path.
cell disk-virtio "--disk virtio" "run=12 quit=1" ok "BdsDxe: starting Boot.*Pci\\(0x[0-9A-F]+,0x0\\);;[0-9]+ passed, 0 failed"
cell disk-ahci "--disk ahci" "run=12 quit=1" ok "BdsDxe: starting Boot.*Sata\\(;;[0-9]+ passed, 0 failed"
cell disk-nvme "--disk nvme" "run=12 quit=1" ok "BdsDxe: starting Boot.*NVMe\\(;;[0-9]+ passed, 0 failed"
cell disk-xhci "--disk xhci" "run=12 quit=1" ok "BdsDxe: starting Boot.*USB\\(;;[0-9]+ passed, 0 failed"
cell disk-ehci "--disk ehci" "run=12 quit=1" ok "BdsDxe: starting Boot.*USB\\(;;[0-9]+ passed, 0 failed"
# Keyboard: no i8042 at all.
cell no-ps2 "--no-ps2" "$all hwinfo=1" ok "kbd: no PS/2 controller;;keyboard +no PS/2 controller"
# Timers and ACPI: each reference forced once; no ACPI at all (no PM timer, no
# HPET table, no MADT); no reference at all must stop with a message, not hang.
cell clock-hpet "" "clockref=hpet selftest=timer quit=1" ok \
    "calibrated against the HPET .*checked against the ACPI PM timer;;  HPET: 10[0-9]{2} ms"
cell clock-pit "" "clockref=pit selftest=timer quit=1" ok \
    "calibrated against the PIT .*checked against the ACPI PM timer;;  PIT: 10[0-9]{2} ms"
cell clock-cpuid "" "clockref=cpuid selftest=timer quit=1" ok \
    "clockref=cpuid asked for a reference this machine does not have;;calibrated against the ACPI PM timer"
cell no-hpet "--machine q35,hpet=off" "clockref=hpet selftest=timer quit=1" ok \
    "HPET .*no ACPI HPET table|clockref=hpet asked for a reference this machine does not have \\(no ACPI HPET table\\);;calibrated against the ACPI PM timer .*checked against the PIT"
cell no-acpi "--machine q35,acpi=off" "$all hwinfo=1" ok \
    "calibrated against the PIT;;ACPI PM timer +absent: no ACPI FADT;;cpus: no ACPI MADT;;the firmware gave no RSDP" quick
cell no-reference "--machine q35,acpi=off,pit=off" "quit=1" fail \
    "clock: no reference clock to calibrate against .*PIT: its channel 2 does not count.*: stopping"
# The end of a run with nobody at the keyboard (no quit=1, no PS/2, nothing on
# serial): the countdown, then afterrun. Power off by ResetSystem, by ACPI S5,
# a reboot, and the halt at the end of the chain.
cell afterrun-default "--no-ps2" "selftest=frames" ends \
    "powering off in 60 s if no key is pressed;;no key pressed: powering off \\(afterrun=poweroff\\);;power off: UEFI ResetSystem"
cell afterrun-s5 "--no-ps2" "selftest=frames aftertimeout=3 poweroff=acpi" ends \
    "powering off in 3 s;;power off: ACPI S5 \\(SLP_TYPa 0, SLP_TYPb 0 from \\\\_S5 in the DSDT\\)" quick
cell afterrun-reboot "" "selftest=frames afterrun=reboot aftertimeout=2" ends \
    "rebooting in 2 s;;no key pressed: rebooting;;reboot: UEFI ResetSystem"
cell poweroff-halt "" "selftest=frames aftertimeout=1 poweroff=halt" hangs \
    "halted: it is now safe to switch the machine off"
# A combination PCs have: i440fx, an older CPU, four CPUs, AHCI, no PS/2.
cell pc-combo "--machine pc --cpu Nehalem --smp 4 --disk ahci --no-ps2 --mem 512M" "$all hwinfo=1" ok \
    "cpus: 4 in the MADT;;Sata\\(;;kbd: no PS/2 controller;;$cal;;hwinfo: end" quick

if [ $list -eq 1 ]; then
    for i in "${!names[@]}"; do
        printf '%-18s %-5s %-6s %s | %s\n' "${names[$i]}" "${quicks[$i]}" "${wants[$i]}" \
            "${qargs[$i]}" "${lines[$i]}"
    done
    exit 0
fi

# Which cells to run.
sel=()
for i in "${!names[@]}"; do
    if [ ${#only[@]} -gt 0 ]; then
        for o in "${only[@]}"; do [ "$o" = "${names[$i]}" ] && sel+=("$i"); done
    elif [ $quick -eq 0 ] || [ -n "${quicks[$i]}" ]; then
        sel+=("$i")
    fi
done
[ ${#sel[@]} -gt 0 ] || { echo "matrix.sh: no such cell: ${only[*]} (see --list)" >&2; exit 2; }
[ -f build/spanlab-usb.img ] || { echo "matrix.sh: no image: run make first" >&2; exit 2; }
mkdir -p "$logs"

# Runs cell i; writes "RESULT SECONDS DETAIL" to its .res file.
run_cell() {
    local i=$1 name=${names[$1]} log=$logs/${names[$1]}.log tmo=300 start rc
    [ "${wants[$i]}" = hangs ] && tmo=60
    start=$(date +%s)
    # shellcheck disable=SC2086 # the cell's qemu.sh arguments are words
    tools/qemu.sh ${qargs[$i]} --timeout $tmo --cmdline "${lines[$i]}" </dev/null 2>&1 |
        tr -d '\r' >"$log"
    rc=${PIPESTATUS[0]}
    local secs=$(($(date +%s) - start)) ok=1 why=""
    case "${wants[$i]}:$rc" in
    ok:0 | fail:1 | hangs:124) ;;
    ends:124) ok=0 why="timed out: QEMU did not stop by itself" ;;
    ends:*) ;;
    *) ok=0 why="qemu.sh exit $rc, want ${wants[$i]}" ;;
    esac
    local pat rest=${checks[$i]}
    while [ -n "$rest" ]; do
        pat=${rest%%;;*}
        [ "$pat" = "$rest" ] && rest= || rest=${rest#*;;}
        grep -Eq -- "$pat" "$log" || { ok=0 why="${why:+$why; }missing /$pat/"; }
    done
    echo "$([ $ok -eq 1 ] && echo PASS || echo FAIL) $secs $why" >"$logs/$name.res"
}

t0=$(date +%s)
running=0
for i in "${sel[@]}"; do
    run_cell "$i" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

table=build/test-logs/matrix.md
passed=0 failed=0
{
    echo "| cell | qemu.sh options | command line | result | seconds |"
    echo "|---|---|---|---|---|"
    for i in "${sel[@]}"; do
        read -r res secs why <"$logs/${names[$i]}.res"
        echo "| ${names[$i]} | ${qargs[$i]:-(defaults)} | \`${lines[$i]}\` | $res${why:+ ($why)} | $secs |"
    done
} >"$table"
for i in "${sel[@]}"; do
    read -r res secs why <"$logs/${names[$i]}.res"
    printf '%-4s %-17s %4ss  %s\n' "$res" "${names[$i]}" "$secs" "$why"
    if [ "$res" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "matrix: $passed passed, $failed failed in $(($(date +%s) - t0)) s (table: $table, logs: $logs/)"
[ $failed -eq 0 ]
