#!/usr/bin/env python3
"""Joins the Go 1.19 keys of tests/gocompare/variants with spanlab's RESULT lines.

Usage: compare.py GO_OUTPUT SPANLAB_OUTPUT [--relations FILE] [--markdown]
                  [--update-readme README.md]

GO_OUTPUT holds "bug=NN variant=NAME key=VALUE" lines (run.sh); SPANLAB_OUTPUT is
the output of `build/spanlab-host run=...` (its RESULT lines and the summary
table, which gives each variant's outcome). relations.tsv says, for every
(bug, variant, key), what relation the two values have:

  equal         the values must be the same
  differs TAGS  they may differ, for the reasons TAGS name ('+'-separated; each
                tag is defined on a "reason" line of relations.tsv)
  timing        a wall-clock measurement: never compared
  spanlab-only TAGS / go-only TAGS   the key exists on one side only

The most specific matching row wins ('*' matches anything; later rows win ties).
A key whose values differ without a "differs" or "timing" row, or that exists on
one side only without the matching "-only" row, is UNEXPLAINED, and so is a key
no row covers. The table is printed with one row per key; the exit status is 1
when anything is unexplained. --markdown prints the table as Markdown, and
--update-readme writes it between the table markers of the README.
"""
import argparse
import re
import sys

COMMON = ("heap_alloc heap_inuse heap_sys heap_released heap_objects mallocs frees "
          "total_alloc num_gc stack_inuse committed_pages resident_pages lazyfree_pages "
          "goroutines timers").split()
BEGIN, END = "<!-- table begin (compare.py --update-readme) -->", "<!-- table end -->"


def read_go(path):
    """(bug, variant, key) -> value, in the order printed."""
    out = {}
    for n, line in enumerate(open(path), 1):
        m = re.match(r"bug=(\d+) variant=(\S+) (\S+)=(\S+)$", line.strip())
        if m:
            out[(int(m[1]), m[2], m[3])] = m[4]
        elif line.strip():
            sys.exit(f"compare.py: {path}:{n}: not a 'bug=NN variant=NAME key=VALUE' line: {line.strip()!r}")
    return out


def read_spanlab(path):
    """(bug, variant, key) -> value from RESULT lines, plus each variant's outcome."""
    out = {}
    for line in open(path):
        if line.startswith("RESULT "):
            kv = dict(w.split("=", 1) for w in line.split()[1:])
            bug, variant = int(kv.pop("bug")), kv.pop("variant")
            for k, v in kv.items():
                out[(bug, variant, k)] = v
        m = re.match(r"(\d\d)\s+\S+\s+((?:\S+:\S+\s*)+?)\s+\d+\s+\d+\s+\d+", line)
        if m:  # the summary table: "01   slice_pin   buggy:ok fixed:ok   8 0 0"
            for vo in m[2].split():
                variant, outcome = vo.split(":", 1)
                out[(int(m[1]), variant, "outcome")] = outcome
    if not out:
        sys.exit(f"compare.py: {path}: no RESULT lines")
    return out


def read_relations(path):
    """The rows and the reason definitions of relations.tsv."""
    rows, reasons = [], {}
    for n, line in enumerate(open(path), 1):
        line = line.split("#", 1)[0].rstrip() if not line.startswith("reason") else line.rstrip()
        if not line:
            continue
        f = line.split(None, 2 if line.startswith("reason") else 5)
        if f[0] == "reason" and len(f) == 3:
            reasons[f[1]] = f[2]
            continue
        if len(f) < 4 or f[3] not in ("equal", "differs", "timing", "spanlab-only", "go-only"):
            sys.exit(f"compare.py: {path}:{n}: want 'BUG VARIANT KEY RELATION [TAGS]', got {line!r}")
        tags = f[4] if len(f) > 4 else ""
        if f[3] in ("differs", "spanlab-only", "go-only") and not tags:
            sys.exit(f"compare.py: {path}:{n}: relation {f[3]} needs a reason tag")
        rows.append((f[0], f[1], f[2], f[3], tags, n))
    for r in rows:
        for t in filter(None, r[4].split("+")):
            if t not in reasons:
                sys.exit(f"compare.py: {path}:{r[5]}: reason tag {t!r} has no 'reason {t} ...' line")
    return rows, reasons


