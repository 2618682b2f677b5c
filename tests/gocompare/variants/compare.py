#!/usr/bin/env python3
"""Joins the Go 1.19 keys of tests/gocompare/variants with spanlab's RESULT lines.

Usage: compare.py GO_OUTPUT SPANLAB_OUTPUT [--relations FILE] [--timing-keys FILE]
                  [--markdown] [--doc FILE] [--check-doc FILE]

GO_OUTPUT holds "bug=NN variant=NAME key=VALUE" lines (run.sh); SPANLAB_OUTPUT is
the output of `build/spanlab-host run=...` (its RESULT lines and the summary
table, which gives each variant's outcome), at scale=1, the sizes the Go programs
use, so every value compares as it is (no row is scaled). relations.tsv says, for
every (bug, variant, key), what relation the two values have:

  equal         the values must be the same
  differs TAGS  they differ, for the reasons TAGS name ('+'-separated; each tag is
                defined on a "reason" line of relations.tsv)
  may-differ TAGS  they may or may not differ from run to run (Go's own variation)
  spanlab-only TAGS / go-only TAGS   the key exists on one side only

The keys scenarios/timing-keys.txt lists are timings: never compared.

The most specific matching row wins ('*' matches anything; later rows win ties).
A key whose values differ without a "differs" row, or that exists on one side only
without the matching "-only" row, is UNEXPLAINED, and so is a key no row covers.
A row is STALE when it explains nothing: no key is governed by it, or it says
"differs" and every key it governs is now equal. The table is printed with one row
per key; the exit status is 1 when anything is unexplained or stale.

--markdown prints the table as Markdown; --doc FILE writes docs/fidelity.md (the
table with the reason for every row that is not equal); --check-doc FILE fails
(exit 1) when FILE is not what --doc would write, up to the values that change
from run to run: it compares every row's key and relation, spanlab's values (but
timings) and Go's values where the relation is "equal".
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../../.."))
COMMON = ("heap_alloc heap_inuse heap_sys heap_released heap_objects mallocs frees "
          "total_alloc num_gc stack_inuse committed_pages resident_pages lazyfree_pages "
          "goroutines timers").split()
KINDS = ("equal", "differs", "may-differ", "spanlab-only", "go-only")
TAGGED = ("differs", "may-differ", "spanlab-only", "go-only")


def read_go(path):
    """(bug, variant, key) -> value, in the order printed."""
    out = {}
    for n, line in enumerate(open(path), 1):
        m = re.match(r"bug=(\d+) variant=(\S+) (\S+)=(\S+)$", line.strip())
        if m:
            out[(int(m[1]), m[2], m[3])] = m[4]
        elif line.strip():
            sys.exit(f"compare.py: {path}:{n}: not a 'bug=NN variant=NAME key=VALUE' line: {line.strip()!r}")
    if not out:
        sys.exit(f"compare.py: {path}: no Go keys")
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


def read_timing_keys(path):
    """{(bug, key)} from scenarios/timing-keys.txt ("BUG KEY  # why" lines)."""
    keys = set()
    for n, line in enumerate(open(path), 1):
        f = line.split("#", 1)[0].split()
        if not f:
            continue
        if len(f) != 2 or not f[0].isdigit():
            sys.exit(f"compare.py: {path}:{n}: want 'BUG KEY', got {line.strip()!r}")
        keys.add((int(f[0]), f[1]))
    return keys


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
        if len(f) < 4 or f[3] not in KINDS:
            sys.exit(f"compare.py: {path}:{n}: want 'BUG VARIANT KEY RELATION [TAGS]' with RELATION "
                     f"one of {', '.join(KINDS)}, got {line!r}")
        tags = f[4] if len(f) > 4 else ""
        if f[3] in TAGGED and not tags:
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


def shown_relation(rel, timing):
    """The relation a row of the table names: stable from run to run."""
    if timing:
        return "timing"
    if rel is None:
        return "no relation row"
    return rel[3] if not rel[4] else f"{rel[3]}: {rel[4]}"


def problem(g, s, rel, timing):
    """Why one key is unexplained, or None."""
    if timing:  # never compared, on one side or both
        return None
    if rel is None:
        return "no relation row"
    if g is not None and s is not None:
        if g != s and rel[3] not in ("differs", "may-differ"):
            return f"values differ, relation {rel[3]}"
        if rel[3] in ("spanlab-only", "go-only"):
            return f"both sides print it, relation {rel[3]}"
        return None
    side = "spanlab-only" if g is None else "go-only"
    if rel is None or rel[3] != side:
        return f"missing in {'Go' if g is None else 'spanlab'}"
    return None


def table(go, sp, rows, timing_keys):
    """One line per key: (key, go, spanlab, relation shown, problem), and the stale rows."""
    variant_rank = {}
    for k in list(sp) + list(go):
        variant_rank.setdefault((k[0], k[1]), len([v for v in variant_rank if v[0] == k[0]]))
    keys = list(dict.fromkeys(list(sp) + list(go)))  # first seen first, then by variant
    keys.sort(key=lambda k: (k[0], variant_rank[(k[0], k[1])], k[2] not in COMMON, k[2] != "outcome"))
    out, governed = [], {}
    for k in keys:
        g, s = go.get(k), sp.get(k)
        timing = (k[0], k[2]) in timing_keys
        rel = relation(rows, *k)
        if rel is not None and not timing:
            governed.setdefault(rel[5], []).append((g, s))
        out.append((k, g, s, shown_relation(rel, timing), problem(g, s, rel, timing)))
    stale, ran = [], {k[0] for k in keys}
    for r in rows:
        vals = governed.get(r[5], [])
        if r[0] != "*" and int(r[0]) not in ran:
            continue  # a run of some scenarios only: rows for the others are not judged
        if not vals:
            stale.append((r, "governs no key of this run"))
        elif r[3] == "differs" and not any(g is not None and s is not None and g != s for g, s in vals):
            stale.append((r, f"says differs, but its {len(vals)} key(s) are equal"))
    return out, stale


def text(lines, stale):
    w = "{:>3} {:<13} {:<26} {:>14} {:>14}  {}"
    print(w.format("bug", "variant", "key", "Go 1.19", "spanlab", "relation"))
    for (b, v, key), g, s, shown, bad in lines:
        print(w.format(b, v, key, g or "-", s or "-", shown + (f"   <-- UNEXPLAINED: {bad}" if bad else "")))
    for r, why in stale:
        print(f"STALE relations.tsv:{r[5]}: {' '.join(r[:4])} {r[4]}: {why}")


def markdown(lines):
    out = ["| bug | variant | key | Go 1.19 | spanlab | relation |", "|---|---|---|---:|---:|---|"]
    for (b, v, key), g, s, shown, bad in lines:
        rel = shown
        if ": " in shown:
            kind, tags = shown.split(": ", 1)
            rel = kind + ": " + "+".join(f"[{t}](#{t})" for t in tags.split("+"))
        out.append(f"| {b:02d} | {v} | {key} | {g or '-'} | {s or '-'} | {rel}{' **UNEXPLAINED**' if bad else ''} |")
    return "\n".join(out)


DOC_HEAD = """# Fidelity: every scenario variant against Go 1.19

