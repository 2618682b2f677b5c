#!/usr/bin/env bash
# Host-only (no QEMU): the scenarios' allocation counts agree with Go 1.19's own for
# the same programs. tests/gocompare/scenario_allocs.go runs the bugs' Go code under Debian's
# golang-1.19 and prints "bug=NN variant=V key=N" (testing.AllocsPerRun); every such
# value must equal the key of that variant in build/spanlab-host's RESULT line.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
go=/usr/lib/go-1.19/bin/go
tmp=$(mktemp -d /tmp/spanlab-vsgo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -x "$go" ] || { echo "FAIL: $go missing (golang-1.19-go)"; exit 1; }
cp "$root/build/spanlab-host" "$tmp/host" || { echo "FAIL: no build/spanlab-host"; exit 1; }
GOCACHE=$tmp/gocache GOPATH=$tmp/gopath GOFLAGS= GO111MODULE=off \
    "$go" run "$root/tests/gocompare/scenario_allocs.go" >"$tmp/go.txt" 2>"$tmp/go.err" ||
    { echo "FAIL: the Go program did not run"; cat "$tmp/go.err"; exit 1; }
bugs=$(sed -n 's/^bug=0*\([0-9]*\) .*/\1/p' "$tmp/go.txt" | sort -un | paste -sd, -)
"$tmp/host" "run=$bugs" >"$tmp/spanlab.txt" 2>&1 || { echo "FAIL: spanlab-host run=$bugs failed"; tail -20 "$tmp/spanlab.txt"; exit 1; }
python3 - "$tmp/go.txt" "$tmp/spanlab.txt" <<'PY'
import re, sys
results = {}
for line in open(sys.argv[2]):
    if line.startswith("RESULT "):
        kv = dict(w.split("=", 1) for w in line.split()[1:])
        results[(int(kv["bug"]), kv["variant"])] = kv
bad = 0
print(f"{'bug':>3} {'variant':<8} {'key':<28} {'Go 1.19':>8} {'spanlab':>8}")
for line in open(sys.argv[1]):
    m = re.match(r"bug=(\d+) variant=(\S+) (\S+)=(-?\d+)$", line.strip())
    if not m:
        continue
    bug, variant, key, want = int(m[1]), m[2], m[3], int(m[4])
    got = results.get((bug, variant), {}).get(key)
    ok = got is not None and int(got) == want
    bad += not ok
    print(f"{bug:>3} {variant:<8} {key:<28} {want:>8} {got if got is not None else '-':>8}{'' if ok else '   <-- differs'}")
print(f"{'all agree' if bad == 0 else f'{bad} differ'}")
sys.exit(1 if bad else 0)
PY
rc=$?
[ $rc -eq 0 ] && echo "PASS: spanlab's allocation counts equal Go 1.19's" || echo "FAIL: counts differ from Go 1.19"
exit $rc
