#!/usr/bin/env python3
"""The mutation suite's runner: proves the tests notice the bugs they exist to catch.

  tools/mutants/run.py [--work DIR] [--jobs N] [MUTANT ...]

MUTANT is a name (tools/mutants/NAME.mut) or a path to a .mut file; none means
every tools/mutants/*.mut. The tracked files (git ls-files) are copied to one
scratch tree, DIR/tree (default build/mutants/tree; only changed files are copied,
so its build stays incremental). First every test the mutants name runs once on
the unmutated tree (the baseline: a test that fails there cannot kill anything).
Then for each mutant: its snippet is replaced in the scratch copy, the make goals
its tests need are built (only the mutated file recompiles), its tests run in
order until one FAILS, and the file is restored. One line per mutant:

  KILLED    NAME  by TEST           a test failed (or timed out)
  SURVIVED  NAME                    every test passed with the mutant in place
  BROKEN    NAME  why               bad mutant file, snippet not found exactly once,
                                    build failed, or a test failing without mutant

then a summary. Exit status 1 when any mutant survived or was broken, 2 on a
usage error. Logs: DIR/logs/NAME.log (build and test output of each mutant).
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutant as mutfile  # noqa: E402
from scratch import read_text, sync_tree, write_text  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MUTANT_DIR = os.path.join(ROOT, "tools", "mutants")
MAKE_VARS = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "M")


def child_env():
    """The environment of builds and tests: the caller's, minus an outer make's."""
    env = {k: v for k, v in os.environ.items() if k not in MAKE_VARS}
    env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=1"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1"
    return env


# The folders of script tests (tests/tests.mk: the kinds other than unit).
SCRIPT_KINDS = ("image", "scenario", "gocompare", "tools")


class Test:
    """One test a mutant names: how to build what it needs and how to run it."""

    def __init__(self, spec, tree):
        self.spec = spec
        words = spec.split()
        if words[0] == "make" and len(words) > 1:
            self.kind, self.argv, self.goals = "make", ["make"] + words[1:], []
        elif words[0].endswith(".sh"):
            found = [os.path.join("tests", k, words[0]) for k in SCRIPT_KINDS
                     if os.path.isfile(os.path.join(tree, "tests", k, words[0]))]
            if not found:
                raise mutfile.MutantError(f"test {spec!r}: no tests/KIND/{words[0]} "
                                          f"(KIND: {', '.join(SCRIPT_KINDS)})")
            self.kind, self.argv, self.goals = "script", ["bash", found[0]] + words[1:], ["all"]
        elif len(words) == 1 and os.path.isfile(os.path.join(tree, "tests", "unit",
                                                              words[0] + ".c")):
            self.kind = "unit"
            self.argv = self.goals = [os.path.join("build", "tests", words[0])]
        else:
            raise mutfile.MutantError(f"test {spec!r}: not a cmocka program "
                                      "(tests/unit/NAME.c), a script (NAME.sh ARGS) "
                                      "or 'make GOAL'")


def run_logged(argv, tree, log, timeout):
    """Runs argv in tree, output appended to log; returns (status, seconds, timed_out)."""
    start = time.monotonic()
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(argv)}\n")
        f.flush()
        p = subprocess.Popen(argv, cwd=tree, stdout=f, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=child_env(),
                             start_new_session=True)
        try:
            rc, timed_out = p.wait(timeout=timeout), False
        except subprocess.TimeoutExpired:
            stop_group(p)
            rc, timed_out = p.returncode, True
            f.write(f"\n[mutants: timed out after {timeout:.0f}s]\n")
        except BaseException:  # ^C: the group has a session of its own, end it too
            stop_group(p)
            raise
    return rc, time.monotonic() - start, timed_out


def stop_group(p):
    """Ends the process group the runner started for p (a test and its QEMU)."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 30)):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            break
        try:
            p.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def build(goals, tree, log, jobs):
    """Builds the make goals in tree; returns whether make succeeded."""
    if not goals:
        return True
    rc, _, timed_out = run_logged(["make", f"-j{jobs}"] + goals, tree, log, 1800)
    return rc == 0 and not timed_out


def tail(path, n=15):
    """The last n lines of a log, indented, for a report line."""
    with open(path, errors="replace") as f:
        return "".join("    " + line for line in f.readlines()[-n:])


def prepare(m, tree):
    """Returns (tests, goals) of mutant m; raises MutantError if it cannot be applied."""
    tests = [Test(spec, tree) for spec in m.tests]
    goals = [g for t in tests if t.kind == "unit" for g in t.goals]
    if m.build is not None:
        goals += m.build
    else:
        goals += [g for t in tests if t.kind != "unit" for g in t.goals]
    goals = list(dict.fromkeys(goals))
    path = os.path.join(tree, m.file)
    if not os.path.isfile(path):
        raise mutfile.MutantError(f"no file {m.file}")
    n = read_text(path).count(m.original)
    if n != 1:
        raise mutfile.MutantError(f"snippet not found exactly once in {m.file} "
                                  f"(found {n} times)")
    return tests, goals


