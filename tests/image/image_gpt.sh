#!/usr/bin/env bash
# build/spanlab-usb.img is what people dd to a USB stick, so it must be a clean
# GPT disk (protective MBR, both headers, CRCs: sgdisk -v), with one EFI System
# Partition (type EF00) holding a FAT32 file system that fsck.fat accepts, with the
# loader at the removable-media path EFI/BOOT/BOOTX64.EFI, the kernel and cmdline.txt.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
img=${SPANLAB_IMAGE:-$root/build/spanlab-usb.img}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-gpt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export MTOOLS_SKIP_CHECK=1

[ -f "$img" ] || fail "no image $img"
echo "== sgdisk -v"
sgdisk -v "$img" | tee "$tmp/verify"
grep -q 'No problems found' "$tmp/verify" || fail "sgdisk -v found problems"
grep -qi 'caution\|warning' "$tmp/verify" && fail "sgdisk -v warns"
echo "== sgdisk -p"
sgdisk -p "$img" | tee "$tmp/print"
[ "$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+' "$tmp/print")" -eq 1 ] || fail "want exactly one partition"
grep -qE '^ +1 +2048 .* EF00 ' "$tmp/print" || fail "partition 1 is not an EF00 ESP at 1 MiB"
sgdisk -i 1 "$img" | tee "$tmp/info"
grep -q 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' "$tmp/info" || fail "not the ESP type GUID"
first=$(sed -n 's/^First sector: \([0-9]*\).*/\1/p' "$tmp/info")
last=$(sed -n 's/^Last sector: \([0-9]*\).*/\1/p' "$tmp/info")
dd if="$img" of="$tmp/esp" bs=512 skip="$first" count=$((last - first + 1)) status=none

echo "== fsck.fat -n"
fsck.fat -n -v "$tmp/esp" | tee "$tmp/fsck"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "fsck.fat reports errors"
grep -q '32 bit entries' "$tmp/fsck" || fail "not FAT32"
clusters=$(sed -n 's/^ *\([0-9]*\) data clusters.*/\1/p' "$tmp/fsck")
[ "${clusters:-0}" -ge 65525 ] || fail "$clusters clusters: too few for a real FAT32"
[ "$(dd if="$tmp/esp" bs=1 skip=82 count=5 status=none)" = FAT32 ] || fail "no FAT32 label in the boot sector"

echo "== files"
mdir -i "$tmp/esp" -/ :: | tee "$tmp/dir"
for f in EFI/BOOT/BOOTX64.EFI spanlab/kernel.elf spanlab/cmdline.txt; do
    mcopy -n -i "$tmp/esp" "::/$f" "$tmp/$(basename "$f")" || fail "no $f on the ESP"
done
if [ -z "${SPANLAB_IMAGE:-}" ]; then
    cmp "$tmp/BOOTX64.EFI" "$root/build/BOOTX64.EFI" || fail "EFI/BOOT/BOOTX64.EFI is stale"
    cmp "$tmp/kernel.elf" "$root/build/kernel.elf" || fail "spanlab/kernel.elf is stale"
fi
[ "$(head -c 2 "$tmp/BOOTX64.EFI")" = MZ ] || fail "BOOTX64.EFI is not a PE file"
grep -q 'timeout=' "$tmp/cmdline.txt" || fail "cmdline.txt has no timeout="
echo "cmdline.txt: $(cat "$tmp/cmdline.txt")"
# A command line the loader could not take is refused when the image is made,
# naming the limit (the loader would otherwise stop at its error screen).
long=$(printf 'verbose=1 %.0s' $(seq 120))
if "$root/tools/mkimage.sh" --from "$img" --out "$tmp/long.img" --cmdline "$long" >"$tmp/long.txt" 2>&1; then
    fail "mkimage accepted a ${#long}-byte command line"
fi
grep -q 'at most 1023' "$tmp/long.txt" || fail "mkimage did not say the limit: $(cat "$tmp/long.txt")"
echo "PASS: GPT disk, one ESP, FAT32 ($clusters clusters), loader, kernel and cmdline in place"
