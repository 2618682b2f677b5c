#!/usr/bin/env python3
"""Pause statistics of one GC benchmark run, from its stderr, computed the same way
for every collector:
  spanlab  the GCPAUSES line (bench/gc_bench_util.h): every stop-the-world pause in ns;
  Boehm    the same lines (bench/boehm_pauses.h): every collection, start to end;
  Go       GODEBUG=gctrace=1 lines, "gc N @Ts P%: A+B+C ms clock, ...": A is the
           stop-the-world sweep termination, B the concurrent mark and C the
           stop-the-world mark termination (runtime/mgc.go), so A and C are the
           cycle's two pauses. gctrace prints them to two significant digits
           (fmtNSAsMS), so a Go pause is known to about 10%.
Prints one line: cycles=N pauses=M and, when M > 0, pause_median_us pause_p99_us
pause_max_us pause_total_us; and gc_cpu_pct, the collector's share of the CPU
(spanlab: GCSTATS gc_cpu_fraction_pct, GCCPUFraction with the incremental mark
work measured; Boehm: its pauses over the run's time; Go: GCCPUFraction as mgc.go
computes it, from the gctrace lines' CPU fields "A+B/C/D+E ms cpu": sweep
termination A, assist B, background C and mark termination E of every cycle (idle
D left out, as Go does), over the time from the start to the last cycle's end (@T
plus its clock fields); to a tenth of a percent where the line's P% is truncated to
a whole one, which puts Go's share up to a point low). Median: statistics.median;
p99: nearest rank (the ceil(0.99 M)-th smallest pause).
Usage: pauses.py STDERR_FILE; exits 1 when the file has neither kind of line.
"""
import math
import re
import statistics
import sys

GCTRACE = re.compile(r"^gc \d+ @([0-9.]+)s \d+%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, "
                     r"([0-9.]+)\+([0-9.]+)/([0-9.]+)/[0-9.]+\+([0-9.]+) ms cpu")


def pauses_of(lines):
    """(cycles, [pause in us], gc cpu %) from spanlab's GCPAUSES and GCSTATS lines or
    Go's gctrace lines."""
    cycles, pauses, seen, cpu = 0, [], False, None
    go_gc_ms = 0.0  # Go's GC CPU time so far (idle marking left out)
    for line in lines:
        if line.startswith("GCSTATS "):
            fields = dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)
            if "gc_cpu_fraction_pct" in fields:
                cpu = float(fields["gc_cpu_fraction_pct"])
        if line.startswith("GCPAUSES "):
            seen = True
            fields = dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)
            cycles += int(fields.get("cycles", "0"))
            pauses += [int(v) / 1000 for v in fields.get("ns", "").split(",") if v]
        m = GCTRACE.match(line)
        if m:
            seen = True
            cycles += 1
            start_s, clock = float(m.group(1)), [float(m.group(i)) for i in (2, 3, 4)]
            pauses += [clock[0] * 1000, clock[2] * 1000]
            go_gc_ms += sum(float(m.group(i)) for i in (5, 6, 7, 8))  # sweep, assist, bg, term
            end_ms = start_s * 1000 + sum(clock)
            cpu = 100 * go_gc_ms / end_ms if end_ms > 0 else 0.0
    return (cycles, pauses, cpu) if seen else None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pauses.py STDERR_FILE")
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        got = pauses_of(f)
    if got is None:
        print(f"pauses.py: {sys.argv[1]}: no GCPAUSES or gctrace line", file=sys.stderr)
        sys.exit(1)
    cycles, pauses, cpu = got
    out = f"cycles={cycles} pauses={len(pauses)}"
    if cpu is not None:
        out += f" gc_cpu_pct={cpu:.1f}"
    if pauses:
        s = sorted(pauses)
        p99 = s[math.ceil(0.99 * len(s)) - 1]
        out += (f" pause_median_us={statistics.median(s):.1f} pause_p99_us={p99:.1f}"
                f" pause_max_us={s[-1]:.1f} pause_total_us={sum(s):.1f}")
    print(out)


if __name__ == "__main__":
    main()
