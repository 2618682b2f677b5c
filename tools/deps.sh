#!/usr/bin/env bash
# Installs the Debian packages spanlab needs when any is missing (apt-get, as root
# or through sudo). `--quiet` prints nothing when all are present.
set -euo pipefail
pkgs=(gcc make binutils qemu-system-x86 ovmf gnu-efi mtools dosfstools gdisk fdisk
      libcmocka-dev clang lld llvm console-setup-linux golang-1.19-go golang-1.19-src
      libgc-dev libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev hyperfine time
      python3 chromium chromium-driver python3-selenium)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    [ "${1:-}" = --quiet ] || echo "deps: all present"
    exit 0
fi
echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
