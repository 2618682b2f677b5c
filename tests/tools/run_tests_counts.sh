#!/usr/bin/env bash
# tools/run-tests.sh judges unit test programs right (no QEMU): a cmocka program
# with 2 failing tests of 3
# counts 2 failures (cmocka names each twice), one that ran no test fails, one that
# crashes outside a test fails, and a passing one passes. Built here from tiny
# cmocka programs, run in a scratch directory so their logs stay out of build/.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/spanlab-runtests.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "run_tests_counts: FAIL: $*"; exit 1; }

# Writes $dir/NAME.c with cmocka tests named by $2... (a name ending in _fails fails)
# and builds it; with no names, a group of zero tests.
program() {
    local name=$1 t list=""
    shift
    {
        printf '#include <setjmp.h>\n#include <stdarg.h>\n#include <stddef.h>\n'
        printf '#include <stdint.h>\n#include <cmocka.h>\n'
        for t in "$@"; do
            case $t in
            *_fails) printf 'static void %s(void **s) { (void)s; assert_int_equal(1, 2); }\n' "$t" ;;
            *) printf 'static void %s(void **s) { (void)s; }\n' "$t" ;;
            esac
            list="$list cmocka_unit_test($t),"
        done
        printf 'int main(void) {\n'
        if [ $# -eq 0 ]; then
            printf '    return _cmocka_run_group_tests("none", NULL, 0, NULL, NULL);\n'
        else
            printf '    const struct CMUnitTest tests[] = {%s};\n' "$list"
            printf '    return cmocka_run_group_tests(tests, NULL, NULL);\n'
        fi
        printf '}\n'
    } >"$dir/$name.c"
    gcc "$dir/$name.c" -lcmocka -o "$dir/$name" || fail "cannot build $name"
}

program two_of_three a_fails b c_fails
program none
program all_pass a b
printf 'int main(void) { return 3; }\n' >"$dir/crash.c"
gcc "$dir/crash.c" -o "$dir/crash" || fail "cannot build crash"

cd "$dir" || fail "no scratch directory"
out=$(bash "$root/tools/run-tests.sh" ./two_of_three ./none ./all_pass ./crash --)
rc=$?
echo "$out" | grep -v '^    '
[ "$rc" -ne 0 ] || fail "run-tests.sh exited 0 with failing programs"
echo "$out" | grep -q '^FAIL unit/two_of_three (1 ok, 2 failed, exit 2)$' ||
    fail "two failing tests of three not counted as 2 failed"
echo "$out" | grep -q '^FAIL unit/none (0 ok, 1 failed, exit 0, ran no test)$' ||
    fail "a program that ran no test was not a failure"
echo "$out" | grep -q '^PASS unit/all_pass (2 tests)$' || fail "a passing program did not pass"
echo "$out" | grep -q '^FAIL unit/crash (0 ok, 1 failed, exit 3' ||
    fail "a program exiting 3 outside a test was not a failure"
echo "$out" | grep -q '^3 passed, 4 failed$' || fail "closing count is not '3 passed, 4 failed'"
out=$(bash "$root/tools/run-tests.sh" ./all_pass --) || fail "a passing program alone did not exit 0"
echo "run_tests_counts: PASS"
