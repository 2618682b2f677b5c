#!/usr/bin/env bash
# The loader never hangs silently: for a missing kernel.elf, a file that is not
# ELF, an ELF for another machine and a truncated ELF, it prints what failed,
# waits for a key, and after the key hands control back to the firmware.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
export MTOOLS_SKIP_CHECK=1
esp() { echo "$1@@$((2048 * 512))"; }

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
check_case text 'kernel.elf: not an ELF file'
check_case i386 'kernel.elf: machine 3 is not x86-64'
check_case truncated 'kernel.elf: program headers at 0x40 lie beyond'
: >"$QL_LOG"
echo "PASS: every broken kernel is reported and the loader returns to the firmware"
