#!/usr/bin/env bash
# Both collectors in the image (QEMU, TCG): run=all with gcmode=stw, and run=all
# with the default incremental collector under gcverify=1 (its closure check and
# barrier checker at every mark termination); then a part of the scenarios under
# gcstress=50 with each collector, sized for TCG (the host runs every scenario
# under every mode: scenarios_debug_modes). Each run must end with kernel status
# 33 and its serial log must pass tools/check-results.py, whose --modes checks that
# the MODES line names the collector and modes the command line chose (so an
# ignored gcmode= cannot pass as stw).
set -u
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-gcmodes.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "scenarios_gcmodes_qemu: FAIL: $*"; exit 1; }
list=()
[ -x build/spanlab-host ] && list=(--list-from build/spanlab-host)
STRESS_RUN=7,14,16
failed=0
run() { # name, command line, the bugs it runs (all or a list)
    local log=$dir/$1.log start secs rc
    start=$(date +%s)
    tools/qemu.sh --cmdline "$2 quit=1" --timeout 900 | tr -d '\r' >"$log"
    rc=${PIPESTATUS[0]}
    secs=$(($(date +%s) - start))
    local modes
    modes=$(grep -oE '\bgc[a-z]+=[a-z0-9]+' <<<"$2" | tr '\n' ' ')
    local bugs=(--expect-bugs all "${list[@]}" --modes "${modes:-gcmode=inc}")
    [ "$3" != all ] && bugs=(--expect-bugs "$3" --modes "${modes:-gcmode=inc}")
    if [ "$rc" -ne 0 ] || ! out=$(tools/check-results.py "$log" "${bugs[@]}"); then
        echo "$2: qemu.sh exit $rc (want 0), ${secs}s; failed checks and problems:"
        grep -E '^CHECK .* FAIL|panic|gcverify' "$log" | head -20 | sed 's/^/    /'
        echo "${out:-}" | sed 's/^/    /'
        failed=$((failed + 1))
        return
    fi
    echo "$2: ok, ${secs}s: $out"
}
run stw 'run=all gcmode=stw' all
run inc_verify 'run=all gcverify=1' all
run inc_stress "run=$STRESS_RUN gcstress=50" "$STRESS_RUN"
run stw_stress "run=$STRESS_RUN gcmode=stw gcstress=50" "$STRESS_RUN"
[ "$failed" -eq 0 ] || fail "$failed run(s) failed"
echo "scenarios_gcmodes_qemu: PASS (stw, inc+gcverify, gcstress=50 with both on $STRESS_RUN)"
