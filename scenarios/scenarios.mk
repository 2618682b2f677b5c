# The scenarios, their runner and report, and the program (scenarios/main.c: what a
# run does in the kernel and in build/spanlab-host).
PORTABLE_SRCS += $(wildcard scenarios/*.c)
