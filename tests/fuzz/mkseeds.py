#!/usr/bin/env python3
# Writes the fuzzers' seed corpora, tests/fuzz/corpus/<target>/, which are committed:
# small kernel-shaped ELF images (accepted and refused), command lines, JSON documents
# for the recursive Node table of json_fuzz.c, and operation bytes for the GC model.
# Run it again only to change the seeds: python3 tests/fuzz/mkseeds.py
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = 0xFFFFFFFF80000000  # boot/elf_check.h ELFCHK_WINDOW_BASE
PT_LOAD, PT_NOTE, PT_GNU_STACK = 1, 4, 0x6474E551


def elf(phdrs, entry, size=0x200):
    """An ELF64 x86-64 ET_EXEC with the program headers (type, flags, offset, vaddr,
    filesz, memsz, align) after its header and recognisable bytes after them."""
    head = b"\x7fELF\x02\x01\x01" + bytes(9)
    head += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, 64, 0, 0, 64, 56, len(phdrs), 64, 0, 0)
    for t, f, off, va, fs, ms, al in phdrs:
        head += struct.pack("<IIQQQQQQ", t, f, off, va, (va - BASE) % (1 << 64), fs, ms, al)
    return head + bytes((i * 7) & 0xFF for i in range(len(head), size))


def elf_seeds():
    text = (PT_LOAD, 5, 0x100, BASE + 0x200100, 0x80, 0x80, 0x1000)
    rodata = (PT_LOAD, 4, 0x180, BASE + 0x201180, 0x40, 0x40, 0x1000)
    data = (PT_LOAD, 6, 0x1C0, BASE + 0x2021C0, 0x40, 0x2000, 0x1000)
    entry = BASE + 0x200100
    return {
        "kernel3": elf([text, rodata, data], entry),
        "one_rwx": elf([(PT_LOAD, 7, 0x100, BASE + 0x100, 0x100, 0x1000, 0)], BASE + 0x180),
        "notes_and_empty": elf([(PT_NOTE, 4, 0x100, 0, 0x10, 0x10, 4), text,
                                (PT_LOAD, 4, 0, BASE + 0x300000, 0, 0, 0x1000),
                                (PT_GNU_STACK, 6, 0, 0, 0, 0, 16)], entry),
        # the original bug text's extra PT_LOAD: p_memsz 0, p_filesz 0x1000, p_offset 0x7fff00000000
        "crafted": elf([text, rodata, data,
                        (PT_LOAD, 4, 0x7FFF00000000, BASE + 0x400000, 0x1000, 0, 0x1000)], entry),
        "overlap": elf([text, (PT_LOAD, 4, 0x180, BASE + 0x200180, 0x40, 0x40, 0x1000)], entry),
        "low_window": elf([text, (PT_LOAD, 6, 0x1C0, 0x2021C0, 0x40, 0x2000, 0x1000)], entry),
        "entry_in_bss": elf([text, data], BASE + 0x2021F0),
        "big_align": elf([(PT_LOAD, 5, 0x100, BASE + 0x200100, 0x80, 0x80, 0x200000)], entry),
        "truncated": elf([text, rodata, data], entry)[:150],
    }


def options_seeds():
    lines = [
        "run=all quit=1",
        "run=1,3,5 scale=8 gogc=off memlimit=512MiB",
        "madv=free gctrace=1 verbose=9 gcverify=1 gcpoison=1 gcstress=50",
        "memprofilerate=0 selftest=all timeout=0",
        "bogus=1 run= quit=2 memlimit=12Q help",
        "gogc=100 gogc=off memlimit=1T memlimit=9223372036854775807 memlimit=8EiB",
        "run=0,999 run=1000 scale=0 verbose=-1 run=+1 run=1,,2",
        "\tmadv=dontneed\ngcstress=2147483647\r\nscale=1000000 x y=",
        "selftest=" + "s" * 200 + " run=" + ",".join(str(i) for i in range(1, 19)),
    ]
    return {"line%d" % i: s.encode() for i, s in enumerate(lines)}


def json_seeds():
    docs = [
        b'{"Name":"a","N":5,"OK":true,"Tags":["x","y"],"Ids":[1,2,3],"Next":{"Name":"b",'
        b'"Next":{"N":-1}},"K":{"Leaf":{"S":"s","I":7}},"Leaf":{"S":"top"}}',
        b'{"Next":{"Next":{"Next":{"K":{"N":"wrong"}}}}}',
        b'{"Name":"a\\nb\\u00e9\\ud83d\\ude00\\"\\\\","Tags":["\\u0001",null,""]}',
        b'{"N":1.5,"OK":"yes","Tags":{},"Ids":[1,"x",[2]],"Next":[1],"Leaf":5}',
        b"null", b"[]", b'"str"', b"123", b" { } ",
        b'{"name":"fold","NAME":"x","tags":[],"ids":null,"next":null,"unknown":{"a":[1,{}]}}',
        b'{"N":-9223372036854775808,"Ids":[9223372036854775807,99999999999999999999]}',
        b'{"Name":"b","Tags":[1,}',
        b'{"Name":"a\xffb\xc3\xa9","Leaf":{"S":"\xed\xa0\x80"}}',
        b'{"K":' * 40 + b'{"Leaf":{"I":true}}' + b"}" * 40,
        b'{"Ids":[0,-0,1e2,1E+2,-1.0e-3],"OK":false,"Name":null}',
    ]
    return {"doc%d" % i: d for i, d in enumerate(docs)}


def gc_seeds():
    rng = random.Random(19)
    seeds = {"ops%d" % n: bytes(rng.randrange(256) for _ in range(n)) for n in (64, 512, 4000)}
    # the first byte picks the collector (gc_fuzz.c): one seed of each for sure
    for n in (512, 4000):
        ops = seeds["ops%d" % n]
        seeds["inc_ops%d" % n] = bytes([ops[0] | 1]) + ops[1:]
        seeds["stw_ops%d" % n] = bytes([ops[0] & ~1]) + ops[1:]
    return seeds


def main():
    for target, seeds in (("elf", elf_seeds()), ("options", options_seeds()),
                          ("json", json_seeds()), ("gc", gc_seeds())):
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
