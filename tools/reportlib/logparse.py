"""Reads a spanlab run log (host stdout, or a QEMU / real-PC serial log with carriage
returns, ANSI colours and firmware noise) into scenarios, variants and their lines.

What it keeps, per scenario (`==== bug NN: TITLE ====`): the family line and the story
text up to the first variant; per variant (`---- bug NN variant NAME: WHAT`): what it
said (`  | ...` lines before its outcome), its outcome and wall time, the RESULT keys,
its TRACE samples, MAP arenas, MAPKEY and OBJ lines; then the scenario's CHECK lines,
and the run's summary rows and closing `N passed, N failed`. Machine lines are
attributed by their own bug= and variant= keys, so interleaved output is harmless.
"""
import re

ANSI = re.compile(r"\x1b(\[[0-9;?=]*[A-Za-z]|[()][A-Za-z0-9]|[A-Za-z=>])")
RE_SCEN = re.compile(r"^==== bug ([0-9]+): (.*) ====$")
RE_FAMILY = re.compile(r"^family: (.*); Go versions: (.*)$")
RE_VAR = re.compile(r"^---- bug ([0-9]+) variant ([A-Za-z0-9_]+): (.*)$")
RE_OUTCOME = re.compile(r"^  \| outcome: ([a-z]+)(?:: (.*?))?\s+\(([0-9]+) ms\)$")
RE_SKIP = re.compile(r"^SKIP bug=([0-9]+): (.*)$")
RE_CHECK = re.compile(r"^CHECK bug=([0-9]+) name=(\S+) value=(-?[0-9]+) "
                      r"expect=(>=|<=|==|!=|>|<)(-?[0-9]+) (PASS|FAIL)$")
RE_TOTAL = re.compile(r"^([0-9]+) passed, ([0-9]+) failed$")
RE_SUMROW = re.compile(r"^([0-9]{2,})\s+(\S+)\s+(.*?)\s+([0-9]+)\s+([0-9]+)(\s+<-- FAIL)?$")
RE_CMDLINE = re.compile(r'^cmdline: "(.*)"')
MACHINE = ("TRACE ", "MAP ", "MAPKEY ", "OBJ ", "RESULT ")


class Variant:
    def __init__(self, name, what):
        self.name, self.what = name, what
        self.says = []          # the variant's own report lines
        self.outcome, self.message, self.wall_ms = None, "", None
        self.result = {}        # RESULT keys (ints)
        self.trace = []         # TRACE samples: dicts, ints where numeric
        self.maps = []          # MAP arenas: dicts
        self.keys = []          # MAPKEY lines: dicts
        self.objs = []          # OBJ lines: dicts


class Scenario:
    def __init__(self, number, title):
        self.number, self.title = number, title
        self.family = self.go_versions = ""
        self.text = []          # the story, line by line
        self.variants = {}      # name -> Variant, in run order
        self.checks = []        # (name, value, op, expect, verdict)
        self.skipped = None     # the SKIP message
        self.summary = None     # (slug, variants text, passed, failed)

    @property
    def slug(self):
        return self.summary[0] if self.summary else ""


class Run:
    def __init__(self):
        self.scenarios = {}     # number -> Scenario, in run order
        self.total = None       # (passed, failed)
        self.cmdline = None
        self.lines = 0


def clean(raw):
    """One log line without its line ending, carriage returns and ANSI sequences."""
    return ANSI.sub("", raw.rstrip("\n").replace("\r", ""))


def words(line):
    """The key=value words of a machine line (values converted to int when they are)."""
    out = {}
    for w in line.split()[1:]:
        k, sep, v = w.partition("=")
        if sep:
            out[k] = int(v) if re.fullmatch(r"-?[0-9]+", v) else v
    return out


def parse(lines):
    """Reads every line of a log; returns the Run."""
    run, state = Run(), {"scen": None, "var": None, "story": False}
    for raw in lines:
        run.lines += 1
        line = clean(raw)
        if line.startswith(MACHINE):
            machine_line(run, line)
        else:
            text_line(run, state, line)
    return run


def variant_of(run, w):
    """The Variant a machine line names (created when its header was lost)."""
    scen = run.scenarios.get(w.get("bug"))
    if scen is None:
        scen = run.scenarios.setdefault(w.get("bug"), Scenario(w.get("bug"), "?"))
    name = str(w.get("variant"))
    return scen.variants.setdefault(name, Variant(name, ""))


def machine_line(run, line):
    kind, w = line.split(" ", 1)[0], words(line)
    if "bug" not in w or "variant" not in w:
        return
    v = variant_of(run, w)
    if kind == "TRACE":
        v.trace.append(w)
    elif kind == "MAP":
        v.maps.append(w)
    elif kind == "MAPKEY":
        v.keys.append(w)
    elif kind == "OBJ":
        v.objs.append(w)
    elif kind == "RESULT":
        v.result = {k: x for k, x in w.items() if k not in ("bug", "variant")}


def text_line(run, st, line):
    m = RE_CMDLINE.match(line)
    if m:
        run.cmdline = m.group(1)
    m = RE_SCEN.match(line)
    if m:
        scen = Scenario(int(m.group(1)), m.group(2))
        run.scenarios[scen.number] = scen
        st.update(scen=scen, var=None, story=True, summary=False)
        return
    if line == "==== summary ====":
        st.update(scen=None, var=None, story=False, summary=True)
        return
    if st.get("summary"):
        summary_line(run, line)
        return
    scen = st["scen"]
    if scen is None:
        return
    if scenario_line(scen, st, line):
        return
    if st["story"]:
        m = RE_FAMILY.match(line)
        if m and not scen.family:
            scen.family, scen.go_versions = m.group(1), m.group(2)
        elif scen.family:
            scen.text.append(line)
        return
    variant_line(st["var"], line)


def scenario_line(scen, st, line):
    """Variant headers, SKIP and CHECK lines; True when line was one of them."""
    m = RE_VAR.match(line)
    if m and int(m.group(1)) == scen.number:
        v = scen.variants.setdefault(m.group(2), Variant(m.group(2), m.group(3)))
        v.what = m.group(3)
        st.update(var=v, story=False)
        return True
    m = RE_SKIP.match(line)
    if m and int(m.group(1)) == scen.number:
        scen.skipped = m.group(2)
        st["story"] = False
        return True
    m = RE_CHECK.match(line)
    if m and int(m.group(1)) == scen.number:
        scen.checks.append((m.group(2), int(m.group(3)), m.group(4), int(m.group(5)),
                            m.group(6)))
        st["var"] = None
        return True
    return False


def variant_line(v, line):
    if v is None or not line.startswith("  | "):
        return
    m = RE_OUTCOME.match(line)
    if m:
        v.outcome, v.message, v.wall_ms = m.group(1), m.group(2) or "", int(m.group(3))
    elif v.outcome is None:
        v.says.append(line[4:])


def summary_line(run, line):
    m = RE_TOTAL.match(line)
    if m:
        run.total = (int(m.group(1)), int(m.group(2)))
        return
    m = RE_SUMROW.match(line)
    if m and int(m.group(1)) in run.scenarios:
        run.scenarios[int(m.group(1))].summary = (m.group(2), m.group(3), int(m.group(4)),
                                                  int(m.group(5)))


def story(scen):
    """The story text without the blank lines around it."""
    lines = list(scen.text)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
