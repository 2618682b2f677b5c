# The memory trace (trace=1): TRACE lines sampled at GC ends, named phases and ticks.
PORTABLE_SRCS += rt/memtrace.c
HOST_TESTS    += memtrace_test