def baseline(ready, tree, logdir, jobs):
    """Runs every test the mutants name on the unmutated tree; returns {spec: (ok, s)}."""
    goals = list(dict.fromkeys(g for _, _, gs in ready for g in gs))
    log = os.path.join(logdir, "baseline.log")
    print(f"baseline: building {' '.join(goals) or 'nothing'}", flush=True)
    if not build(goals, tree, log, jobs):
        print(tail(log))
        sys.exit(f"mutants: the unmutated tree does not build; see {log}")
    result = {}
    for t in dict((t.spec, t) for _, tests, _ in ready for t in tests).values():
        rc, secs, timed_out = run_logged(t.argv, tree, log, 900)
        result[t.spec] = (rc == 0 and not timed_out, secs)
        print(f"baseline: {t.spec}: {'passes' if result[t.spec][0] else 'FAILS'} "
              f"({secs:.1f}s)", flush=True)
    return result


def run_mutant(m, tests, goals, tree, log, base, jobs):
    """Applies m, builds, runs its tests, restores the file; returns (verdict, detail)."""
    bad = [t.spec for t in tests if not base[t.spec][0]]
    if bad:
        return "BROKEN", f"test {bad[0]} fails without any mutant (see baseline.log)"
    path = os.path.join(tree, m.file)
    text = read_text(path)
    write_text(path, text.replace(m.original, m.replacement, 1))
    try:
        if not build(goals, tree, log, jobs):
            return "BROKEN", f"build failed ({' '.join(goals)}):\n{tail(log)}"
        for t in tests:
            limit = 60 + 4 * base[t.spec][1]
            rc, _, timed_out = run_logged(t.argv, tree, log, limit)
            if timed_out:
                return "KILLED", f"by {t.spec} (timed out after {limit:.0f}s)"
            if rc != 0:
                return "KILLED", f"by {t.spec}"
        return "SURVIVED", f"every test passed: {', '.join(m.tests)} (log {log})"
    finally:
        write_text(path, text)  # a fresh mtime: the next build recompiles it


def select(names):
    """The mutant files to run: every tools/mutants/*.mut, or the ones named."""
    if not names:
        return sorted(os.path.join(MUTANT_DIR, f) for f in os.listdir(MUTANT_DIR)
                      if f.endswith(".mut"))
    paths = []
    for n in names:
        p = n if n.endswith(".mut") else os.path.join(MUTANT_DIR, n + ".mut")
        if not os.path.isfile(p):
            print(f"mutants: no mutant {n!r} (no file {p})", file=sys.stderr)
            sys.exit(2)
        paths.append(p)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mutants", nargs="*", help="names or .mut files (default: all)")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "mutants"),
                    help="scratch directory: DIR/tree and DIR/logs")
    ap.add_argument("--jobs", type=int, default=2, help="make -j for builds")
    args = ap.parse_args()
    paths = select(args.mutants)
    tree, logdir = os.path.join(args.work, "tree"), os.path.join(args.work, "logs")
    os.makedirs(tree, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    sync_tree(ROOT, tree)
    start = time.monotonic()
    counts = {"KILLED": 0, "SURVIVED": 0, "BROKEN": 0}
    ready = []
    for p in paths:
        try:
            m = mutfile.load(p)
            ready.append((m,) + prepare(m, tree))
        except mutfile.MutantError as e:
            report(counts, "BROKEN", os.path.basename(p)[:-4], str(e), 0)
    base = baseline(ready, tree, logdir, args.jobs) if ready else {}
    for m, tests, goals in ready:
        log = os.path.join(logdir, m.name + ".log")
        open(log, "w").close()
        t0 = time.monotonic()
        verdict, detail = run_mutant(m, tests, goals, tree, log, base, args.jobs)
        report(counts, verdict, m.name, detail, time.monotonic() - t0)
    print(f"mutants: {counts['KILLED']} killed, {counts['SURVIVED']} survived, "
          f"{counts['BROKEN']} broken, {time.monotonic() - start:.0f}s")
    return 0 if counts["KILLED"] == len(paths) else 1


def report(counts, verdict, name, detail, secs):
    """Prints one mutant's line and counts its verdict."""
    counts[verdict] += 1
    print(f"{verdict:<9} {name:<34} {secs:6.1f}s  {detail}", flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the mutated file is already restored (run_mutant)
        print("mutants: interrupted", file=sys.stderr)
        sys.exit(130)
