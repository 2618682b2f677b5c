#!/usr/bin/env python3
"""drift: the lab handouts' quoted outputs against what the current build prints.

  drift.py check FILE.md...    runs every quoted command and compares (exit 1 on drift)
  drift.py test FILE.md...     both, for make test (each command runs once)
  drift.py selfcheck FILE.md   changes one number of an exact quote in a copy of FILE.md
                               and one word of a machine-dependent quote, and wants both
                               reported as drift (so the check can fail)

A quote in a handout is an intro line, then a fenced block:

    Output (exact, `build/spanlab-host run=12`):
    ```text
    RESULT bug=12 variant=buggy ... reallocs=35 ...
    ...
    ```

exact: every line of the block (but "..." lines) is a line the command prints, in
order. machine-dependent (the intro says why: "machine-dependent: TCG timing"): the
same lines with every number free to differ; the words must match. Commands:
`build/spanlab-host ARGS` (run in the tree) and `make run CMDLINE='ARGS'` (one QEMU
boot of the image, tools/qemu.sh --cmdline ARGS; runs are shared by their quotes).
"""
import os
import re
import subprocess
import sys
import tempfile

INTRO = re.compile(r'^\s*Output \((exact|machine-dependent[^,]*), `([^`]+)`\):\s*$')
NUM = re.compile(r'\d+(?:\.\d+)?')
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def quotes(path):
    """[(line number, kind, command, [lines])] of a handout."""
    with open(path) as f:
        lines = f.read().split('\n')
    out, i = [], 0
    while i < len(lines):
        m = INTRO.match(lines[i])
        if m:
            if i + 1 >= len(lines) or not lines[i + 1].lstrip().startswith('```'):
                raise SystemExit(f'{path}:{i + 1}: a quote intro must be followed by a ``` block')
            j = i + 2
            while j < len(lines) and not lines[j].lstrip().startswith('```'):
                j += 1
            kind = 'exact' if m.group(1) == 'exact' else 'machine'
            out.append((i + 1, kind, m.group(2), lines[i + 2:j]))
            i = j
        i += 1
    return out


_runs = {}


def run(cmd):
    """The output of a quoted command (cached)."""
    if cmd in _runs:
        return _runs[cmd]
    m = re.match(r"^make run CMDLINE='([^']*)'$", cmd)
    if m:
        r = subprocess.run([os.path.join(ROOT, 'tools', 'qemu.sh'), '--cmdline', m.group(1),
                            '--timeout', '300'], cwd=ROOT, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, errors='replace')
    elif cmd.startswith('build/spanlab-host'):
        r = subprocess.run(cmd.split(), cwd=ROOT, capture_output=True, text=True, timeout=600,
                           errors='replace')
    else:
        raise SystemExit(f'drift: cannot run quoted command {cmd!r} (want build/spanlab-host '
                         f"... or make run CMDLINE='...')")
    out = [l.rstrip() for l in (r.stdout + r.stderr).replace('\r', '').split('\n')]
    _runs[cmd] = out
    return out


def pattern(line, kind):
    """None for an exact line; else a regex: the words as they are, any numbers."""
    if kind == 'exact':
        return None
    out = []
    for p in NUM.split(line.strip()):
        words = r'\s+'.join(re.escape(w) for w in p.split())
        lead = r'\s+' if p[:1].isspace() and words else ''
        trail = r'\s+' if p[-1:].isspace() else ''
        out.append(lead + words + trail if words else (r'\s+' if p else ''))
    return re.compile(r'^\s*' + r'\d+(?:\.\d+)?'.join(out) + r'\s*$')


def compare(kind, want, got):
    """None, or the first quoted line the output does not have (in order)."""
    k = 0
    for w in want:
        if w.strip() == '...' or not w.strip():
            continue
        p = pattern(w, kind)
        while k < len(got) and not (got[k].strip() == w.strip() if p is None
                                    else p.match(got[k])):
            k += 1
        if k == len(got):
            return w
        k += 1
    return None


def check(paths):
    bad = 0
    n = 0
    for path in paths:
        for line, kind, cmd, want in quotes(path):
            n += 1
            missing = compare(kind, want, run(cmd))
            if missing is not None:
                bad += 1
                print(f'DRIFT {path}:{line}: {cmd} ({kind}) no longer prints: {missing.strip()}')
    print(f'drift: {n} quotes in {len(paths)} files, {bad} drifted')
    return bad


def selfcheck(path):
    qs = quotes(path)
    ex = next((q for q in qs if q[1] == 'exact' and any(NUM.search(l) for l in q[3])), None)
    mq = next((q for q in qs if q[1] == 'machine'), None)
    if not ex:
        raise SystemExit(f'drift selfcheck: {path} has no exact quote with a number')
    with open(path) as f:
        text = f.read().split('\n')
    ok = True
    for q, how in ((ex, 'number'), (mq, 'word')):
        if not q:
            continue
        start = q[0] + 1 # the block's first line (0-based index of the fence + 1)
        copy = list(text)
        for i in range(start, start + len(q[3])):
            line = copy[i]
            if how == 'number' and NUM.search(line):
                m = NUM.search(line)
                digits = m.group(0)
                changed = str(int(digits.split('.')[0]) + 1) + digits[len(digits.split('.')[0]):]
                copy[i] = line[:m.start()] + changed + line[m.end():]
                break
            if how == 'word' and re.search(r'[a-z]{3,}', line):
                copy[i] = re.sub(r'[a-z]{3,}', lambda m: m.group(0)[::-1] + 'x', line, count=1)
                break
        with tempfile.NamedTemporaryFile('w', suffix='.md', delete=False) as t:
            t.write('\n'.join(copy))
        try:
            print(f'drift selfcheck: {path} with one {how} of the quote at line {q[0]} changed:')
            if check([t.name]) == 0:
                print(f'drift selfcheck: FAIL: the changed {how} was not reported')
                ok = False
        finally:
            os.unlink(t.name)
    return ok


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('check', 'selfcheck', 'test'):
        sys.exit(__doc__)
    files = sys.argv[2:]
    if sys.argv[1] == 'check':
        sys.exit(1 if check(files) else 0)
    if sys.argv[1] == 'selfcheck':
        sys.exit(0 if all(selfcheck(p) for p in files) else 1)
    # test: both, the commands run once (their outputs are cached)
    bad = check(files)
    ok = all(selfcheck(p) for p in files if any(q[1] == 'exact' for q in quotes(p)))
    if bad or not ok:
        print('drift: FAIL')
        sys.exit(1)
    print('drift: PASS (every quote matches the current build; a changed number or word '
          'in a copy is reported)')


if __name__ == '__main__':
    main()
