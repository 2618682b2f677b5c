# The scenarios' integration tests (tests/qemu/scenarios_*.sh): every scenario on the
# host (spanlab-host, no QEMU) and run=all in the booted image, each log validated by
# tools/check-results.py; run=all on the host under each GC debug mode; and the host
# runs that must fail (empty run=, nothing ran, an unwritable report). All run from
# `make test` / `make test-qemu`.
QEMU_TESTS += tests/qemu/scenarios_host.sh tests/qemu/scenarios_all.sh \
              tests/qemu/scenarios_debug_modes.sh tests/qemu/scenarios_host_failures.sh
# The checks themselves (scenarios/results.c, modes.c): missing keys, mode skips.
HOST_TESTS += scenario_checks_test
