#!/usr/bin/env python3
"""Validates the log of a scenario run (kernel serial log or build/spanlab-host stdout).

  tools/check-results.py LOG [--expect-bugs all|N,M,...] [--list-from PATH|log]
                             [--sources DIR] [--modes 'K=V ...'] [--allow-failures]
                             [--allow-skip] [-q]

Checks, and exits 1 with one line per problem when any fails:
  - every RESULT line: `RESULT bug=NN variant=NAME k=v ...`, integer values, unique keys,
    the common keys all present (first, in the runner's order), MemStats invariants
    (HeapInuse >= HeapAlloc, HeapSys >= HeapInuse, HeapSys >= HeapReleased,
    HeapObjects == Mallocs - Frees, TotalAlloc >= HeapAlloc), one RESULT per
    `---- bug NN variant NAME:` header, inside the right scenario;
  - every CHECK line: `CHECK bug=NN name=N value=V expect=OPX PASS|FAIL`, integer value,
    PASS/FAIL recomputed from value OP X (a check with `missing=VARIANT.KEY` read a key no
    variant recorded and must FAIL), names unique per scenario;
  - each scenario ran its own checks: every name its source file passes to sc_check
    (scenarios/bugNN_*.c, read here, not from the log) appears once, as a CHECK line or
    as a check SKIP line (`SKIP bug=NN name=N value=V expect=OPX under=MODE: WHY`) whose
    MODE the run's MODES line shows and whose reason is given; no other name appears
    but the runner's (one outcome_<variant>_is_<outcome> per variant);
  - the side-by-side table of each scenario agrees with its RESULT lines;
  - every expected scenario is present (all = the registered list, taken from
    build/spanlab-host run with no arguments, or from the log's summary table), every
    variant of each has run (headers, RESULT lines and the summary table agree);
  - the summary table's per-scenario passed/failed/skipped and the closing `N passed,
    N failed` line agree with the CHECK and SKIP lines (a run in which no scenario ran
    says so and counts one failure more);
  - with --modes, the run's MODES line shows each K=V given (the command line's mode
    options, e.g. 'gcmode=stw gcverify=1': an option the run ignored is a problem);
  - no check failed and no scenario was skipped (unless --allow-failures / --allow-skip);
  - the key lists the comparison tools read (scenarios/timing-keys.txt: the timings,
    never compared; scenarios/platform-keys.txt: kernel and host may differ) name only
    keys that the scenarios which ran print (a key renamed or gone leaves a stale entry).
Exit status: 0 valid, 1 problems found, 2 usage error (missing log ...).
"""
import argparse
import os
import re
import subprocess
import sys

# The common keys, in the order scenarios/report.c (sc_record_common) prints them.
COMMON_KEYS = [
    "heap_alloc", "heap_inuse", "heap_sys", "heap_released", "heap_objects", "mallocs",
    "frees", "total_alloc", "num_gc", "stack_inuse", "committed_pages", "resident_pages",
    "lazyfree_pages", "goroutines", "timers",
]
OPS = {
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}
INT = r"-?[0-9]+"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RE_SCEN = re.compile(r"^==== bug ([0-9]+): (.*) ====$")
RE_VAR = re.compile(r"^---- bug ([0-9]+) variant ([A-Za-z0-9_]+): ")
RE_SKIP = re.compile(r"^SKIP bug=([0-9]+):")
RE_CHECK_SKIP = re.compile(r"^SKIP bug=([0-9]+) name=(\S+) value=(-?[0-9]+) expect=(>=|<=|==|!=|>|<)(-?[0-9]+) "
                           r"under=([a-z]+=\S+): (.*)$")
