# Tests of the test tools themselves (scripts run with the QEMU tests, no QEMU
# needed): tools/run-tests.sh counts cmocka failures once and fails a program that
# ran no test.
QEMU_TESTS += tests/qemu/run_tests_counts.sh
