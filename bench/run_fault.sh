#!/usr/bin/env bash
# Issue 3's benchmark: first-touch fault and release cost per 4 KiB page, hosted on
# Linux (build/bench/fault_cost) and in the kernel under QEMU (selftest=faultbench),
# printed side by side. The kernel column is TCG-emulated: its cycles are the
# guest's TSC, not real hardware cost. Not a test: it never fails on slow numbers.
# Usage: bench/run_fault.sh [--host-only] [pages] [rounds]
set -uo pipefail
cd "$(dirname "$0")/.."
host_only=0
[ "${1:-}" = --host-only ] && { host_only=1; shift; }
pages=${1:-4096}
rounds=${2:-5}
build=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/faultbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

make -s "$build/bench/fault_cost" || exit 1
"$build/bench/fault_cost" "$pages" "$rounds" >"$tmp/host.log" 2>&1
echo "hosted: exit $? ($(grep -c '^FAULTBENCH' "$tmp/host.log") lines)"
: >"$tmp/kernel.log"
if [ $host_only -eq 0 ]; then
    if ! make -s all >"$tmp/make.log" 2>&1; then
        echo "kernel: make all failed (tail below); using the existing image if any"
        tail -3 "$tmp/make.log" | sed 's/^/    /'
    fi
    if [ -f "$build/spanlab-usb.img" ]; then
        tools/qemu.sh --timeout 600 --cmdline 'selftest=faultbench quit=1' >"$tmp/kernel.log" 2>&1
        echo "kernel: exit $? ($(grep -c 'FAULTBENCH' "$tmp/kernel.log") lines)"
    fi
fi

# Joins the two logs on op+chunk; the kernel's lines may carry serial '\r'.
awk '
    function field(k,   i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
    { gsub(/\r/, "") }
    !/FAULTBENCH/ { next }
    { sub(/.*FAULTBENCH/, "FAULTBENCH") }
    field("op") == "clock" { mhz[field("env")] = field("cycles_per_us"); next }
    field("op") == "" { next }
    {
        key = field("op") " " field("chunk")
        if (!(key in seen)) { seen[key] = 1; order[n++] = key }
        cy[field("env"), key] = field("cycles_per_page"); ns[field("env"), key] = field("ns_per_page")
        pg = field("pages")
    }
    END {
        printf "fault and release cost per 4 KiB page (%s pages, median of rounds)\n", pg
        printf "TSC: hosted %s MHz, kernel %s MHz (QEMU TCG)\n", mhz["hosted"] ? mhz["hosted"] : "-", mhz["kernel"] ? mhz["kernel"] : "-"
        printf "%-18s %6s | %12s %10s | %12s %10s\n", "op", "chunk", "host cycles", "host ns", "kernel cycles", "kernel ns"
        for (i = 0; i < n; i++) {
            k = order[i]; split(k, p, " ")
            printf "%-18s %6s | %12s %10s | %12s %10s\n", p[1], p[2], \
                (("hosted", k) in cy) ? cy["hosted", k] : "-", (("hosted", k) in ns) ? ns["hosted", k] : "-", \
                (("kernel", k) in cy) ? cy["kernel", k] : "-", (("kernel", k) in ns) ? ns["kernel", k] : "-"
        }
    }' "$tmp/host.log" "$tmp/kernel.log"
if [ $host_only -eq 0 ] && ! grep -q 'FAULTBENCH env=kernel done ok=1' "$tmp/kernel.log"; then
    echo "kernel run incomplete; last lines of its log:"
    tail -15 "$tmp/kernel.log" | tr -d '\r' | sed 's/^/    /'
fi