RE_MODES = re.compile(r"^MODES((?: [a-z]+=\S+)+)$")
RE_NOTHING_RAN = re.compile(r"^spanlab: no scenario ran \(all ([0-9]+) selected were skipped\)")
RE_SRC_NUMBER = re.compile(r"\.number\s*=\s*([0-9]+)\s*,")
RE_SRC_CHECK = re.compile(r"\bsc_check\(\s*res\s*,\s*\"([a-z0-9_A-Z]+)\"")
RE_SRC_SKIP = re.compile(r"\{\s*\"([a-z]+(?:=[a-z]+)?)\"\s*,\s*\"([a-z0-9_A-Z]+)\"\s*,")
RE_SRC_SKIPS = re.compile(r"\.mode_skips\s*=(.*?)\{\s*0\s*\}", re.S)
RE_OUTCOME_CHECK = re.compile(r"^outcome_([A-Za-z0-9_]+)_is_(ok|deadlock|oom|panic)$")
RE_OUTCOME = re.compile(r"^  \| outcome: ([a-z]+)")
RE_CHECK = re.compile(r"^CHECK bug=([0-9]+) name=(\S+) value=(\S+) expect=(>=|<=|==|!=|>|<)(\S+) (PASS|FAIL)"
                      r"(?: missing=([A-Za-z0-9_.,]+))?$")
RE_TOTAL = re.compile(r"^([0-9]+) passed, ([0-9]+) failed$")
RE_SUMROW = re.compile(r"^([0-9]{2,})\s+(\S+)\s+(.*?)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)(\s+<-- FAIL)?$")
RE_TABLE_HEAD = re.compile(r"^key(\s+\S+)+$")
RE_LIST = re.compile(r"^\s+([0-9]+)\s+(\S+)\s+(.*)$")


# Checks the runner itself adds to a scenario (besides one outcome check per variant).
RUNNER_CHECKS = {"keys_read_after_the_last_check", "scenario_has_checks_of_its_own"}


def source_check_names(directory):
    """{bug number: (set of check names, {check name: [modes it is skipped under]})}
    from the scenario sources: every name passed to sc_check(res, "NAME", ...), and
    the mode_skips entries {"MODE", "NAME", ...}."""
    found = {}
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        sys.exit(f"check-results: --sources {directory}: {e}")
    for fn in names:
        if not fn.endswith(".c"):
            continue
        with open(os.path.join(directory, fn), encoding="utf-8") as f:
            text = f.read()
        if "SC_REGISTER(" not in text:
            continue
        m = RE_SRC_NUMBER.search(text)
        if not m:
            sys.exit(f"check-results: {fn} registers a scenario without '.number = N,'")
        checks = set(RE_SRC_CHECK.findall(text))
        skips = {}
        block = RE_SRC_SKIPS.search(text)
        for mode, name in RE_SRC_SKIP.findall(block.group(1) if block else ""):
            if name not in checks:
                sys.exit(f"check-results: {fn}: mode_skips names {name}, which it never checks")
            skips.setdefault(name, []).append(mode)
        found[int(m.group(1))] = (checks, skips)
    if not found:
        sys.exit(f"check-results: no scenario source (SC_REGISTER) in {directory}")
    return found


class Scenario:
    def __init__(self, bug, title, line):
        self.bug, self.title, self.line = bug, title, line
        self.variants = []      # names from the headers, in order
        self.results = {}       # variant -> {key: value} (ordered)
        self.outcomes = {}      # variant -> outcome from the human report
        self.checks = {}        # name -> (value, op, expect, verdict)
        self.skips = {}         # name -> (under, why) of checks skipped under a mode
        self.passed = self.failed = 0
        self.skipped = False
        self.table = None       # (variant names, {key: [values]})