def relation(rows, bug, variant, key):
    """The most specific row for (bug, variant, key), or None."""
    best, score = None, -1
    for r in rows:
        want = (str(bug).zfill(2), variant, key)
        if all(p == "*" or p == w or (i == 0 and p.zfill(2) == w) for i, (p, w) in enumerate(zip(r[:3], want))):
            s = sum(p != "*" for p in r[:3])
            if s >= score:
                best, score = r, s
    return best


def verdict(g, s, rel):
    """(relation shown, unexplained?) for one key."""
    if rel is None:
        return "no relation row", True
    kind, tags = rel[3], rel[4]
    if g is not None and s is not None:
        if kind == "timing":
            return "timing", False
        if g == s:
            return "equal", kind not in ("equal", "differs")
        return (f"differs: {tags}", False) if kind == "differs" else (f"differs, expected {kind}", True)
    if g is None and s is not None:
        return (f"spanlab-only: {tags}", False) if kind == "spanlab-only" else ("missing in Go", True)
    return (f"go-only: {tags}", False) if kind == "go-only" else ("missing in spanlab", True)


def table(go, sp, rows):
    keys, seen = [], set()
    for k in list(sp) + list(go):
        if k not in seen:
            seen.add(k)
            keys.append(k)
    order = lambda k: (k[0], variant_rank.get((k[0], k[1]), 99), k[2] not in COMMON, k[2] != "outcome")
    variant_rank = {}
    for k in list(sp) + list(go):
        variant_rank.setdefault((k[0], k[1]), len([v for v in variant_rank if v[0] == k[0]]))
    keys.sort(key=order)
    out = []
    for k in keys:
        g, s = go.get(k), sp.get(k)
        shown, bad = verdict(g, s, relation(rows, *k))
        out.append((k, g, s, shown, bad))
    return out


def text(lines):
    w = "{:>3} {:<13} {:<26} {:>14} {:>14}  {}"
    print(w.format("bug", "variant", "key", "Go 1.19", "spanlab", "relation"))
    for (b, v, key), g, s, shown, bad in lines:
        print(w.format(b, v, key, g or "-", s or "-", shown + ("   <-- UNEXPLAINED" if bad else "")))


def markdown(lines):
    out = ["| bug | variant | key | Go 1.19 | spanlab | relation |", "|---|---|---|---:|---:|---|"]
    for (b, v, key), g, s, shown, bad in lines:
        out.append(f"| {b:02d} | {v} | {key} | {g or '-'} | {s or '-'} | {shown}{' **UNEXPLAINED**' if bad else ''} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("go")
    ap.add_argument("spanlab")
    ap.add_argument("--relations", default=__file__.rsplit("/", 1)[0] + "/relations.tsv")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--update-readme")
    a = ap.parse_args()
    try:
        rows, reasons = read_relations(a.relations)
        lines = table(read_go(a.go), read_spanlab(a.spanlab), rows)
    except OSError as e:
        sys.exit(f"compare.py: {e}")
    if a.update_readme:
        doc = open(a.update_readme).read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"compare.py: {a.update_readme} has no table markers")
        head, rest = doc.split(BEGIN, 1)
        doc = head + BEGIN + "\n" + markdown(lines) + "\n" + END + rest.split(END, 1)[1]
        open(a.update_readme, "w").write(doc)
    elif a.markdown:
        print(markdown(lines))
    else:
        text(lines)
    bad = sum(l[4] for l in lines)
    counts = {}
    for l in lines:
        counts[l[3].split(":")[0]] = counts.get(l[3].split(":")[0], 0) + 1
    print(f"{len(lines)} keys: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), file=sys.stderr)
    print("all explained" if not bad else f"{bad} UNEXPLAINED", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
