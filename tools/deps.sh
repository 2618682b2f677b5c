#!/usr/bin/env bash
# Installs the Debian packages a make goal needs before anything is compiled: the
# Makefile runs `tools/deps.sh TIER...` first for every goal but clean (`make deps`
# asks for every tier). Prints nothing when every package is present. Tiers:
#
#   build  make, make usb: the kernel, the loader, the disk image, build/spanlab-host
#   run    make run: build + QEMU and its UEFI firmware
#   test   make test: run + cmocka, clang and llvm (fuzzers), Go 1.19 (comparisons),
#          Chromium and selenium (the report's browser test)
#   bench  make bench: run + the peers (Boehm GC, mimalloc, jemalloc, tcmalloc, Go 1.19),
#          GNU time and hyperfine
#   debug  make debug: run + gdb
#
# As root it runs apt-get itself, otherwise through sudo; with neither it stops and
# names the command to run as root. On a system without apt it only says what spanlab
# needs and lets make go on.
set -euo pipefail

# Prints the packages tier $1 needs beyond the tiers it includes (tier_includes).
tier_packages() {
    case $1 in
    build)
        echo gcc libc6-dev binutils # the compiler, glibc's headers (spanlab-host), ld objcopy ar nm
        echo gnu-efi                # the loader's headers, crt0 and linker script (boot/boot.mk)
        echo mtools gdisk           # the FAT32 ESP and the GPT disk (tools/mkimage.sh)
        echo python3                # tools/psf2c; the tests' log checkers and QEMU monitor
        echo console-setup-linux ;; # the Terminus console fonts (kernel/fb.mk)
    run) echo qemu-system-x86 ovmf ;;
    test)
        echo libcmocka-dev          # the host unit tests
        echo clang llvm             # the libFuzzer targets (tests/fuzz.mk), llvm-symbolizer
        echo libclang-rt-dev        # clang's fuzzer and sanitizer runtimes (not pulled in by clang)
        echo dosfstools             # fsck.fat checks the image's ESP (tests/image/image_gpt.sh)
        echo golang-1.19-go golang-1.19-src # Go 1.19 runs the same cases; size-class source
        echo chromium chromium-driver python3-selenium # the HTML report in a real browser
        echo time ;;                # /usr/bin/time: bench/run_gc.sh, which a tools test runs
    bench)
        echo golang-1.19-go golang-1.19-src libgc-dev libmimalloc-dev libjemalloc-dev
        echo libgoogle-perftools-dev time hyperfine ;; # tcmalloc; peak RSS; whole-command timing
    debug) echo gdb ;;
    *) return 1 ;;
    esac
}

# Prints the tiers tier $1 includes.
tier_includes() {
    case $1 in
    run) echo build ;;
    test | bench | debug) echo run ;;
    esac
}

# Prints every package of tier $1 and of the tiers it includes.
tier_closure() {
    local t
    tier_packages "$1"
    for t in $(tier_includes "$1"); do tier_closure "$t"; done
}

# Prints the packages among $@ that dpkg does not list as installed.
missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null |
        awk '$1 == "ii" { print $2 }' || true)
    local p
    for p in "$@"; do
        grep -qx -- "$p" <<<"$installed" || echo "$p"
    done
}

[ $# -gt 0 ] || { echo "usage: tools/deps.sh TIER... (build, run, test, bench, debug)" >&2; exit 2; }
pkgs=()
for tier in "$@"; do
    tier_packages "$tier" >/dev/null ||
        { echo "deps: unknown tier '$tier' (build, run, test, bench, debug)" >&2; exit 2; }
    pkgs+=($(tier_closure "$tier"))
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
goals="make $*"

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    echo "deps: no apt-get here (not Debian or Ubuntu), so nothing is checked;" \
         "'$goals' needs the equivalents of: ${pkgs[*]}" >&2
    exit 0
fi
mapfile -t missing < <(missing_packages "${pkgs[@]}")
[ ${#missing[@]} -gt 0 ] || exit 0

apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
via=apt-get
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "deps: not root and no sudo to install what '$goals' needs; as root run:" \
             "apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    apt=(sudo "${apt[@]}")
    via="sudo apt-get"
fi
echo "deps: installing what '$goals' needs with $via, which takes a few minutes:" \
     "${missing[*]}"
"${apt[@]}" update || { echo "deps: apt-get update failed (its message is above)" >&2; exit 1; }
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" ||
    { echo "deps: apt-get install failed (its message is above)" >&2; exit 1; }
mapfile -t still < <(missing_packages "${missing[@]}")
[ ${#still[@]} -eq 0 ] || { echo "deps: still not installed: ${still[*]}" >&2; exit 1; }
echo "deps: done"