class Checker:
    def __init__(self, path):
        self.path = path
        self.problems = []
        self.scenarios = {}     # bug -> Scenario
        self.order = []
        self.summary = None     # bug -> (slug, variants text, passed, failed, skipped, line)
        self.total = None       # (passed, failed) of the closing line after the summary
        self.modes = None       # {key: value} from the MODES line
        self.nothing_ran = None # line number of "no scenario ran", when the run says so

    def problem(self, lineno, msg):
        where = f"{self.path}:{lineno}: " if lineno else f"{self.path}: "
        self.problems.append(where + msg)

    # ---- parsing --------------------------------------------------------------

    def parse(self, lines):
        cur = None          # the scenario being read
        var = None          # the variant header last seen (awaiting its RESULT)
        in_summary = False
        table_open = False  # between the table head and the first non-row line
        for n, raw in enumerate(lines, 1):
            line = ANSI.sub("", raw.rstrip("\r\n")).rstrip("\r")
            m = RE_SCEN.match(line)
            if m:
                if var:
                    self.problem(var[2], f"bug {var[0]:02d} variant {var[1]}: no RESULT line")
                bug = int(m.group(1))
                if bug in self.scenarios:
                    self.problem(n, f"bug {bug:02d} runs twice")
                cur = Scenario(bug, m.group(2), n)
                self.scenarios[bug] = cur
                self.order.append(bug)
                var, in_summary, table_open = None, False, False
                continue
            if line == "==== summary ====":
                if var:
                    self.problem(var[2], f"bug {var[0]:02d} variant {var[1]}: no RESULT line")
                var, cur, in_summary, table_open = None, None, True, False
                self.summary = {}
                continue
            m = RE_VAR.match(line)
            if m:
                bug, name = int(m.group(1)), m.group(2)
                if var:
                    self.problem(var[2], f"bug {var[0]:02d} variant {var[1]}: no RESULT line")
                if not cur or cur.bug != bug:
                    self.problem(n, f"variant header for bug {bug:02d} outside its scenario")
                    var = None
                    continue
                if name in cur.variants:
                    self.problem(n, f"bug {bug:02d} variant {name} runs twice")
                if cur.checks:
                    self.problem(n, f"bug {bug:02d} variant {name} starts after the checks")
                cur.variants.append(name)
                var = (bug, name, n)
                continue
            m = RE_OUTCOME.match(line)
            if m and var and cur:
                cur.outcomes[var[1]] = m.group(1)
                continue
            m = RE_MODES.match(line)
            if m:
                if self.modes is not None:
                    self.problem(n, "a second MODES line")
                self.modes = dict(w.split("=", 1) for w in m.group(1).split())
                continue
            if line.startswith("SKIP") and " name=" in line:
                self.parse_check_skip(n, line, cur)
                table_open = False
                continue
            m = RE_SKIP.match(line)
            if m:
                bug = int(m.group(1))
                if cur and cur.bug == bug:
                    cur.skipped = True
                else:
                    self.problem(n, f"SKIP for bug {bug:02d} outside its scenario")
                continue
            if line.startswith("RESULT"):
                self.parse_result(n, line, cur, var)
                var = None
                continue
            if line.startswith("CHECK"):
                self.parse_check(n, line, cur)
                table_open = False
                continue
            if cur and RE_TABLE_HEAD.match(line):
                names = line.split()[1:]
                cur.table = (names, {})
                table_open = True
                continue
            if table_open and cur:
                words = line.split()
                if len(words) == len(cur.table[0]) + 1 and all(re.fullmatch(INT, w) for w in words[1:]):
                    cur.table[1][words[0]] = [int(w) for w in words[1:]]
                    continue
                table_open = False
            if in_summary and RE_NOTHING_RAN.match(line):
                self.nothing_ran = n
                continue
            if in_summary:
                m = RE_TOTAL.match(line)
                if m:
                    self.total = (int(m.group(1)), int(m.group(2)), n)
                    in_summary = False
                    continue
                m = RE_SUMROW.match(line)
                if m:
                    bug = int(m.group(1))
                    if bug in self.summary:
                        self.problem(n, f"summary lists bug {bug:02d} twice")
                    self.summary[bug] = (m.group(2), m.group(3), int(m.group(4)), int(m.group(5)),
                                         int(m.group(6)), n)
                    continue
            elif line.startswith(("RESULT", "CHECK")) or RE_TOTAL.match(line):
                pass
        if var:
            self.problem(var[2], f"bug {var[0]:02d} variant {var[1]}: no RESULT line (log ends)")

    def parse_result(self, n, line, cur, var):
        words = line.split(" ")
        if len(words) < 3 or not re.fullmatch(r"bug=[0-9]{2,}", words[1]) or \
                not re.fullmatch(r"variant=[A-Za-z0-9_]+", words[2]):
            self.problem(n, f"malformed RESULT line: {line[:80]}")
            return
        bug, name = int(words[1][4:]), words[2][8:]
        if not cur or cur.bug != bug:
            self.problem(n, f"RESULT bug={bug:02d} outside its scenario")
            return
        if not var or var[1] != name:
            self.problem(n, f"RESULT bug={bug:02d} variant={name} without its "
                            f"'---- bug {bug:02d} variant {name}:' header")
        if name in cur.results:
            self.problem(n, f"second RESULT for bug {bug:02d} variant {name}")
        keys = {}
        for w in words[3:]:
            m = re.fullmatch(r"([a-z][a-z0-9_]*)=(" + INT + r")", w)
            if not m:
                self.problem(n, f"bug {bug:02d} variant {name}: bad key=value '{w}' (integers only)")
                continue
            if m.group(1) in keys:
                self.problem(n, f"bug {bug:02d} variant {name}: key {m.group(1)} twice")
            keys[m.group(1)] = int(m.group(2))
        cur.results[name] = keys
        self.check_common(n, bug, name, keys)

    def check_common(self, n, bug, name, k):
        tag = f"bug {bug:02d} variant {name}"
        missing = [c for c in COMMON_KEYS if c not in k]
        if missing:
            self.problem(n, f"{tag}: common keys missing: {' '.join(missing)}")
            return
        if list(k)[:len(COMMON_KEYS)] != COMMON_KEYS:
            self.problem(n, f"{tag}: the common keys are not first / in the runner's order")
        for c in COMMON_KEYS:
            if k[c] < 0:
                self.problem(n, f"{tag}: {c}={k[c]} is negative")
        inv = [
            ("heap_inuse >= heap_alloc", k["heap_inuse"] >= k["heap_alloc"]),
            ("heap_sys >= heap_inuse", k["heap_sys"] >= k["heap_inuse"]),
            ("heap_sys >= heap_released", k["heap_sys"] >= k["heap_released"]),
            ("heap_objects == mallocs - frees", k["heap_objects"] == k["mallocs"] - k["frees"]),
            ("total_alloc >= heap_alloc", k["total_alloc"] >= k["heap_alloc"]),
        ]
        for what, ok in inv:
            if not ok:
                self.problem(n, f"{tag}: MemStats invariant {what} does not hold")

    def parse_check(self, n, line, cur):
        m = RE_CHECK.match(line)
        if not m:
            self.problem(n, f"malformed CHECK line: {line[:100]}")
            return
        bug, name, value, op, expect, verdict, missing = m.groups()
        bug = int(bug)
        if not re.fullmatch(INT, value) or not re.fullmatch(INT, expect):
            self.problem(n, f"CHECK bug={bug:02d} name={name}: value/expect not integers")
            return
        value, expect = int(value), int(expect)
        if not cur or cur.bug != bug:
            self.problem(n, f"CHECK bug={bug:02d} name={name} outside its scenario")
            return
        if name in cur.checks or name in cur.skips:
            self.problem(n, f"CHECK bug={bug:02d} name={name} twice")
        want = "PASS" if OPS[op](value, expect) and not missing else "FAIL"
        if missing and verdict == "FAIL":
            pass  # a key no variant recorded: FAIL whatever the value
        elif want != verdict:
            self.problem(n, f"CHECK bug={bug:02d} name={name}: says {verdict} but "
                            f"{value} {op} {expect} is {want}")
        cur.checks[name] = (value, op, expect, verdict)
        if verdict == "PASS":
            cur.passed += 1
        else:
            cur.failed += 1

    def parse_check_skip(self, n, line, cur):
        m = RE_CHECK_SKIP.match(line)
        if not m:
            self.problem(n, f"malformed check SKIP line (want name=, value=, expect=, under=MODE: why): {line[:100]}")
            return
        bug, name, under, why = int(m.group(1)), m.group(2), m.group(6), m.group(7).strip()
        if not cur or cur.bug != bug:
            self.problem(n, f"SKIP bug={bug:02d} name={name} outside its scenario")
            return
        if name in cur.checks or name in cur.skips:
            self.problem(n, f"check bug={bug:02d} name={name} twice")
        key, val = under.split("=", 1)
        if self.modes is None or self.modes.get(key) != val:
            self.problem(n, f"SKIP bug={bug:02d} name={name} under={under}, but the run's MODES line "
                            f"says {key}={(self.modes or {}).get(key, '(no MODES line)')}")
        if not why:
            self.problem(n, f"SKIP bug={bug:02d} name={name}: no reason given")
        cur.skips[name] = (under, why)

    # ---- whole-run checks -------------------------------------------------------

    def mode_active(self, mode):
        """Whether the run's MODES line shows mode ("gcstress": not 0; "madv=free": equal)."""
        key, _, want = mode.partition("=")
        have = (self.modes or {}).get(key)
        if have is None:
            return False
        return have == want if want else have not in ("0", "")

    def validate_skips(self, s, declared):
        """A check is skipped exactly when its source declares a mode the run has on."""
        tag = f"bug {s.bug:02d}"
        for name, (under, _) in s.skips.items():
            active = [m for m in declared.get(name, []) if self.mode_active(m)]
            if not active:
                self.problem(s.line, f"{tag}: check {name} skipped under {under}, but its source "
                                     f"declares no such skip for a mode this run has on "
                                     f"(declared: {declared.get(name, [])})")
        for name, modes in declared.items():
            active = [m for m in modes if self.mode_active(m)]
            if active and name in s.checks:
                self.problem(s.line, f"{tag}: check {name} was checked, but its source skips it "
                                     f"under {active[0]}, which this run has on")

    def validate_checks(self, s, source_checks):
        """The scenario ran its own checks (its source's names) and the runner's, no others."""
        tag = f"bug {s.bug:02d}"
        ran = set(s.checks) | set(s.skips)
        if s.bug not in source_checks:
            self.problem(s.line, f"{tag}: no scenario source registers number {s.bug} (see --sources)")
            return
        own, declared = source_checks[s.bug]
        self.validate_skips(s, declared)
        if not own:
            self.problem(s.line, f"{tag}: its source passes no check name to sc_check")
        for name in sorted(own - ran):
            self.problem(s.line, f"{tag}: its check {name} did not run (no CHECK or SKIP line)")
        outcomes = {}
        for name in sorted(ran - own):
            m = RE_OUTCOME_CHECK.match(name)
            if m and m.group(1) in s.variants:
                outcomes[m.group(1)] = outcomes.get(m.group(1), 0) + 1
            elif name in RUNNER_CHECKS:
                pass
            else:
                self.problem(s.line, f"{tag}: check {name} is neither in its source nor the runner's")
        for v in s.variants:
            if outcomes.get(v, 0) != 1:
                self.problem(s.line, f"{tag}: variant {v} has {outcomes.get(v, 0)} outcome checks, want 1")

    def validate(self, expected, allow_failures, allow_skip, source_checks):
        for bug in self.order:
            s = self.scenarios[bug]
            tag = f"bug {bug:02d}"
            if s.skipped:
                if not allow_skip:
                    self.problem(s.line, f"{tag} was skipped (not enough RAM?)")
                continue
            if not s.variants:
                self.problem(s.line, f"{tag}: no variant ran")
            for v in s.variants:
                if v not in s.results:
                    continue  # reported while parsing
                if v not in s.outcomes:
                    self.problem(s.line, f"{tag} variant {v}: no 'outcome:' line")
            if not s.checks:
                self.problem(s.line, f"{tag}: no CHECK lines")
            self.validate_checks(s, source_checks)
            if s.table is None:
                self.problem(s.line, f"{tag}: no side-by-side table")
            else:
                names, rows = s.table
                if names != s.variants:
                    self.problem(s.line, f"{tag}: table columns {names} != variants {s.variants}")
                else:
                    first = s.results.get(names[0], {})
                    if list(rows) != list(first):
                        self.problem(s.line, f"{tag}: table rows differ from {names[0]}'s RESULT keys")
                    for key, vals in rows.items():
                        for v, val in zip(names, vals):
                            got = s.results.get(v, {}).get(key, 0)
                            if got != val:
                                self.problem(s.line, f"{tag}: table {key}/{v} = {val}, RESULT says {got}")
            if s.failed and not allow_failures:
                bad = [k for k, c in s.checks.items() if c[3] == "FAIL"]
                self.problem(s.line, f"{tag}: failed checks: {' '.join(bad)}")
        present = set(self.order)
        if expected is not None:
            for bug in sorted(expected - present):
                self.problem(0, f"bug {bug:02d} is expected but did not run")
            for bug in sorted(present - expected):
                self.problem(0, f"bug {bug:02d} ran but was not expected")
        self.validate_summary()

    def validate_summary(self):
        if self.summary is None:
            self.problem(0, "no '==== summary ====' (the run did not finish?)")
            return
        for bug in self.order:
            s = self.scenarios[bug]
            row = self.summary.get(bug)
            if not row:
                self.problem(0, f"summary has no row for bug {bug:02d}")
                continue
            slug, variants, passed, failed, skipped, n = row
            if (passed, failed, skipped) != (s.passed, s.failed, len(s.skips)):
                self.problem(n, f"summary bug {bug:02d}: {passed} passed {failed} failed {skipped} skipped, "
                                f"the CHECK and SKIP lines say {s.passed}, {s.failed} and {len(s.skips)}")
            if s.skipped:
                continue
            listed = [w.split(":")[0] for w in variants.split()]
            if listed != s.variants:
                self.problem(n, f"summary bug {bug:02d}: variants {listed} != headers {s.variants}")
            for w in variants.split():
                if ":" in w:
                    v, out = w.split(":", 1)
                    if s.outcomes.get(v) not in (None, out):
                        self.problem(n, f"summary bug {bug:02d} {v}: outcome {out}, report says {s.outcomes[v]}")
        for bug in sorted(set(self.summary) - set(self.order)):
            self.problem(self.summary[bug][5], f"summary lists bug {bug:02d}, which did not run")
        if self.total is None:
            self.problem(0, "no closing 'N passed, N failed' line after the summary")
            return
        p = sum(s.passed for s in self.scenarios.values())
        f = sum(s.failed for s in self.scenarios.values())
        executed = [b for b in self.order if not self.scenarios[b].skipped]
        if not executed:
            self.problem(self.nothing_ran or 0, "no scenario ran (every one was skipped): nothing "
                         "was checked" + ("" if self.nothing_ran else ", and the log does not say so"))
        if self.nothing_ran is not None:
            if executed:
                self.problem(self.nothing_ran, f"says no scenario ran, but {len(executed)} did")
            f += 1  # the runner counts the empty run as a failure
        if (self.total[0], self.total[1]) != (p, f):
            self.problem(self.total[2], f"closing line says {self.total[0]} passed, {self.total[1]} "
                                        f"failed; the CHECK lines say {p} passed, {f} failed")


