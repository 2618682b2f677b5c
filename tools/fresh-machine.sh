#!/usr/bin/env bash
# The README's two commands on a fresh machine, repeatably: builds a minimal Debian 12
# (bookworm) root with debootstrap (minbase plus git, make and ca-certificates, and
# nothing else), clones the committed HEAD of this checkout into it, and runs, as
# root in a chroot, `make run CMDLINE='run=1 quit=1'` and then `make test`, printing
# the time of each step. Needs root and the Debian package mirror (debootstrap and
# the project's own dependency step download packages), so it is not part of make test.
#
#   tools/fresh-machine.sh [--dir DIR] [--keep] [--mirror URL]
#     --dir DIR     build the root in DIR (default: a new directory under /var/tmp)
#     --keep        keep DIR afterwards (by default it is removed when all passed)
#     --mirror URL  the Debian mirror (default http://deb.debian.org/debian)
#
# Logs: DIR/debootstrap.log, DIR/make-run.log, DIR/make-test.log. Exit status 0 when
# both commands succeeded.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
dir= keep=0 mirror=http://deb.debian.org/debian
die() { echo "fresh-machine: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a value"; dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --mirror) [ $# -ge 2 ] || die "--mirror needs a value"; mirror=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts): sudo $0"
head=$(git -C "$src" rev-parse HEAD) || die "$src is not a git checkout"
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
    echo "fresh-machine: note: uncommitted changes are not tested (only HEAD $head)"
[ -n "$dir" ] || dir=$(mktemp -d /var/tmp/spanlab-fresh.XXXXXX) || die "mktemp failed"
mkdir -p "$dir" || die "cannot create $dir"
root=$dir/root

summary=()
# Runs "$@" as step $1 (its name), prints and records its time and status.
step() {
    local name=$1 t0=$SECONDS rc
    shift
    echo "fresh-machine: ---- $name ($(date +%T))"
    "$@"
    rc=$?
    summary+=("$(printf '%-40s %5d s   exit %d' "$name" $((SECONDS - t0)) $rc)")
    echo "fresh-machine: ---- $name: $((SECONDS - t0)) s, exit $rc"
    return $rc
}

# Prints the mount points at or below the root, deepest first.
mounts_below() {
    awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# Unmounts everything in the root; removes DIR unless --keep, a step failed, or a
# mount is still there (rm must never reach the host's /dev through a bind mount).
cleanup() {
    local m
    for m in $(mounts_below); do umount -R "$m" 2>/dev/null || umount -R -l "$m"; done
    if [ -n "$(mounts_below)" ]; then
        echo "fresh-machine: mounts remain below $root; not removing $dir" >&2
    elif [ $keep -eq 0 ] && [ "${failed:-1}" -eq 0 ]; then
        rm -rf --one-file-system "$dir"
    else
        echo "fresh-machine: the root and logs are in $dir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ensure_debootstrap() {
    command -v debootstrap >/dev/null && return
    echo "fresh-machine: installing debootstrap on this host"
    apt-get install -y --no-install-recommends debootstrap ||
        { apt-get update && apt-get install -y --no-install-recommends debootstrap; }
}

make_root() {
    debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$root" \
        "$mirror" >"$dir/debootstrap.log" 2>&1 ||
        { tail -n 20 "$dir/debootstrap.log"; return 1; }
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    echo "fresh-machine: $(chroot "$root" dpkg-query -W -f='.\n' | wc -l) packages installed" \
         "($(du -sh --one-file-system "$root" | cut -f1))"
}

# The project as a new user gets it: a clone, at this checkout's committed HEAD.
clone_project() {
    git clone -q --no-hardlinks "$src" "$root/root/spanlab" &&
        git -C "$root/root/spanlab" checkout -q --detach "$head" &&
        echo "fresh-machine: cloned $(git -C "$root/root/spanlab" log --oneline -1)"
}

# debootstrap leaves no /etc/hosts, which every installed Debian has (the installer
# writes it): without it "localhost" does not resolve and the browser test's
# WebDriver client cannot reach chromedriver.
write_hosts() {
    [ -e "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
}

mount_system() {
    mount -t proc proc "$root/proc" &&
        mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" &&
        mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
}

# Runs the command line $1 in the clone, as root in the chroot, with a login's
# environment and no terminal input; the output goes to the screen and to log $2.
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd /root/spanlab && $1" </dev/null 2>&1 | tee "$dir/$2"
}

failed=1
step "install debootstrap (host)" ensure_debootstrap || exit 1
step "debootstrap bookworm minbase" make_root || exit 1
step "git clone" clone_project || exit 1
write_hosts || die "cannot write $root/etc/hosts"
mount_system || die "cannot mount /proc, /sys, /dev in $root"
step "make run CMDLINE='run=1 quit=1'" in_root "make run CMDLINE='run=1 quit=1'" make-run.log
run_rc=$?
step "make test" in_root "make test" make-test.log
test_rc=$?
[ $run_rc -eq 0 ] && [ $test_rc -eq 0 ] && failed=0

echo
echo "fresh-machine: Debian 12 minbase + git make ca-certificates, spanlab $head"
printf '  %s\n' "${summary[@]}"
echo "  make test: $(tail -n 1 "$dir/make-test.log")"
exit $failed
