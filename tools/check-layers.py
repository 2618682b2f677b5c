#!/usr/bin/env python3
"""Checks spanlab's layering rules (docs/architecture.md) on the sources.

    tools/check-layers.py [--root DIR]

The rules, each failing the check with file:line and what was wrong:
  include  `#include "X"` only from a folder to itself or to a folder below it:
           scenarios -> golib -> rt -> mm -> sys; kernel -> kernel, sys and the boot
           protocol (boot/bootinfo.h); boot -> boot; libc -> libc. (tests/, bench/
           and tools/ may include anything.)
  weak     no weak symbol across folders: a weak declaration or definition of a
           symbol that another folder defines.
  machine  only kernel/, boot/ and the machine files (sys/*_x86_64.*,
           libc/*_x86_64.*) know x86-64: no assembly files, no inline assembly with
           instructions, no x86 target attributes, intrinsics or headers elsewhere.
  build    a fragment's source lists (*_SRCS in FOLDER/*.mk) name only FOLDER's
           files, and no file of sys/ mm/ rt/ golib/ scenarios/ is built into the
           kernel alone (KERNEL_SRCS).
Prints one line per violation and exits 1, or one summary line and exits 0.
"""
import argparse
import os
import re
import sys

# The folders each folder may include from (itself included).
ALLOWED = {
    "scenarios": {"scenarios", "golib", "rt", "mm", "sys"},
    "golib": {"golib", "rt", "mm", "sys"},
    "rt": {"rt", "mm", "sys"},
    "mm": {"mm", "sys"},
    "sys": {"sys"},
    "kernel": {"kernel", "sys", "boot/bootinfo.h"},
    "boot": {"boot"},
    "libc": {"libc"},
}
PORTABLE = ("sys", "mm", "rt", "golib", "scenarios", "libc")
SOURCE_EXT = (".c", ".h", ".S")
MACHINE_FILE = re.compile(r"^(sys|libc)/[^/]*_x86_64\.[chS]$")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
WEAK_ATTR = re.compile(r"__attribute__\s*\(\(\s*(?:__)?weak(?:__)?\b")
WEAK_PRAGMA = re.compile(r"^\s*#\s*pragma\s+weak\s+(\w+)", re.M)
WEAK_ASM = re.compile(r"^\s*\.weak\s+(\w+)", re.M)
ASM = re.compile(r"\b(?:__asm__|asm)\b\s*(?:volatile\b|__volatile__\b)?\s*\(\s*\"([^\"]*)\"")
X86_MARKS = re.compile(r"target\s*\(\s*\"general-regs-only\"|__builtin_ia32_|"
                       r"<(?:cpuid|x86intrin|immintrin|emmintrin)\.h>")


