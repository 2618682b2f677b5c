# Tests of the benchmark scripts themselves (no benchmark is run): bench/run_gc.sh
# on stand-in programs. Host-only scripts, listed in QEMU_TESTS as the runner's
# script list.
QEMU_TESTS += tests/bench/run_gc_checks.sh
