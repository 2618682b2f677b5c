# What differs between PCs: the CPU's features, the local APIC (xAPIC/x2APIC),
# the reference clocks (ACPI PM timer, HPET, CPUID, PIT), ACPI tables and S5
# power off, the end-of-run countdown, the hwinfo report. The decisions and the
# parsers (no hardware access) are pure: their unit tests fake tables and CPUs.
KERNEL_SRCS += kernel/cpu.c kernel/cpuinfo.c kernel/lapic.c kernel/lapic_mode.c kernel/hpet.c \
               kernel/clock_ref.c kernel/clock_pick.c kernel/acpi_tables.c kernel/aml_s5.c \
               kernel/power.c kernel/endrun.c kernel/hwinfo.c
PURE_SRCS   += kernel/cpuinfo.c kernel/lapic_mode.c kernel/clock_pick.c kernel/acpi_tables.c \
               kernel/aml_s5.c

# The machine matrix (tools/matrix.sh): every emulated PC; the quick cells are in
# `make test` (tests/image/pc_matrix_quick.sh).
.PHONY: test-matrix
test-matrix: all
	$(Q)tools/matrix.sh
