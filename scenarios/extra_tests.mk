# More scenario tests (scripts run with the QEMU tests): the allocation counts
# against Go 1.19 running the same programs (host only), a guest too small for
# one scenario (it is skipped with a message, the others run), and one too small
# for the only scenario asked (nothing ran: the run fails).
QEMU_TESTS += tests/qemu/scenarios_vs_go.sh tests/qemu/scenarios_small_ram.sh \
              tests/qemu/scenarios_all_skipped.sh
