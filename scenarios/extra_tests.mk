# More scenario tests (scripts run with the QEMU tests): the allocation counts
# against Go 1.19 running the same programs (host only), and a guest too small for
# one scenario (it is skipped with a message, the others run).
QEMU_TESTS += tests/qemu/scenarios_vs_go.sh tests/qemu/scenarios_small_ram.sh
