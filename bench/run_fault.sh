#!/usr/bin/env bash
# The page layer's benchmark: first-touch fault and release cost per 4 KiB page, hosted on
# Linux (build/bench/fault_cost) and in the kernel under QEMU (selftest=faultbench),
# printed side by side. The kernel column is TCG-emulated: its cycles are the
# guest's TSC, not real hardware cost. Each figure is the median of the program's
# rounds; they are recorded (bench/lib.sh) as area fault, benchmark = op, param =
# chunk, implementation = hosted or kernel. Exits 1 when a run failed or is
# incomplete. Not a test: it never fails on slow numbers.
# Usage: bench/run_fault.sh [--host-only] [pages] [rounds]
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
host_only=0
[ "${1:-}" = --host-only ] && { host_only=1; shift; }
pages=${1:-4096}
rounds=${2:-5}
build=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/faultbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bench_build "$bench_bin/fault_cost" || exit 1
bench_begin fault
status=0
"$bench_bin/fault_cost" "$pages" "$rounds" >"$tmp/host.log" 2>&1 || status=1
echo "hosted: exit $status ($(grep -c '^FAULTBENCH' "$tmp/host.log") lines)"
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

# Both logs' FAULTBENCH lines, without the kernel's serial '\r' and prefixes.
sed -n 's/\r//; s/.*FAULTBENCH/FAULTBENCH/p' "$tmp/host.log" "$tmp/kernel.log" >"$tmp/lines"
field='function field(k,   i) {
    for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2)
    return ""
}'
awk "$field"'
    function get(env, k, a) { return ((env, k) in a) ? a[env, k] : "-" }
    field("op") == "clock" { mhz[field("env")] = field("cycles_per_us"); next }
    field("chunk") != "" {
        key = field("op") " " field("chunk")
        if (!(key in seen)) { seen[key] = 1; order[n++] = key }
        env = field("env")
        cy[env, key] = field("cycles_per_page"); ns[env, key] = field("ns_per_page")
        pg = field("pages")
    }
    END {
        printf "fault and release cost per 4 KiB page (%s pages, median of rounds)\n", pg
        printf "TSC: hosted %s MHz, kernel %s MHz (QEMU TCG)\n",
            mhz["hosted"] ? mhz["hosted"] : "-", mhz["kernel"] ? mhz["kernel"] : "-"
        fmt = "%-18s %6s | %12s %10s | %12s %10s\n"
        printf fmt, "op", "chunk", "host cycles", "host ns", "kernel cycles", "kernel ns"
        for (i = 0; i < n; i++) {
            k = order[i]; split(k, p, " ")
            printf fmt, p[1], p[2], get("hosted", k, cy), get("hosted", k, ns),
                get("kernel", k, cy), get("kernel", k, ns)
        }
    }' "$tmp/lines"
if [ $host_only -eq 0 ] && ! grep -q 'FAULTBENCH env=kernel done ok=1' "$tmp/kernel.log"; then
    echo "kernel run incomplete; last lines of its log:"
    tail -15 "$tmp/kernel.log" | tr -d '\r' | sed 's/^/    /'
    status=1
fi

# The records: one per env, op, chunk and unit.
awk "$field"'
    field("chunk") != "" {
        print field("op"), field("chunk"), field("env"), field("ns_per_page"),
            field("cycles_per_page")
    }' "$tmp/lines" | while read -r op chunk env ns cycles; do
    bench_record "$op" "$chunk" "$env" ns_per_page ns 1 "$ns"
    bench_record "$op" "$chunk" "$env" cycles_per_page cycles 1 "$cycles"
done
bench_end
exit $status