<!-- Generated by `make fidelity-doc` (tests/gocompare/variants/compare.py --doc) from
     one run of the Go programs and of build/spanlab-host; do not edit by hand:
     the gocompare test variants_vs_go fails when this file is out of date. -->

Every variant of the 18 scenarios runs twice: as spanlab models it
(`build/spanlab-host run=all`, scale=1) and as the Go 1.19 program it names
(tests/gocompare/variants, one process per variant, at the same sizes, so no value
needs scaling). Each row below is one RESULT key of one variant, with the relation
tests/gocompare/variants/relations.tsv gives it: **equal** (the test fails if the
values differ), **differs** (for the reasons its tags name, defined below; the test
fails if a "differs" row has become equal everywhere it applies), **may-differ**
(Go's own value moves from run to run), **go-only** / **spanlab-only** (one side
cannot measure it), or **timing** (scenarios/timing-keys.txt: never compared).
The test is `make test T=variants_vs_go`; tests/gocompare/variants/README.md says
how each Go program measures its keys.

{summary}

## Reasons

| tag | why the two values differ |
|---|---|
{reasons}

## The table

{table}
"""


def doc(lines, reasons):
    counts = {}
    for l in lines:
        kind = l[3].split(":")[0]
        if kind == "differs" and l[1] == l[2]:
            kind = "differs (equal this run)"
        counts[kind] = counts.get(kind, 0) + 1
    summary = (f"{len(lines)} rows: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
               + f"; {sum(1 for l in lines if l[4])} unexplained.")
    used = sorted({t for l in lines if ": " in l[3] for t in l[3].split(": ", 1)[1].split("+")})
    reasons_md = "\n".join(f'| <a id="{t}"></a>{t} | {reasons[t]} |' for t in used)
    return DOC_HEAD.format(summary=summary, reasons=reasons_md, table=markdown(lines))


def projection(rows_md):
    """What must not change between two runs: per row, the key, the relation, spanlab's
    value (but timings) and Go's where the relation is equal."""
    out = {}
    for bug, variant, key, g, s, rel in rows_md:
        rel = re.sub(r"\[([^]]+)\]\(#[^)]+\)", r"\1", rel)
        out[(bug, variant, key)] = (rel, s if rel != "timing" else "*", g if rel == "equal" else "*")
    return out


