#!/usr/bin/env bash
# Runs unit test programs (cmocka) and test scripts (tests/KIND/NAME.sh), prints each
# result as KIND/NAME and a closing "N passed, N failed" line; exits non-zero when
# anything failed. A unit program counts its failed tests once each; one that ran no
# test, or exited non-zero outside a test, counts as one failure. Every program runs
# with the same sanitizer settings (ASAN_OPTIONS, UBSAN_OPTIONS below).
# Usage: tools/run-tests.sh [unit-test-binary ...] -- [test-script ...]
# Scripts run two at a time (a QEMU boot is one TCG vCPU); their logs go to
# build/test-logs/KIND-NAME.log and the tail of a failing one is printed.
set -u
unit=()
scripts=()
seen_sep=0
for a in "$@"; do
    if [ "$a" = -- ]; then seen_sep=1; continue; fi
    if [ $seen_sep -eq 0 ]; then unit+=("$a"); else scripts+=("$a"); fi
done
logs=build/test-logs
mkdir -p "$logs"
passed=0
failed=0
failures=()

for t in "${unit[@]}"; do
    name=$(basename "$t")
    log="$logs/unit-$name.log"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        timeout 600 "$t" >"$log" 2>&1
    rc=$?
    ok=$(grep -c '^\[       OK \]' "$log")
    # cmocka names a failed test twice (when it fails and in the closing list):
    # count distinct names. "[  FAILED  ] N test(s), listed below:" is no name.
    bad=$(grep '^\[  FAILED  \] ' "$log" | grep -v '^\[  FAILED  \] [0-9]* test(s)' |
        sort -u | wc -l)
    ran=$(awk '/^\[==========\] [0-9]+ test\(s\) run\./ {n += $2} END {print n + 0}' "$log")
    why=""
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; why=", crashed outside a test"; fi
    if [ "$ran" -eq 0 ] && [ "$bad" -eq 0 ]; then bad=1; why=", ran no test"; fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -ne 0 ]; then
        echo "FAIL unit/$name ($ok ok, $bad failed, exit $rc$why)"
        tail -n 30 "$log" | sed 's/^/    /'
        failures+=("unit/$name")
    else
        echo "PASS unit/$name ($ok tests)"
    fi
done

# KIND/NAME of a script tests/KIND/NAME.sh.
script_name() { echo "$(basename "$(dirname "$1")")/$(basename "$1" .sh)"; }

run_script() {
    local t=$1 name log rc start
    name=$(script_name "$t")
    log="$logs/${name/\//-}.log"
    start=$(date +%s)
    timeout 900 bash "$t" >"$log" 2>&1
    rc=$?
    echo "$rc $(( $(date +%s) - start ))" >"$log.rc"
}
if [ ${#scripts[@]} -gt 0 ]; then
    running=0
    for t in "${scripts[@]}"; do
        run_script "$t" &
        running=$((running + 1))
        if [ $running -ge 2 ]; then wait -n; running=$((running - 1)); fi
    done
    wait
    for t in "${scripts[@]}"; do
        name=$(script_name "$t")
        log="$logs/${name/\//-}.log"
        read -r rc secs <"$log.rc"
        if [ "$rc" -eq 0 ]; then
            passed=$((passed + 1))
            echo "PASS $name (${secs}s)"
        else
            failed=$((failed + 1))
            failures+=("$name")
            echo "FAIL $name (exit $rc, ${secs}s)"
            tail -n 40 "$log" | sed 's/^/    /'
        fi
    done
fi

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
