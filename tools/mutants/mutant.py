"""One mutant file (tools/mutants/NAME.mut): its fields, parsed and checked.

The format (tools/mutants/README.md has it in full):

    models: one line saying what bug the mutant models
    file: golib/slice.c
    test: slice_test            (one line per test, tried in this order)
    build: GOAL ...             (optional: what its script tests need; default all)
    @@ original
    ...exact lines of the file, which must occur exactly once...
    @@ replacement
    ...the lines put in their place...
    @@ end

Lines before the first @@ that start with '#' are comments. A test is a cmocka
program (tests/unit/NAME.c), a script test with optional arguments
(tests/KIND/NAME.sh ARGS, KIND one of image, scenario, gocompare, tools), or
`make GOAL ...`.
"""
import os

FIELDS = ("models", "file", "test", "build")
BLOCKS = ("original", "replacement")


class MutantError(Exception):
    """A mutant file that cannot be used, and why."""


class Mutant:
    """A parsed mutant: name, models, file, tests, build (None = default), snippets."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".mut")] if path.endswith(".mut") \
            else os.path.basename(path)
        self.models = None
        self.file = None
        self.tests = []
        self.build = None
        self.original = None
        self.replacement = None


def parse_header(m, lineno, line):
    """Reads one `key: value` line of the header into m."""
    key, sep, value = line.partition(":")
    key, value = key.strip(), value.strip()
    if not sep or key not in FIELDS:
        raise MutantError(f"line {lineno}: want one of {', '.join(FIELDS)} "
                          f"(key: value) or '@@ original', got {line!r}")
    if key == "test":
        if not value:
            raise MutantError(f"line {lineno}: empty test")
        m.tests.append(value)
    elif key == "build":
        m.build = (m.build or []) + value.split()
    elif getattr(m, key) is not None:
        raise MutantError(f"line {lineno}: {key} given twice")
    else:
        setattr(m, key, value)


def parse_blocks(m, lines, start):
    """Reads the @@ original / @@ replacement / @@ end blocks from lines[start:]."""
    want = ["@@ original", "@@ replacement", "@@ end"]
    if lines[start].rstrip() != want[0]:
        raise MutantError(f"line {start + 1}: want '@@ original', got {lines[start]!r}")
    i = start + 1
    for block, end in zip(BLOCKS, want[1:]):
        body = []
        while i < len(lines) and lines[i].rstrip() != end:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise MutantError(f"no '{end}' line after '@@ {block}'")
        setattr(m, block, "\n".join(body))
        i += 1
    if any(line.strip() for line in lines[i:]):
        raise MutantError(f"line {i + 1}: text after '@@ end'")


def load(path):
    """Returns the Mutant in path; raises MutantError naming what is wrong."""
    m = Mutant(path)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise MutantError(f"cannot read: {e.strerror}")
    i = 0
    while i < len(lines) and not lines[i].startswith("@@"):
        line = lines[i].strip()
        if line and not line.startswith("#"):
            parse_header(m, i + 1, line)
        i += 1
    if i == len(lines):
        raise MutantError("no '@@ original' block")
    parse_blocks(m, lines, i)
    for key in ("models", "file"):
        if not getattr(m, key):
            raise MutantError(f"no '{key}:' line")
    if not m.tests:
        raise MutantError("no 'test:' line")
    if not m.original.strip():
        raise MutantError("the original snippet is empty")
    return m