def parse_doc_rows(text_):
    rows = []
    for line in text_.splitlines():
        m = re.match(r"\| (\d\d) \| (\S+) \| (\S+) \| (\S+) \| (\S+) \| (.*) \|$", line)
        if m:
            rows.append(tuple(m.groups()))
    return rows


def check_doc(path, lines, reasons):
    try:
        have = open(path).read()
    except OSError as e:
        sys.exit(f"compare.py: {e}")
    want = doc(lines, reasons)
    a, b = projection(parse_doc_rows(have)), projection(parse_doc_rows(want))
    bad = []
    for k in sorted(set(a) | set(b)):
        if k not in a:
            bad.append(f"{' '.join(k)}: not in {path}")
        elif k not in b:
            bad.append(f"{' '.join(k)}: in {path}, but no longer a key")
        elif a[k] != b[k]:
            bad.append(f"{' '.join(k)}: {path} has relation/spanlab/Go {a[k]}, this run {b[k]}")
    strip = lambda t: t.split("## The table")[0].split("{summary}")[0]
    if re.sub(r"\n\d+ rows:.*\n", "\n", strip(have)) != re.sub(r"\n\d+ rows:.*\n", "\n", strip(want)):
        bad.append(f"{path}: the text above the table (reasons) is not what --doc writes")
    for l in bad:
        print(f"OUT OF DATE: {l}")
    if bad:
        print(f"{path} is out of date ({len(bad)} differences): run 'make fidelity-doc'")
    return not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("go")
    ap.add_argument("spanlab")
    ap.add_argument("--relations", default=os.path.join(HERE, "relations.tsv"))
    ap.add_argument("--timing-keys", default=os.path.join(ROOT, "scenarios/timing-keys.txt"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--doc")
    ap.add_argument("--check-doc")
    a = ap.parse_args()
    try:
        rows, reasons = read_relations(a.relations)
        lines, stale = table(read_go(a.go), read_spanlab(a.spanlab), rows, read_timing_keys(a.timing_keys))
    except OSError as e:
        sys.exit(f"compare.py: {e}")
    doc_ok = True
    if a.doc:
        open(a.doc, "w").write(doc(lines, reasons))
    elif a.markdown:
        print(markdown(lines))
    else:
        text(lines, stale)
    if a.check_doc:
        doc_ok = check_doc(a.check_doc, lines, reasons)
    bad = sum(1 for l in lines if l[4])
    counts = {}
    for l in lines:
        counts[l[3].split(":")[0]] = counts.get(l[3].split(":")[0], 0) + 1
    print(f"{len(lines)} keys: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())), file=sys.stderr)
    print("all explained" if not bad else f"{bad} UNEXPLAINED", file=sys.stderr)
    if stale:
        print(f"{len(stale)} STALE relation rows", file=sys.stderr)
    return 1 if bad or stale or not doc_ok else 0


if __name__ == "__main__":
    sys.exit(main())
