# The runtime's life cycle (fresh runtime per scenario variant, fresh-runtime hooks),
# its run-time panic path, and the allocation profiler.
PORTABLE_SRCS += rt/runtime.c rt/panic.c rt/prof.c
