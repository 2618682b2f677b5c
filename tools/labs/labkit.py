# labkit: the lab markers in the source and the student trees made from them
# (docs/labs/README.md). Shared by tools/mklab, tools/grade and tools/batch-grade.
#
# A lab's part of a source file is marked with comment lines:
#
#     // LAB 2 BEGIN: what the student writes (one line)
#     ... the solution ...
#     // LAB 2 STUB
#     // the stub, each line commented out ("// " is removed in the student tree)
#     // LAB 2 END
#
# The markers and the stub are comments, so the solution compiles exactly as
# without them. The student tree of lab N has, in each of lab N's regions, the
# BEGIN line, the stub (uncommented) and the END line; other labs' regions stay
# whole, and the instructor's files (INSTRUCTOR_ONLY) are left out.
import os
import re
import shutil
import subprocess

MARK = re.compile(r'^(\s*)// LAB (\d+) (BEGIN|STUB|END)\b(.*)$')
STUB_LINE = re.compile(r'^(\s*)//(?: |$)(.*)$')
LABS = range(1, 8)
# Files a student never gets: the answers and the rubric.
INSTRUCTOR_ONLY = ('docs/labs/instructor.md',)
# Source files that may hold markers (others are copied as they are).
MARKED_SUFFIXES = ('.c', '.h', '.S')


class MarkerError(Exception):
    pass


class Region:
    """One marked part: lines [begin, end] of path (0-based, the marker lines included)."""

    def __init__(self, path, lab, begin, stub, end, what):
        self.path, self.lab, self.begin, self.stub, self.end, self.what = (
            path, lab, begin, stub, end, what)

    def solution(self, lines):
        return lines[self.begin + 1:self.stub]

    def stub_lines(self, lines):
        out = []
        for i in range(self.stub + 1, self.end):
            m = STUB_LINE.match(lines[i])
            out.append(m.group(1) + m.group(2) if m.group(2) else '')
        return out


def repo_root(start='.'):
    return subprocess.run(['git', '-C', start, 'rev-parse', '--show-toplevel'], check=True,
                          capture_output=True, text=True).stdout.strip()


def tree_files(root):
    """The tree's files: git's tracked files (with their working-tree contents) when
    root is a git work tree, else every file under root but build/."""
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '-z'], check=True,
                             capture_output=True, text=True).stdout
        files = [f for f in out.split('\0') if f]
        if files:
            return sorted(f for f in files if os.path.isfile(os.path.join(root, f)))
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    files = []
    for d, dirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = [x for x in dirs if not (rel == '.' and x in ('build', '.git'))]
        files += [os.path.normpath(os.path.join(rel, n)) for n in names]
    return sorted(files)


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().split('\n')


def parse(path, lines):
    """The regions of one file; MarkerError names the first malformed marker."""
    regions, open_ = [], None
    for i, line in enumerate(lines):
        m = MARK.match(line)
        if open_ and open_['stub'] is not None and not m and not STUB_LINE.match(line) \
                and line.strip():
            raise MarkerError(f'{path}:{i + 1}: LAB {open_["lab"]} stub line is not a '
                              f'// comment: {line.strip()!r}')
        if not m:
            continue
        lab, kind, rest = int(m.group(2)), m.group(3), m.group(4)
        if lab not in LABS:
            raise MarkerError(f'{path}:{i + 1}: LAB {lab}: the labs are 1-7')
        if kind == 'BEGIN':
            if open_:
                raise MarkerError(f'{path}:{i + 1}: LAB {lab} BEGIN inside LAB '
                                  f'{open_["lab"]} (opened at line {open_["begin"] + 1})')
            what = rest.lstrip(':').strip()
            if not rest.startswith(':') or not what:
                raise MarkerError(f'{path}:{i + 1}: LAB {lab} BEGIN needs ": what to write"')
            open_ = {'lab': lab, 'begin': i, 'stub': None, 'what': what}
            continue
        if not open_ or open_['lab'] != lab:
            raise MarkerError(f'{path}:{i + 1}: LAB {lab} {kind} without LAB {lab} BEGIN')
        if kind == 'STUB':
            if open_['stub'] is not None:
                raise MarkerError(f'{path}:{i + 1}: second LAB {lab} STUB')
            open_['stub'] = i
            continue
        if open_['stub'] is None:
            raise MarkerError(f'{path}:{i + 1}: LAB {lab} END without LAB {lab} STUB')
        regions.append(Region(path, lab, open_['begin'], open_['stub'], i, open_['what']))
        open_ = None
    if open_:
        raise MarkerError(f'{path}:{open_["begin"] + 1}: LAB {open_["lab"]} BEGIN never ends')
    return regions