def strip_comments(text):
    """Blanks out comments and string contents, keeping line numbers and quotes."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('"' + " " * (j - i - 1) + '"')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


class Checker:
    def __init__(self, root):
        self.root = root
        self.problems = []
        self.files = self.sources()
        self.texts = {f: open(os.path.join(root, f), errors="replace").read() for f in self.files}
        self.stripped = {f: strip_comments(t) for f, t in self.texts.items()}

    def sources(self):
        """Every source file under the folders the rules speak of, and tests/ bench/."""
        found = []
        for top in list(ALLOWED) + ["tests", "bench", "tools"]:
            for d, dirs, names in os.walk(os.path.join(self.root, top)):
                dirs[:] = [x for x in dirs if x not in ("corpus", "fixtures")]
                for name in names:
                    if name.endswith(SOURCE_EXT):
                        found.append(os.path.relpath(os.path.join(d, name), self.root))
        return sorted(found)

    def report(self, path, line, rule, msg):
        self.problems.append(f"{path}:{line}: {rule}: {msg}")

    def folder(self, path):
        return path.split(os.sep)[0]

    # ---- include ---------------------------------------------------------------------

    def check_includes(self):
        count = 0
        for f in self.files:
            top = self.folder(f)
            if top not in ALLOWED:
                continue
            for m in INCLUDE.finditer(self.texts[f]):
                count += 1
                quote, target = m.group(1), m.group(2)
                line = line_of(self.texts[f], m.start())
                first = target.split("/")[0]
                if "/" not in target:
                    if quote == '"' and not os.path.exists(os.path.join(self.root, os.path.dirname(f), target)):
                        continue  # generated at build time (build/gen), beside no folder
                    continue
                if first not in ALLOWED and first not in ("tests", "bench", "tools"):
                    continue  # a system header (<sys/mman.h>, <efi/...>)
                if quote == "<" and not os.path.exists(os.path.join(self.root, target)):
                    continue
                allowed = ALLOWED[top]
                if first in allowed or target in allowed:
                    continue
                self.report(f, line, "include", f"{top}/ may not include {target} "
                            f"({top}/ may include {', '.join(sorted(allowed))})")
        return count

    # ---- weak ------------------------------------------------------------------------

    def definitions(self, name):
        """The folders whose files define name (a function with a body, a variable, or
        an assembly label), not counting weak definitions."""
        where = set()
        fn = re.compile(r"\b" + re.escape(name) + r"\s*\(")
        var = re.compile(r"^[A-Za-z_][\w\s\*]*\b" + re.escape(name) + r"\b\s*(?:\[[^\]]*\]\s*)*(?:=|;)", re.M)
        label = re.compile(r"^" + re.escape(name) + r":", re.M)
        for f, s in self.stripped.items():
            if name not in s:
                continue
            if f.endswith(".S"):
                if label.search(s):
                    where.add(self.folder(f))
                continue
            for m in fn.finditer(s):
                if self.is_definition(s, m) and not WEAK_ATTR.search(self.statement(s, m.start())):
                    where.add(self.folder(f))
            for m in var.finditer(s):
                st = m.group(0)
                if self.depth(s, m.start()) == 0 and not re.match(r"\s*extern\b", st) \
                        and not WEAK_ATTR.search(st) and "typedef" not in st:
                    where.add(self.folder(f))
        return where

    def depth(self, s, pos):
        return s.count("{", 0, pos) - s.count("}", 0, pos)

    def statement(self, s, pos):
        """The text of the declaration around pos (from the previous ; { } to pos)."""
        start = max(s.rfind(";", 0, pos), s.rfind("}", 0, pos), s.rfind("{", 0, pos)) + 1
        end = s.find(";", pos)
        return s[start:end if end >= 0 else len(s)]

    def is_definition(self, s, m):
        """True when the NAME( at m opens a function definition at file scope."""
        if self.depth(s, m.start()) != 0:
            return False
        level, i = 0, m.end() - 1
        while i < len(s):
            if s[i] == "(":
                level += 1
            elif s[i] == ")":
                level -= 1
                if level == 0:
                    break
            i += 1
        rest = s[i + 1:i + 200].lstrip()
        while rest.startswith("__attribute__"):
            close = rest.find("))")
            rest = rest[close + 2:].lstrip() if close >= 0 else ""
        return rest.startswith("{")

    def weak_symbols(self, f):
        """(name, line) of every weak declaration or definition in f."""
        s = self.stripped[f]
        for rx in (WEAK_PRAGMA, WEAK_ASM):
            for m in rx.finditer(s):
                yield m.group(1), line_of(s, m.start())
        for m in WEAK_ATTR.finditer(s):
            st_start = max(s.rfind(";", 0, m.start()), s.rfind("}", 0, m.start())) + 1
            end = min(x for x in (s.find(";", m.end()), s.find("{", m.end()), len(s)) if x >= 0)
            decl = re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)", " ", s[st_start:end])
            names = re.findall(r"\b([A-Za-z_]\w*)\s*(?=\(|\[|=|$)", decl.strip())
            names = [x for x in names if x not in ("const", "volatile", "extern", "static")]
            if names:
                yield names[0], line_of(s, m.start())

    def check_weak(self):
        count = 0
        for f in self.files:
            if self.folder(f) not in ALLOWED:
                continue
            for name, line in self.weak_symbols(f):
                count += 1
                others = self.definitions(name) - {self.folder(f)}
                if others:
                    self.report(f, line, "weak", f"weak {name} is defined in "
                                f"{', '.join(sorted(o + '/' for o in others))}: register a hook "
                                "or call it through the layer's interface instead")
        return count

    # ---- machine ---------------------------------------------------------------------

    def check_machine(self):
        for f in self.files:
            top = self.folder(f)
            if top not in PORTABLE or MACHINE_FILE.match(f.replace(os.sep, "/")):
                continue
            if f.endswith(".S"):
                self.report(f, 1, "machine", "an assembly file outside kernel/, boot/ and the "
                            "machine files (sys/*_x86_64.*, libc/*_x86_64.*)")
                continue
            text = self.texts[f]
            for m in ASM.finditer(text):
                if m.group(1).strip():
                    self.report(f, line_of(text, m.start()), "machine",
                                f"inline assembly \"{m.group(1)[:30]}\" outside kernel/, boot/ "
                                "and the machine files (add a sys verb)")
            for m in X86_MARKS.finditer(text):
                self.report(f, line_of(text, m.start()), "machine",
                            f"x86-64 specific {m.group(0)} outside kernel/, boot/ and the machine "
                            "files (sys/machine_x86_64.h has SYS_INTERRUPT_CONTEXT)")

    # ---- build -----------------------------------------------------------------------

    def assignments(self, path):
        """(variable, words, line) of every assignment in a make fragment."""
        text = open(os.path.join(self.root, path)).read()
        joined, lines = [], text.split("\n")
        i = 0
        while i < len(lines):
            start, cur = i, lines[i]
            while cur.endswith("\\") and i + 1 < len(lines):
                i += 1
                cur = cur[:-1] + " " + lines[i]
            joined.append((start + 1, cur))
            i += 1
        for line, cur in joined:
            m = re.match(r"^([A-Z_]+)\s*(?:\+=|:=|=)\s*(.*)$", cur.split("#")[0])
            if m:
                yield m.group(1), m.group(2).split(), line

    def check_build(self):
        for top in list(ALLOWED) + ["tests", "bench", "tools"]:
            d = os.path.join(self.root, top)
            if not os.path.isdir(d):
                continue
            for name in sorted(os.listdir(d)):
                if not name.endswith(".mk"):
                    continue
                frag = os.path.join(top, name)
                for var, words, line in self.assignments(frag):
                    if not var.endswith("_SRCS"):
                        continue
                    for w in words:
                        if "$" in w or "/" not in w:
                            continue
                        if w.split("/")[0] != top:
                            self.report(frag, line, "build", f"{var} names {w}: a fragment "
                                        f"lists only its own folder's files ({top}/)")
                        elif var == "KERNEL_SRCS" and top in PORTABLE and top != "libc":
                            self.report(frag, line, "build", f"{w} is built into the kernel "
                                        "alone: a file only the kernel uses belongs in kernel/")

    def run(self):
        includes = self.check_includes()
        weak = self.check_weak()
        self.check_machine()
        self.check_build()
        for p in self.problems:
            print(p)
        if self.problems:
            print(f"check-layers: {len(self.problems)} violation(s) in {self.root}")
            return 1
        print(f"check-layers: OK: {len(self.files)} files, {includes} includes, "
              f"{weak} weak symbols, machine code and fragments checked")
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."),
                    help="the tree to check (default: this repository)")
    args = ap.parse_args()
    sys.exit(Checker(os.path.normpath(args.root)).run())


if __name__ == "__main__":
    main()
