# The scenarios' allocation counts against Go 1.19 running the same programs
# (host only; listed with the QEMU scripts because it needs the built program).
QEMU_TESTS += tests/qemu/scenarios_vs_go.sh
