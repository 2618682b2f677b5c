#!/usr/bin/env python3
"""Turns a spanlab run log into a self-contained HTML report (inline SVG, no script,
nothing fetched from the network).

  tools/report.py LOG [-o DIR] [--only N,M,...]

LOG is the output of a run with trace=1: build/spanlab-host stdout, or a serial log
of QEMU or a real PC (carriage returns and ANSI colours are fine); - reads stdin.
DIR (default build/report) receives index.html (the summary table) and bugNN.html,
one page per scenario: its story, its variants, plots of its TRACE samples over time
(buggy and fixed side by side on the same axes, GC cycles and named phases marked),
the aligned residency maps with the objects' allocation sites, its RESULT keys and
its CHECK lines. --only writes the pages of those scenarios only (and an index of
them). Exit status: 0 written, 1 the log holds no scenario (or none of --only), 2
usage error.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reportlib import logparse, pages  # noqa: E402


def parse_only(text):
    """--only N,M -> a set of numbers; exits 2 naming a bad word."""
    out = set()
    for w in text.split(","):
        if not w.strip().isdigit():
            print("report.py: --only: '%s' is not a scenario number (want N,M,...)" % w,
                  file=sys.stderr)
            sys.exit(2)
        out.add(int(w))
    return out


def read_log(path):
    if path == "-":
        return sys.stdin.read().splitlines()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError as e:
        print("report.py: cannot read %s: %s" % (path, e.strerror), file=sys.stderr)
        sys.exit(2)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log", help="run log (host stdout or serial log), - for stdin")
    ap.add_argument("-o", "--out", default="build/report", help="output directory")
    ap.add_argument("--only", help="scenario numbers to write, e.g. 13 or 2,13")
    args = ap.parse_args()
    run = logparse.parse(read_log(args.log))
    if args.only:
        want = parse_only(args.only)
        run.scenarios = {n: s for n, s in run.scenarios.items() if n in want}
    if not run.scenarios:
        print("report.py: %s: no scenario%s in %d lines (a log of `run=... trace=1`?)"
              % (args.log, " of --only %s" % args.only if args.only else "", run.lines),
              file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    scens = list(run.scenarios.values())
    write(os.path.join(args.out, "index.html"), pages.index_html(run, args.log))
    for i, scen in enumerate(scens):
        links = [(scens[i - 1] if i else None, "previous"),
                 (scens[i + 1] if i + 1 < len(scens) else None, "next")]
        write(os.path.join(args.out, pages.page_name(scen)), pages.scenario_html(scen, links))
    traced = sum(1 for s in scens for v in s.variants.values() if v.trace)
    print("report.py: %s/index.html and %d scenario page%s (%d variants with TRACE samples)"
          % (args.out, len(scens), "" if len(scens) == 1 else "s", traced))
    return 0


if __name__ == "__main__":
    sys.exit(main())
