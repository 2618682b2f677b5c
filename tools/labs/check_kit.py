#!/usr/bin/env python3
"""check_kit: the lab kit's own checks, run by make test (tests/tools/labs_*.sh).

  check_kit.py markers   markers well formed, every lab present, the markers and stubs
                         change nothing the compiler sees, no starting tree holds a line
                         of its lab's solution or the instructor's file; and each of these
                         checks fails on a copy made wrong on purpose; and
                         `tools/mklab N --branch NAME` (in a clone) writes one commit with
                         no parent holding exactly the tree `tools/mklab N DIR` writes
  check_kit.py grade LAB[,LAB...]
                         for each lab: the starting tree builds and scores below full, the
                         solution scores full (one scratch tree under build/labs/, its
                         build folder seeded from build/ and reused lab after lab)
"""
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import grading  # noqa: E402
import labkit  # noqa: E402

ROOT = labkit.repo_root(HERE)
failures = []


def fail(msg):
    failures.append(msg)
    print(f'FAIL: {msg}', flush=True)


def comment_free(text):
    """What the compiler sees of a C text: gcc's preprocessor output, with the
    #include lines left out (the same in both texts compared, and not needed)."""
    text = '\n'.join('' if l.lstrip().startswith('#include') else l for l in text.split('\n'))
    r = subprocess.run(['gcc', '-E', '-nostdinc', '-w', '-x', 'c', '-'], input=text,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return r.stdout


def neutral(path, lines, regions):
    """True when the file without its markers and stubs reads the same to the compiler."""
    a = comment_free('\n'.join(lines))
    b = comment_free('\n'.join(labkit.blanked_lines(lines, regions)))
    return a is not None and a == b


def check_markers():
    try:
        marked = labkit.all_regions(ROOT)
    except labkit.MarkerError as e:
        fail(f'markers: {e}')
        return
    labs = {r.lab for _, regs in marked.values() for r in regs}
    for n in labkit.LABS:
        if n not in labs:
            fail(f'no region for lab {n}')
        if n not in grading.LABS:
            fail(f'lab {n} has no grading items (tools/labs/grading.py)')
    nreg = 0
    for f, (lines, regs) in sorted(marked.items()):
        nreg += len(regs)
        if not neutral(f, lines, regs):
            fail(f'{f}: the markers or stubs change what the compiler sees')
    print(f'markers: {nreg} regions in {len(marked)} files, labs {sorted(labs)}; '
          f'the compiler sees the same code without them')
    # The neutrality check itself: a stub line ending in a backslash continues the
    # comment onto the next line, hiding code from the compiler.
    f = sorted(marked)[0]
    lines, regs = marked[f]
    bad = list(lines)
    bad[regs[0].begin] += ' \\'
    if neutral(f, bad, labkit.parse(f, bad)):
        fail('the neutrality check missed a marker ending in a backslash')
    with tempfile.TemporaryDirectory(prefix='labs-kit.') as tmp:
        for n in labkit.LABS:
            dest = os.path.join(tmp, f'lab{n}')
            labkit.write_student_tree(ROOT, n, dest)
            for inst in labkit.INSTRUCTOR_ONLY:
                if os.path.exists(os.path.join(dest, inst)):
                    fail(f'lab {n}: the starting tree has {inst}')
            leaks = labkit.leaked_lines(ROOT, n, dest)
            for where, text, found in leaks[:5]:
                fail(f'lab {n}: solution line {where} is in the starting tree at {found}: '
                     f'{text!r}')
            nfiles = 0
            for lf in labkit.lab_files(ROOT, n):
                nfiles += 1
                with open(os.path.join(dest, lf)) as s, open(os.path.join(ROOT, lf)) as o:
                    st, so = s.read(), o.read()
                if st == so:
                    fail(f'lab {n}: {lf} is the same in the starting tree')
                if f'// LAB {n} STUB' in st:
                    fail(f'lab {n}: {lf} of the starting tree still has a LAB {n} STUB marker')
            print(f'lab {n}: starting tree written, {nfiles} files with stubs, '
                  f'no line of the solution in it')
        # The leak check itself: a starting tree with one solution line pasted in.
        n = 2
        dest = os.path.join(tmp, 'lab2')
        marked2 = labkit.all_regions(ROOT)
        r = next(r for f, (_, regs) in sorted(marked2.items()) for r in regs if r.lab == n)
        lines = marked2[r.path][0]
        pasted = [l for l in r.solution(lines) if len(l.strip()) >= 16]
        with open(os.path.join(dest, 'README.md'), 'a') as o:
            o.write('\n' + '\n'.join(pasted) + '\n')
        found = labkit.leaked_lines(ROOT, n, dest)
        if not any(where.startswith('README.md') for _, _, where in found):
            fail('the leak check missed solution lines pasted into a starting tree')
        else:
            print(f'leak check: solution lines pasted into a starting tree are found '
                  f'({len(found)})')


def file_bytes(top):
    """{relative path: bytes} of every file under top."""
    out = {}
    for d, _, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            with open(p, 'rb') as fh:
                out[os.path.relpath(p, top)] = fh.read()
    return out


def check_branch(n=3):
    """mklab --branch, in a scratch repository holding this tree (one commit): an
    orphan commit whose tree is the folder mklab writes; a second run refuses the name."""
    with tempfile.TemporaryDirectory(prefix='labs-branch.') as tmp:
        repo = os.path.join(tmp, 'repo')
        for f in labkit.tree_files(ROOT):
            os.makedirs(os.path.dirname(os.path.join(repo, f)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), os.path.join(repo, f))
        git = ['git', '-C', repo, '-c', 'user.name=check_kit', '-c', 'user.email=check_kit@spanlab']
        for cmd in (['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'the solution']):
            subprocess.run(git + cmd, check=True, capture_output=True)
        mk = [sys.executable, os.path.join(repo, 'tools', 'mklab')]
        ident = {f'GIT_{w}_{k}': v for w in ('AUTHOR', 'COMMITTER')
                 for k, v in (('NAME', 'check_kit'), ('EMAIL', 'check_kit@spanlab'))}
        env = dict(os.environ, **ident) # a machine with no git identity (CI)
        r = subprocess.run(mk + [str(n), '--branch', 'start'], cwd=repo, capture_output=True,
                           text=True, env=env)
        if r.returncode != 0:
            fail(f'mklab {n} --branch start: exit {r.returncode}: {r.stderr.strip()}')
            return
        parents = subprocess.run(['git', '-C', repo, 'rev-list', '--parents', '-n1', 'start'],
                                 check=True, capture_output=True, text=True).stdout.split()
        if len(parents) != 1:
            fail(f'mklab --branch: the commit has parents {parents[1:]} (the solution is in '
                 f'its history)')
        subprocess.run(mk + [str(n), os.path.join(tmp, 'dir')], cwd=repo, check=True,
                       capture_output=True)
        os.mkdir(os.path.join(tmp, 'branch'))
        arch = subprocess.run(['git', '-C', repo, 'archive', 'start'], check=True,
                              capture_output=True).stdout
        subprocess.run(['tar', '-x', '-C', os.path.join(tmp, 'branch')], input=arch, check=True)
        a, b = file_bytes(os.path.join(tmp, 'branch')), file_bytes(os.path.join(tmp, 'dir'))
        diff = sorted(f for f in set(a) | set(b) if a.get(f) != b.get(f))
        if diff:
            fail(f'mklab --branch: the branch and the folder differ in {len(diff)} files, '
                 f'e.g. {diff[:3]}')
        for inst in labkit.INSTRUCTOR_ONLY:
            if inst in a:
                fail(f'mklab --branch: the branch holds {inst}')
        r = subprocess.run(mk + [str(n), '--branch', 'start'], cwd=repo, capture_output=True,
                           text=True, env=env)
        if r.returncode == 0 or 'exists already' not in r.stderr:
            fail(f'mklab --branch over an existing branch: exit {r.returncode}, '
                 f'said {r.stderr.strip()!r}')
        if not diff and len(parents) == 1:
            print(f'mklab --branch: lab {n} as one parentless commit, {len(a)} files, the '
                  f'same as the folder; an existing name is refused')


def check_handouts():
    """No student handout holds an answer: no line of the instructor's file (of 30
    characters or more, quotes of program output aside) and no answers heading."""
    docs = os.path.join(ROOT, 'docs', 'labs')
    with open(os.path.join(docs, 'instructor.md')) as f:
        inst = f.read().split('\n')
    answers, in_block = set(), False
    for l in inst:
        if l.strip().startswith('```'):
            in_block = not in_block
            continue
        if not in_block and len(l.strip()) >= 30 and not l.lstrip().startswith('Output ('):
            answers.add(l.strip())
    for n in labkit.LABS:
        path = os.path.join(docs, f'lab{n}.md')
        if not os.path.exists(path):
            fail(f'no handout docs/labs/lab{n}.md')
            continue
        with open(path) as f:
            text = f.read()
        for l in text.split('\n'):
            if l.strip() in answers:
                fail(f'docs/labs/lab{n}.md holds a line of the answers: {l.strip()!r}')
            if re.match(r'^#+\s*(answers?\b|what you should have found)', l, re.I):
                fail(f'docs/labs/lab{n}.md has an answers heading: {l.strip()!r}')
        if f'answers-lab{n}.txt' not in text:
            fail(f'docs/labs/lab{n}.md has no answers-lab{n}.txt template')
    print(f'handouts: {len(labkit.LABS)} handouts, none holds a line of the '
          f'{len(answers)} of instructor.md')


def grade(root, labs, seed=None):
    out = os.path.join(root, 'build', 'grade', 'check.json')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [os.path.join(ROOT, 'tools', 'grade'), '--root', root, '--quiet', '--json', out,
           '--lab', ','.join(map(str, labs))]
    if seed:
        cmd += ['--seed-build', seed]
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return {r['lab']: r for r in json.load(f)}


def failed_items(r):
    return '; '.join(f'{i["name"]}: {i["detail"]}' for i in r['items'] if not i['passed'])


def check_grades(labs):
    sol = grade(ROOT, labs)
    for n in labs:
        r = sol[n]
        if r['score'] != r['max'] or not r['build_ok']:
            fail(f'lab {n}: the solution scores {r["score"]}/{r["max"]}: {failed_items(r)}')
        else:
            print(f'lab {n}: solution {r["score"]}/{r["max"]} ({r["seconds"]} s)', flush=True)
    tree = os.path.join(ROOT, 'build', 'labs', 'ci-' + '-'.join(map(str, labs)))
    for k, n in enumerate(labs):
        if k == 0 and os.path.exists(tree):
            shutil.rmtree(tree)
        labkit.write_student_tree(ROOT, n, tree, update=k > 0)
        r = grade(tree, [n], seed=os.path.join(ROOT, 'build') if k == 0 else None)[n]
        if not r['build_ok']:
            fail(f'lab {n}: the starting tree does not build '
                 f'({tree}/build/grade/lab{n}/build.log)')
        elif r['score'] >= r['max']:
            fail(f'lab {n}: the starting tree scores full ({r["score"]}/{r["max"]})')
        else:
            print(f'lab {n}: starting tree builds and scores {r["score"]}/{r["max"]} '
                  f'({r["seconds"]} s)', flush=True)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ('markers', 'grade'):
        sys.exit(__doc__)
    if sys.argv[1] == 'markers':
        check_markers()
        check_handouts()
        check_branch()
    else:
        if len(sys.argv) != 3:
            sys.exit('check_kit.py grade LAB[,LAB...]')
        check_grades([int(x) for x in sys.argv[2].split(',')])
    if failures:
        print(f'check_kit: {len(failures)} failures')
        sys.exit(1)
    print('check_kit: PASS')


if __name__ == '__main__':
    main()
