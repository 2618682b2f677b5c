#!/usr/bin/env python3
"""Compares the RESULT lines of two scenario runs key by key.

  tools/same-results.py LOG_A LOG_B [--platform] [--names A,B]

Every RESULT key of every variant must have the same value in both logs, except the
timings scenarios/timing-keys.txt lists (never compared) and, with --platform (a
kernel's log against the host's), the platform-dependent keys
scenarios/platform-keys.txt lists. A variant or a key present in one log only is a
difference too. Prints one line per difference and exits 1 if there is any, 2 on
bad input (a missing log, a log without RESULT lines, a malformed list).
"""
import argparse
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def read_keys(path):
    """{(bug or '*', key)} from a 'BUG KEY  # why' list."""
    keys = set()
    try:
        lines = open(path).readlines()
    except OSError as e:
        sys.exit(f"same-results.py: {e}")
    for n, line in enumerate(lines, 1):
        f = line.split("#", 1)[0].split()
        if not f:
            continue
        if len(f) != 2 or not (f[0].isdigit() or f[0] == "*"):
            print(f"same-results.py: {path}:{n}: want 'BUG KEY' (BUG a number or *), got {line.strip()!r}",
                  file=sys.stderr)
            sys.exit(2)
        keys.add((f[0] if f[0] == "*" else str(int(f[0])), f[1]))
    return keys


def read_results(path):
    """(bug, variant) -> {key: value} from RESULT lines (ANSI codes and CRs dropped)."""
    try:
        text = open(path, errors="replace").read()
    except OSError as e:
        print(f"same-results.py: {e}", file=sys.stderr)
        sys.exit(2)
    out = {}
    for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", text).splitlines():
        if line.startswith("RESULT "):
            kv = dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)
            out[(str(int(kv.pop("bug", "-1"))), kv.pop("variant", "?"))] = kv
    if not out:
        print(f"same-results.py: {path}: no RESULT lines", file=sys.stderr)
        sys.exit(2)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--platform", action="store_true")
    ap.add_argument("--names", default="A,B")
    ap.add_argument("--timing-keys", default=os.path.join(ROOT, "scenarios/timing-keys.txt"))
    ap.add_argument("--platform-keys", default=os.path.join(ROOT, "scenarios/platform-keys.txt"))
    args = ap.parse_args()
    na, nb = (args.names.split(",") + ["B"])[:2]
    skip = read_keys(args.timing_keys) | (read_keys(args.platform_keys) if args.platform else set())
    skipped = lambda bug, key: (bug, key) in skip or ("*", key) in skip
    a, b = read_results(args.a), read_results(args.b)
    bad = compared = 0
    for v in sorted(set(a) | set(b), key=lambda v: (int(v[0]), v[1])):
        label = f"bug {int(v[0]):02d} {v[1]}"
        if v not in a or v not in b:
            print(f"{label}: only in {na if v in a else nb}")
            bad += 1
            continue
        for k in list(dict.fromkeys(list(a[v]) + list(b[v]))):
            if skipped(v[0], k):
                continue
            compared += 1
            if a[v].get(k) != b[v].get(k):
                print(f"{label} {k}: {na} {a[v].get(k, '-')}, {nb} {b[v].get(k, '-')}")
                bad += 1
    print(f"{compared} keys compared in {len(set(a) & set(b))} variants: "
          + ("all the same" if not bad else f"{bad} differ"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
