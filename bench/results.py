#!/usr/bin/env python3
"""The one place where benchmark numbers become medians, ratios, tables and JSON.

bench/run_*.sh write raw records (bench/lib.sh bench_record), one per measurement,
tab-separated:
    area  benchmark  param  implementation  metric  unit  run  value  [base]
`run` is the pass number: a pass runs every implementation of an area once, so
a ratio between two implementations is taken within one pass (same machine
load), and the quoted figure is the median over the passes. `base` is set only
on ratio records.

  results.py table RAW --area A --benchmark B --metric M[,M2..] --rows I1,I2,..
                 --base IMPL [--param P] [--cols param|metric] [--title T]
                 [--record]
      Prints one table: a row per implementation, a column per param (one
      metric) or per metric (one param), each cell "median  ratio" where ratio
      = base / row, the median of the per-pass ratios (below 1: the base is
      lower). --record appends those per-pass ratios to RAW as records with
      metric M_ratio, unit "x" and the base named.
  results.py json --machine FILE --out FILE RAW...
      Writes {"machine": {...}, "results": [...]}: one result per (area,
      benchmark, param, implementation, metric, unit[, base]) with its
      per-pass "values", "runs" (their count) and "median".
"""
import argparse
import json
import statistics
import sys

FIELDS = ("area", "benchmark", "param", "implementation", "metric", "unit", "run", "value")


def read_raw(paths):
    """Returns the records of the raw files as dicts, in file order."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                cols = line.rstrip("\n").split("\t")
                if len(cols) not in (8, 9):
                    sys.exit(f"results.py: {path}:{lineno}: want 8 or 9 tab-separated fields, "
                             f"got {len(cols)}: {line.strip()!r}")
                rec = dict(zip(FIELDS, cols))
                try:
                    rec["value"] = float(rec["value"])
                except ValueError:
                    sys.exit(f"results.py: {path}:{lineno}: value {rec['value']!r} is not a number")
                rec["base"] = cols[8] if len(cols) == 9 else ""
                out.append(rec)
    return out


def fmt(v):
    """A number for a table cell: whole numbers and those above 1000 without
    decimals, others with 2."""
    if v is None:
        return "-"
    return f"{v:.0f}" if v == int(v) or abs(v) >= 1000 else f"{v:.2f}"


def per_run(recs, area, bench, param, impl, metric):
    """{run: value} of one implementation's metric."""
    return {r["run"]: r["value"] for r in recs
            if (r["area"], r["benchmark"], r["param"], r["implementation"], r["metric"])
            == (area, bench, param, impl, metric) and not r["base"]}


def cell(recs, a, key_row, key_base):
    """(median, median same-pass ratio base/row, per-pass ratios) of one cell."""
    row = per_run(recs, a.area, a.benchmark, key_row[0], key_row[1], key_row[2])
    base = per_run(recs, a.area, a.benchmark, key_base[0], key_base[1], key_base[2])
    med = statistics.median(row.values()) if row else None
    ratios = {r: base[r] / v for r, v in row.items() if r in base and v != 0}
    rmed = statistics.median(ratios.values()) if ratios else None
    return med, rmed, ratios


def distinct(recs, a, field):
    """Values of field (param or metric) for the table's area and benchmark, in order."""
    seen = []
    for r in recs:
        if r["area"] == a.area and r["benchmark"] == a.benchmark and not r["base"] \
                and r[field] not in seen:
            seen.append(r[field])
    return seen


def table(a):
    recs = read_raw([a.raw])
    rows = a.rows.split(",")
    metrics = a.metric.split(",")
    if a.cols == "param":
        cols = [a.param] if a.param else distinct(recs, a, "param")
        keys = [(p, metrics[0]) for p in cols]
        heads = [f"{p} {metrics[0]}" if a.param else p for p in cols]
    else:
        param = a.param or (distinct(recs, a, "param") or [""])[0]
        keys = [(param, m) for m in metrics if m in distinct(recs, a, "metric")]
        heads = [m for _, m in keys]
    if a.title:
        print(a.title)
    width = max([len(r) for r in rows] + [14])
    cw = [max(10, len(h)) for h in heads]
    print(f"{'':{width}}" + "".join(f"  {h:>{w}} {'ratio':>6}" for h, w in zip(heads, cw)))
    new = []
    for impl in rows:
        line = f"{impl:{width}}"
        for (param, metric), w in zip(keys, cw):
            med, rmed, ratios = cell(recs, a, (param, impl, metric), (param, a.base, metric))
            ratio = "-" if rmed is None else f"{rmed:.2f}" if rmed < 100 else f"{rmed:.0f}"
            line += f"  {fmt(med):>{w}} {ratio:>6}"
            if impl != a.base:
                new += [(a.area, a.benchmark, param, impl, metric + "_ratio", "x", run,
                         f"{v:.4f}", a.base) for run, v in ratios.items()]
        print(line)
    if a.record and new:
        with open(a.raw, "a", encoding="utf-8") as f:
            for rec in new:
                f.write("\t".join(str(c) for c in rec) + "\n")


def write_json(a):
    machine = {}
    with open(a.machine, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                machine[k] = v
    groups = {}
    for r in read_raw(a.raw):
        key = (r["area"], r["benchmark"], r["param"], r["implementation"], r["metric"],
               r["unit"], r["base"])
        groups.setdefault(key, []).append(r["value"])
    results = []
    for (area, bench, param, impl, metric, unit, base), vals in groups.items():
        res = {"area": area, "benchmark": bench, "param": param, "implementation": impl,
               "metric": metric, "unit": unit, "runs": len(vals), "values": vals,
               "median": statistics.median(vals)}
        if base:
            res["base"] = base
        results.append(res)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"machine": machine, "results": results}, f, indent=1)
        f.write("\n")
    print(f"results: {len(results)} series in {a.out}")


def main():
    p = argparse.ArgumentParser(description="benchmark medians, ratios, tables, JSON")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("table")
    t.add_argument("raw")
    for k in ("area", "benchmark", "metric", "rows", "base"):
        t.add_argument("--" + k, required=True)
    t.add_argument("--param", default="")
    t.add_argument("--cols", choices=("param", "metric"), default="param")
    t.add_argument("--title", default="")
    t.add_argument("--record", action="store_true")
    j = sub.add_parser("json")
    j.add_argument("--machine", required=True)
    j.add_argument("--out", required=True)
    j.add_argument("raw", nargs="+")
    a = p.parse_args()
    table(a) if a.cmd == "table" else write_json(a)


if __name__ == "__main__":
    main()
