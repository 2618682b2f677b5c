# Tests of the tools themselves (scripts run with the QEMU tests): tools/run-tests.sh
# counts cmocka failures once and fails a program that ran no test (no QEMU needed);
# with no compiler installed, make reads its files without calling one and puts the
# dependency step (tools/deps.sh) first; `make run` at a keyboard reboots into the
# menu on r and ends with status 0 on p and on Ctrl-C (tools/qemu.sh --interactive).
QEMU_TESTS += tests/qemu/run_tests_counts.sh
QEMU_TESTS += tests/qemu/make_deps_first.sh tests/qemu/run_keys_reboot.sh \
              tests/qemu/run_keys_ctrlc.sh
