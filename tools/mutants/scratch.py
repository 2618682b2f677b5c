"""The mutation suite's scratch tree: a copy of the tracked files, kept in step.

Only files whose bytes differ are copied, each with a fresh mtime, so the scratch
tree's own build/ stays incremental and make rebuilds exactly what changed (a file
restored after a mutant is newer than the objects built from the mutant).
"""
import os
import shutil
import subprocess
import sys


def sync_tree(root, tree):
    """Makes tree hold exactly the tracked files of root; copies only changed ones."""
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True)
    if out.returncode != 0:
        sys.exit(f"mutants: git ls-files failed in {root}: {out.stderr.decode().strip()}")
    tracked = {p for p in out.stdout.decode().split("\0") if p}
    for rel in sorted(tracked):
        src, dst = os.path.join(root, rel), os.path.join(tree, rel)
        if not os.path.isfile(src):
            continue  # deleted in the work tree, not yet in the index
        if os.path.isfile(dst) and same_bytes(src, dst):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)  # a fresh mtime: make rebuilds what depends on it
        shutil.copymode(src, dst)
    for dirpath, dirnames, filenames in os.walk(tree):
        if dirpath == tree and "build" in dirnames:
            dirnames.remove("build")
        for f in filenames:
            rel = os.path.relpath(os.path.join(dirpath, f), tree)
            if rel not in tracked:
                os.remove(os.path.join(tree, rel))


def same_bytes(a, b):
    """Whether files a and b hold the same bytes."""
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def read_text(path):
    """The text of a file, line endings as they are."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write_text(path, text):
    """Writes text to a file as it is (a fresh mtime)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
