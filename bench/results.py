#!/usr/bin/env python3
"""The one place where benchmark numbers become medians, ratios, tables and JSON.

bench/run_*.sh write raw records (bench/lib.sh bench_record), one per measurement,
tab-separated:
    area  benchmark  param  implementation  metric  unit  run  value  [base]
`run` is the pass number: a pass runs every implementation of an area once, so
a ratio between two implementations is taken within one pass (same machine
load), and the quoted figure is the median over the passes. `base` is set only
on ratio records.

  results.py table RAW --area A --benchmark B[,B2..] --metric M[,M2..]
                 --rows I1,I2,.. --base IMPL [--param P]
                 [--cols param|metric|benchmark] [--title T] [--record]
      Prints one table: a row per implementation, a column per param (one
      benchmark, one metric), per metric (one benchmark, one param) or per
      benchmark (the metric of each given in the same order), each cell
      "median  ratio" where ratio = base / row, the median of the per-pass
      ratios (below 1: the base is lower). A column's param is --param, or
      the first one recorded. --record appends the per-pass ratios to RAW as
      records with metric M_ratio, unit "x" and the base named.
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


def per_run(recs, area, col, impl):
    """{run: value} of one implementation in one column (benchmark, param, metric)."""
    bench, param, metric = col
    return {r["run"]: r["value"] for r in recs
            if (r["area"], r["benchmark"], r["param"], r["implementation"], r["metric"])
            == (area, bench, param, impl, metric) and not r["base"]}


def cell(recs, area, col, impl, base_impl):
    """(median, median same-pass ratio base/row, per-pass ratios) of one cell."""
    row = per_run(recs, area, col, impl)
    base = per_run(recs, area, col, base_impl)
    med = statistics.median(row.values()) if row else None
    ratios = {r: base[r] / v for r, v in row.items() if r in base and v != 0}
    rmed = statistics.median(ratios.values()) if ratios else None
    return med, rmed, ratios


def distinct(recs, area, bench, field):
    """Values of field (param or metric) recorded for a benchmark, in order."""
    seen = []
    for r in recs:
        if r["area"] == area and r["benchmark"] == bench and not r["base"] \
                and r[field] not in seen:
            seen.append(r[field])
    return seen


def columns(recs, a):
    """[(benchmark, param, metric)] and their headings, as --cols says."""
    benches, metrics = a.benchmark.split(","), a.metric.split(",")
    first_param = lambda b: a.param or (distinct(recs, a.area, b, "param") or [""])[0]
    if a.cols == "param":
        params = [a.param] if a.param else distinct(recs, a.area, benches[0], "param")
        return [(benches[0], p, metrics[0]) for p in params], params
    if a.cols == "metric":
        b = benches[0]
        cols = [(b, first_param(b), m) for m in metrics
                if m in distinct(recs, a.area, b, "metric")]
        return cols, [m for _, _, m in cols]
    if len(metrics) != len(benches):
        sys.exit("results.py: --cols benchmark wants one --metric per --benchmark")
    return [(b, first_param(b), m) for b, m in zip(benches, metrics)], benches


def table(a):
    recs = read_raw([a.raw])
    rows = a.rows.split(",")
    cols, heads = columns(recs, a)
    if a.title:
        print(a.title)
    width = max([len(r) for r in rows] + [14])
    cw = [max(10, len(h)) for h in heads]
    print(f"{'':{width}}" + "".join(f"  {h:>{w}} {'ratio':>6}" for h, w in zip(heads, cw)))
    new = []
    for impl in rows:
        line = f"{impl:{width}}"
        for col, w in zip(cols, cw):
            med, rmed, ratios = cell(recs, a.area, col, impl, a.base)
            ratio = "-" if rmed is None else f"{rmed:.2f}" if rmed < 100 else f"{rmed:.0f}"
            line += f"  {fmt(med):>{w}} {ratio:>6}"
            if impl != a.base:
                bench, param, metric = col
                new += [(a.area, bench, param, impl, metric + "_ratio", "x", run, f"{v:.4f}",
                         a.base) for run, v in ratios.items()]
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
    t.add_argument("--cols", choices=("param", "metric", "benchmark"), default="param")
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