def registered_list(source, checker):
    """The registered scenario numbers: from a program (run with no arguments, it
    prints the list), a text file in the same format, or the log's summary table."""
    if source == "log":  # no summary: nothing to compare (its absence is a problem itself)
        return (set(checker.summary) if checker.summary is not None else None), "the log's summary table"
    if os.access(source, os.X_OK) and not os.path.isdir(source):
        try:
            out = subprocess.run([source], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired) as e:
            sys.exit(f"check-results: cannot run {source}: {e}")
    else:
        with open(source, encoding="utf-8", errors="replace") as f:
            out = f.read()
    bugs = set()
    in_list = False
    for line in out.splitlines():
        if line.strip() == "scenarios:":
            in_list = True
            continue
        m = RE_LIST.match(line)
        if m and (in_list or source != "log"):
            bugs.add(int(m.group(1)))
    if not bugs:
        sys.exit(f"check-results: no scenario list in the output of {source}")
    return bugs, source


def check_key_list(c, path):
    """Every 'BUG KEY' of a key list names a key some RESULT line of BUG prints (BUG *:
    any scenario), for the scenarios that ran; a missing list is no problem."""
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return
    for n, line in enumerate(lines, 1):
        f = line.split("#", 1)[0].split()
        if not f:
            continue
        if len(f) != 2 or not (f[0].isdigit() or f[0] == "*"):
            c.problem(0, f"{path}:{n}: want 'BUG KEY' (BUG a number or *), got {line.strip()!r}")
            continue
        bugs = c.order if f[0] == "*" else [int(f[0])] if int(f[0]) in c.scenarios else []
        if bugs and not any(f[1] in keys for b in bugs for keys in c.scenarios[b].results.values()):
            c.problem(0, f"{path}:{n}: key {f[1]} is printed by no RESULT line of "
                         f"{'any scenario' if f[0] == '*' else 'bug ' + f[0]} (a stale entry)")