def all_regions(root):
    """{path: (lines, [Region])} for every marked file of the tree."""
    out = {}
    for f in tree_files(root):
        if not f.endswith(MARKED_SUFFIXES):
            continue
        lines = read_lines(os.path.join(root, f))
        if not any('// LAB ' in l for l in lines):
            continue
        regs = parse(f, lines)
        if regs:
            out[f] = (lines, regs)
    return out


def student_lines(lines, regions, lab):
    """The file's lines with lab's regions replaced by their stubs."""
    out, i = [], 0
    for r in sorted((r for r in regions if r.lab == lab), key=lambda r: r.begin):
        out += lines[i:r.begin + 1]
        out += r.stub_lines(lines)
        out.append(lines[r.end])
        i = r.end + 1
    return out + lines[i:]


def blanked_lines(lines, regions):
    """The file with every marker and stub line blank (line numbers kept): what the
    solution would be without the markers."""
    out = list(lines)
    for r in regions:
        for i in (r.begin, r.stub, r.end):
            out[i] = ''
        for i in range(r.stub + 1, r.end):
            out[i] = ''
    return out


def write_student_tree(root, lab, dest, update=False):
    """Writes the student tree of lab into dest (created; must not hold files).
    update: dest holds an earlier tree (another lab's): only files whose bytes differ
    are written, with a fresh mtime, so its build folder rebuilds exactly those."""
    marked = all_regions(root)
    if not any(r.lab == lab for _, regs in marked.values() for r in regs):
        raise MarkerError(f'no region of lab {lab} in {root}')
    if not update and os.path.exists(dest) and os.listdir(dest):
        raise MarkerError(f'{dest} exists and is not empty')
    for f in tree_files(root):
        if f in INSTRUCTOR_ONLY:
            continue
        src, dst = os.path.join(root, f), os.path.join(dest, f)
        os.makedirs(os.path.dirname(dst) or '.', exist_ok=True)
        if os.path.islink(src):
            if not os.path.lexists(dst):
                os.symlink(os.readlink(src), dst)
            continue
        if f in marked and any(r.lab == lab for r in marked[f][1]):
            lines, regs = marked[f]
            data = '\n'.join(student_lines(lines, regs, lab)).encode('utf-8')
        else:
            with open(src, 'rb') as i:
                data = i.read()
            if not os.path.exists(dst):
                # Same bytes, same mtime: a build folder copied beside the tree
                # (tools/grade --seed-build) rebuilds only what the stubs changed.
                shutil.copy2(src, dst)
                continue
        if os.path.exists(dst):
            with open(dst, 'rb') as i:
                if i.read() == data:
                    continue
        with open(dst, 'wb') as o: # a fresh mtime: it rebuilds
            o.write(data)
        os.chmod(dst, os.stat(src).st_mode & 0o777)


def lab_files(root, lab):
    """The files holding lab's regions (what a student hands in)."""
    return sorted(f for f, (_, regs) in all_regions(root).items()
                  if any(r.lab == lab for r in regs))


def leaked_lines(root, lab, student_root, min_len=16):
    """Lines of lab's removed regions that appear in the student tree although the
    solution has them nowhere else: [(path:line of the region, text, where found)].
    Short lines ("}", "return 0;") are common to any C and are not looked at, nor
    lines the lab's stubs have themselves (a signature, a guard written on purpose)."""
    marked = all_regions(root)
    removed, stubbed = {}, set()
    for f, (lines, regs) in marked.items():
        for r in regs:
            if r.lab == lab:
                stubbed.update(l.strip() for l in r.stub_lines(lines))
    for f, (lines, regs) in marked.items():
        for r in regs:
            if r.lab != lab:
                continue
            for k, l in enumerate(r.solution(lines)):
                s = l.strip()
                if len(s) >= min_len and not s.startswith('//') and s not in stubbed:
                    removed.setdefault(s, f'{f}:{r.begin + 2 + k}')
    # Lines the solution has outside lab's regions are not the solution's secret.
    for f in tree_files(root):
        if f in INSTRUCTOR_ONLY:
            continue
        try:
            lines = read_lines(os.path.join(root, f))
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        inside = set()
        for r in (marked.get(f, (None, []))[1]):
            if r.lab == lab:
                inside.update(range(r.begin, r.end + 1))
        for i, l in enumerate(lines):
            if i not in inside:
                removed.pop(l.strip(), None)
    found = []
    for f in tree_files(student_root):
        try:
            lines = read_lines(os.path.join(student_root, f))
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        for i, l in enumerate(lines):
            s = l.strip()
            if s in removed:
                found.append((removed[s], s, f'{f}:{i + 1}'))
    return found
