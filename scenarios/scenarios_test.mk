# The scenarios' integration tests (tests/qemu/scenarios_*.sh): every scenario on the
# host (spanlab-host, no QEMU) and run=all in the booted image, each log validated by
# tools/check-results.py; run=all on the host under each GC debug mode; and the host
# runs that must fail (empty run=, nothing ran, an unwritable report). All run from
# `make test` / `make test-qemu`.
QEMU_TESTS += tests/qemu/scenarios_host.sh tests/qemu/scenarios_all.sh \
              tests/qemu/scenarios_debug_modes.sh tests/qemu/scenarios_host_failures.sh
# The checks themselves (scenarios/results.c, modes.c): missing keys, mode skips.
HOST_TESTS += scenario_checks_test
# heap_page_counts (mm/arena.c) prints the page counts of every RESULT line: an exact
# test of it against Linux's own view (/proc/self/maps and mincore).
HOST_TESTS += heap_page_counts_test
