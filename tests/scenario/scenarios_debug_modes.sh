#!/usr/bin/env bash
# The GC debug modes do not change the scenarios' verdicts (no QEMU): build/spanlab-host
# run=all under gcverify=1, gcpoison=1 and gcstress=50, with each collector
# (gcmode=inc, the default, and gcmode=stw), must each exit 0, and each
# log must pass tools/check-results.py with every registered scenario, which also
# requires that a check is skipped (a SKIP line with its reason) exactly when its
# scenario declares that it cannot hold under a mode the run has on, and that the
# run's MODES line shows the modes it was given (an ignored option cannot pass).
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-modes.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "scenarios_debug_modes: FAIL: $*"; exit 1; }
[ -x build/spanlab-host ] || fail "build/spanlab-host is missing: run 'make'"
host=$dir/spanlab-host # a private copy, in case build/ is relinked meanwhile
cp build/spanlab-host "$host" || fail "cannot copy build/spanlab-host"
failed=0
for mode in gcverify=1 gcpoison=1 gcstress=50 "gcmode=stw gcverify=1" "gcmode=stw gcstress=50"; do
    log=$dir/${mode// /_}.log
    start=$(date +%s)
    # shellcheck disable=SC2086 # a mode may be two words
    timeout 900 "$host" run=all $mode >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    if ! out=$(tools/check-results.py "$log" --expect-bugs all --list-from "$host" --modes "$mode") || [ "$rc" -ne 0 ]; then
        echo "run=all $mode: exit $rc (want 0), ${secs}s; failed checks and problems:"
        grep -E '^CHECK .* FAIL' "$log" | sed 's/^/    /'
        echo "$out" | sed 's/^/    /'
        failed=$((failed + 1))
        continue
    fi
    echo "run=all $mode: ok, ${secs}s: $out"
done
[ "$failed" -eq 0 ] || fail "$failed mode(s) changed a verdict"
echo "scenarios_debug_modes: PASS (gcverify=1, gcpoison=1, gcstress=50; gcmode=stw with gcverify=1, gcstress=50)"
