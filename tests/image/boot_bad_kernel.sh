#!/usr/bin/env bash
# The loader never hangs silently: for a missing kernel.elf, a file that is not
# ELF, an ELF for another machine, a truncated ELF and crafted program headers (the
# original bug text's extra PT_LOAD with p_memsz 0, p_filesz 0x1000 and p_offset
# 0x7fff00000000, which made OVMF report a page fault inside the loader and hang;
# overlapping segments, a segment outside the kernel's window, file bytes larger
# than memory, a bad p_align, an entry point outside the code) it prints the check
# that failed, waits for a key, and after the key hands control back to the firmware.
# The messages are boot/elf_check.c's (tests/unit/elf_check_test.c has them all).
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
export MTOOLS_SKIP_CHECK=1
esp() { echo "$1@@$((2048 * 512))"; }

# poke FILE OFFSET BYTES VALUE: stores VALUE (any base) little-endian at OFFSET.
poke() {
    python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2], 0));
f.write(int(sys.argv[4], 0).to_bytes(int(sys.argv[3]), "little"))' "$@"
}
# ph N FIELD-OFFSET: the file offset of a field of program header N (e_phoff is 64).
ph() { echo $((64 + 56 * $1 + $2)); }
PH_TYPE=0 PH_FLAGS=4 PH_OFFSET=8 PH_VADDR=16 PH_FILESZ=32 PH_MEMSZ=40 PH_ALIGN=48

# make_case NAME: a copy of the image whose kernel.elf is broken in way NAME.
make_case() {
    local img=$QL_DIR/$1.img k=$QL_DIR/$1.elf
    "$QL_ROOT/tools/mkimage.sh" --from "$QL_IMAGE" --out "$img" --cmdline 'timeout=0' || return 1
    mcopy -n -i "$(esp "$img")" ::/spanlab/kernel.elf "$k" || return 1
    case $1 in
    missing) mdel -i "$(esp "$img")" ::/spanlab/kernel.elf; return ;;
    text) echo "this is not a kernel" >"$k" ;;
    i386) printf '\x03' | dd of="$k" bs=1 seek=18 conv=notrunc status=none ;; # e_machine
    truncated) truncate -s 100 "$k" ;;
    crafted) # a fourth PT_LOAD in the unused bytes after the table (text starts at 0x1000)
        poke "$k" "$(ph 3 $PH_TYPE)" 4 1 && poke "$k" "$(ph 3 $PH_FLAGS)" 4 4 &&
            poke "$k" "$(ph 3 $PH_OFFSET)" 8 0x7fff00000000 &&
            poke "$k" "$(ph 3 $PH_VADDR)" 8 0xffffffff80f00000 &&
            poke "$k" "$(ph 3 $PH_FILESZ)" 8 0x1000 && poke "$k" "$(ph 3 $PH_MEMSZ)" 8 0 &&
            poke "$k" "$(ph 3 $PH_ALIGN)" 8 0x1000 && poke "$k" 56 2 4 || return 1 ;;
    overlap) poke "$k" "$(ph 1 $PH_VADDR)" 8 0xffffffff80201000 || return 1 ;; # rodata into text
    window) poke "$k" "$(ph 2 $PH_VADDR)" 8 0x200000 || return 1 ;; # data at a low address
    sizes) poke "$k" "$(ph 0 $PH_MEMSZ)" 8 0x10 || return 1 ;;
    align) poke "$k" "$(ph 1 $PH_ALIGN)" 8 0x3000 || return 1 ;;
    entry) poke "$k" 24 8 0xffffffffbffff000 || return 1 ;; # e_entry
    esac
    mcopy -o -i "$(esp "$img")" "$k" ::/spanlab/kernel.elf
}

check_case() { # NAME EXPECTED-MESSAGE-REGEX
    local name=$1 want=$2
    echo "== $name"
    make_case "$name" || ql_fail "cannot build the '$name' image"
    : >"$QL_LOG"
    ql_start --image "$QL_DIR/$name.img" --timeout 300
    ql_expect "$want" 240 || ql_fail "$name: no message matching '$want'"
    ql_expect 'Press any key to return to the firmware' 10 || ql_fail "$name: no key prompt"
    ql_expect 'hello from|^spanlab [^lb]' 1 && ql_fail "$name: a kernel ran"
    ql_type ' '
    # Back in the firmware: OVMF reports the failed boot option and moves on.
    ql_expect 'BdsDxe: failed to start Boot' 60 || ql_fail "$name: the loader did not return after the key"
    kill -- "-$QL_PID" 2>/dev/null
    ql_wait 30
    cat "$QL_LOG"
    rm -f "$QL_DIR/in"
}

check_case missing 'error: cannot read \\spanlab\\kernel.elf from the boot volume \(Not Found\)'
check_case text 'kernel.elf: magic: not an ELF file \(0x15 bytes'
check_case i386 'kernel.elf: machine: 3 is not x86-64'
check_case truncated 'kernel.elf: program header table: 0x40 \+ 3 headers lie beyond the end of the file \(0x64 bytes\)'
check_case crafted 'kernel.elf: segment 3: file range: bytes 0x7fff00000000 \+ 0x1000 lie beyond the end of the file'
check_case overlap 'kernel.elf: segments 0 and 1: overlap: 0xffffffff80200000 \+ 0x[0-9a-f]+ and 0xffffffff80201000 \+'
check_case window "kernel.elf: segment 2: window: 0x200000 \\+ 0x[0-9a-f]+ is outside the kernel's window 0xffffffff80000000 to 0xffffffffc0000000"
check_case sizes 'kernel.elf: segment 0: sizes: file size 0x[0-9a-f]+ exceeds memory size 0x10'
check_case align 'kernel.elf: segment 1: alignment: p_align 0x3000 is not 0 or a power of two'
check_case entry 'kernel.elf: entry: 0xffffffffbffff000 is not in the file bytes of an executable PT_LOAD segment'
: >"$QL_LOG"
echo "PASS: every broken kernel is reported and the loader returns to the firmware"
