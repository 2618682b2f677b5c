# The runtime's life cycle (fresh runtime per scenario variant, fresh-runtime hooks)
# and its run-time panic path.
PORTABLE_SRCS += rt/runtime.c rt/panic.c