def check_modes(c, wanted):
    """The run's MODES line shows every K=V of wanted (the mode options it was given)."""
    for word in wanted.split():
        key, eq, val = word.partition("=")
        if not eq:
            c.problem(0, f"--modes: '{word}' is not K=V")
        elif c.modes is None:
            c.problem(0, f"the run was given {word} but printed no MODES line")
        elif c.modes.get(key) != val:
            c.problem(0, f"the run was given {word} but its MODES line says "
                         f"{key}={c.modes.get(key, '(absent)')}")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log", help="the run's log ('-' for stdin)")
    ap.add_argument("--expect-bugs", default=None,
                    help="'all' (every registered scenario) or N,M,...: exactly these must have run")
    ap.add_argument("--list-from", default=None,
                    help="where 'all' comes from: a spanlab-host binary, a file with its list, "
                         "or 'log' (default: build/spanlab-host when it exists, else log)")
    ap.add_argument("--sources", default=os.path.join(root, "scenarios"),
                    help="the scenario sources whose sc_check names every scenario must run "
                         "(default: scenarios/ beside this script)")
    ap.add_argument("--modes", default="",
                    help="'K=V ...': the mode options the run was given; its MODES line must show each")
    ap.add_argument("--allow-failures", action="store_true", help="FAIL checks are not problems")
    ap.add_argument("--allow-skip", action="store_true", help="skipped scenarios are not problems")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    a = ap.parse_args()

    try:
        if a.log == "-":
            lines = sys.stdin.read().splitlines()
        else:
            with open(a.log, encoding="utf-8", errors="replace", newline="") as f:
                lines = f.read().splitlines()
    except OSError as e:
        print(f"check-results: {e}", file=sys.stderr)
        return 2
    c = Checker(a.log)
    c.parse(lines)

    expected, source = None, None
    if a.expect_bugs is not None:
        if a.expect_bugs == "all":
            src = a.list_from or os.path.join(root, "build", "spanlab-host")
            if a.list_from is None and not os.access(src, os.X_OK):
                src = "log"
            expected, source = registered_list(src, c)
        else:
            try:
                expected = {int(x) for x in a.expect_bugs.split(",") if x}
            except ValueError:
                print(f"check-results: --expect-bugs '{a.expect_bugs}': want all or N,M,...",
                      file=sys.stderr)
                return 2
    c.validate(expected, a.allow_failures, a.allow_skip, source_check_names(a.sources))
    check_modes(c, a.modes)
    for lst in ("timing-keys.txt", "platform-keys.txt"):
        check_key_list(c, os.path.join(a.sources, lst))

    if c.problems:
        for p in c.problems:
            print(p)
        print(f"check-results: {len(c.problems)} problem(s) in {a.log}")
        return 1
    if not c.order:
        print(f"check-results: {a.log}: no scenario ran")
        return 1
    if not a.quiet:
        nvar = sum(len(s.variants) for s in c.scenarios.values())
        p = sum(s.passed for s in c.scenarios.values())
        f = sum(s.failed for s in c.scenarios.values())
        skipped = [b for b in c.order if c.scenarios[b].skipped]
        cskips = [f"{b:02d}/{n} under {u}" for b in c.order for n, (u, _) in c.scenarios[b].skips.items()]
        print(f"check-results: OK: {len(c.order)} scenarios ({' '.join('%02d' % b for b in c.order)}), "
              f"{nvar} variants, {p} checks passed, {f} failed"
              + (f", skipped {skipped}" if skipped else "")
              + (f", checks skipped: {', '.join(cskips)}" if cskips else "")
              + (f"; expected list from {source}" if source else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
