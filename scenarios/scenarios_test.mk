# The scenarios' integration tests (tests/qemu/scenarios_*.sh): every scenario on the
# host (spanlab-host, no QEMU) and run=all in the booted image, each log validated by
# tools/check-results.py. Both run from `make test` / `make test-qemu`.
QEMU_TESTS += tests/qemu/scenarios_host.sh tests/qemu/scenarios_all.sh
# The checks themselves (scenarios/results.c, modes.c): missing keys, mode skips.
HOST_TESTS += scenario_checks_test
