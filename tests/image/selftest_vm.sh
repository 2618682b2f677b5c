#!/usr/bin/env bash
# selftest=vm quit=1: the page layer's sequence must pass, with a
# residency map and an exact PAGES line after every step, counters agreeing with
# a recount of the page tables and with the frame allocator.
set -u
. "$(dirname "$0")/../../tools/qemu-lib.sh"
cd "$QL_ROOT"
ql_run --cmdline 'selftest=vm quit=1' --timeout 300
[ "$QL_RC" -eq 0 ] || ql_fail "qemu.sh exit $QL_RC, want 0"
grep -q '^selftest vm: PASS' "$QL_LOG" || ql_fail "selftest vm did not pass"
# The exact numbers of the sequence: 65536 pages committed, 21846 touched,
# 10923 left after dontneed, the same 10923 lazily freed.
for line in 'PAGES range=selftest-vm reserved=262144 committed=0 resident=0 lazyfree=0' \
            'PAGES range=selftest-vm reserved=262144 committed=65536 resident=0 lazyfree=0' \
            'PAGES range=selftest-vm reserved=262144 committed=65536 resident=21846 lazyfree=0' \
            'PAGES range=selftest-vm reserved=262144 committed=32768 resident=10923 lazyfree=0' \
            'PAGES range=selftest-vm reserved=262144 committed=0 resident=10923 lazyfree=10923'; do
    grep -qF "$line" "$QL_LOG" || ql_fail "missing '$line'"
done
n=$(grep -c 'check: counters exact, page tables agree, .* agree$' "$QL_LOG")
[ "$n" -ge 7 ] || ql_fail "only $n steps agreed with the page tables (want 7)"
grep -q 'DISAGREE\|WRONG\|LEAK' "$QL_LOG" && ql_fail "a check disagreed"
grep -q 'reclaimed [1-9][0-9]* lazy frames' "$QL_LOG" || ql_fail "no lazily freed frame was reclaimed"
echo "selftest_vm: PASS"
