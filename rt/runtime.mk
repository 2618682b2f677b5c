# The runtime's life cycle (fresh runtime per scenario variant).
PORTABLE_SRCS += rt/runtime.c
