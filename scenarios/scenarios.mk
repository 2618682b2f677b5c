# The scenarios (scenarios/bugNN_*.c, registered with SC_REGISTER), their runner,
# checks and report, and the program (scenarios/main.c: what a run does in the
# kernel and in build/spanlab-host).
SCENARIO_BUGS := $(sort $(wildcard scenarios/bug*.c))
SCENARIO_SRCS += $(SCENARIO_BUGS) scenarios/main.c scenarios/runner.c scenarios/results.c \
                 scenarios/report.c scenarios/maps.c scenarios/modes.c scenarios/trace.c \
                 scenarios/sc_util.c scenarios/sizes.c
