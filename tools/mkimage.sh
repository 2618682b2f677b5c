#!/usr/bin/env bash
# Builds spanlab's bootable disk image without root or loop devices: a GPT disk
# (sgdisk on a plain file) with one EFI System Partition formatted FAT32 (mtools at
# the partition's byte offset) holding EFI/BOOT/BOOTX64.EFI, spanlab/kernel.elf and
# spanlab/cmdline.txt. The same image boots in QEMU and, written with dd, on a PC.
#
#   tools/mkimage.sh --efi BOOTX64.EFI --kernel kernel.elf --out IMG [--cmdline LINE] [--size MiB]
#   tools/mkimage.sh --from IMG --out COPY --cmdline LINE    (cheap: copy, replace cmdline.txt)
set -euo pipefail

efi= kernel= out= from= size_mib=64
cmdline='timeout=5'
die() { echo "mkimage: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
    --efi) efi=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --from) from=$2; shift 2 ;;
    --cmdline) cmdline=$2; shift 2 ;;
    --size) size_mib=$2; shift 2 ;;
    *) die "unknown argument '$1' (see the header of $0)" ;;
    esac
done
[ -n "$out" ] || die "--out is required"
# The loader reads at most BOOT_CMDLINE_MAX - 1 bytes (boot/bootinfo.h) and would stop
# at its error screen waiting for a key: say so here instead.
[ ${#cmdline} -le 1023 ] || die "the command line is ${#cmdline} bytes; the loader takes at most 1023"
export MTOOLS_SKIP_CHECK=1 # mtools must not second-guess the geometry of a file

# Prints the byte offset of partition 1 of the GPT image $1.
esp_offset() {
    local first
    first=$(sgdisk -i 1 "$1" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
    [ -n "$first" ] || die "$1 has no partition 1"
    echo $((first * 512))
}

# Writes the command line (one line) as spanlab/cmdline.txt on the ESP of image $1.
put_cmdline() {
    printf '%s\n' "$cmdline" | mcopy -o -i "$1@@$(esp_offset "$1")" - ::/spanlab/cmdline.txt
}

if [ -n "$from" ]; then
    [ -f "$from" ] || die "no image $from"
    cp --sparse=always "$from" "$out.tmp.$$"
    put_cmdline "$out.tmp.$$"
    mv "$out.tmp.$$" "$out"
    exit 0
fi

[ -f "$efi" ] || die "no loader '$efi' (--efi)"
[ -f "$kernel" ] || die "no kernel '$kernel' (--kernel)"
[ "$size_mib" -ge 40 ] || die "--size must be at least 40 MiB (FAT32 needs 65525 clusters)"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
truncate -s "${size_mib}M" "$tmp"
# One partition from 1 MiB to 1 MiB before the end (both ends 1 MiB aligned; the
# backup GPT sits in the last MiB), type EF00 (EFI System Partition).
sgdisk --clear --new=1:2048:$((size_mib * 2048 - 2049)) --typecode=1:ef00 --change-name=1:"EFI System" "$tmp" >/dev/null
first=$(sgdisk -i 1 "$tmp" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
last=$(sgdisk -i 1 "$tmp" | sed -n 's/^Last sector: \([0-9]*\).*/\1/p')
sectors=$((last - first + 1))
img="$tmp@@$((first * 512))"
# FAT32 needs at least 65525 clusters: one 512-byte sector per cluster (-c 1)
# gives ~129000 on a 63 MiB partition. -H: sectors before the partition.
mformat -i "$img" -F -c 1 -T "$sectors" -h 64 -s 32 -H "$first" -v SPANLAB ::
mmd -i "$img" ::/EFI ::/EFI/BOOT ::/spanlab
mcopy -i "$img" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$img" "$kernel" ::/spanlab/kernel.elf
put_cmdline "$tmp"
mv "$tmp" "$out"
trap - EXIT
