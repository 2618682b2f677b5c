# The garbage collector, the pacer, type descriptors and the allocation entry points
# (rt/gc*.c, rt/pacer.c, rt/types.c, rt/alloc.c).
PORTABLE_SRCS += rt/types.c rt/pacer.c rt/gctrace.c
HOST_TESTS    += pacer_test gc_trace_test
PORTABLE_SRCS += rt/alloc.c rt/gc.c rt/gc_mark.c rt/gc_roots.c rt/gc_verify.c rt/gc_selftest.c
HOST_TESTS    += gc_mark_test gc_random_test gc_debug_test

# make fuzz-gc lives in tests/gc_fuzz.mk (it needs every fragment's sources).
QEMU_TESTS    += tests/qemu/gc_selftest.sh
