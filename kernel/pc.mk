# What differs between PCs: the CPU's features, the local APIC (xAPIC/x2APIC),
# the reference clocks (ACPI PM timer, HPET, CPUID, PIT), ACPI tables and S5
# power off, the end-of-run countdown, the hwinfo report. The decisions and the
# parsers (no hardware access) are host-tested against faked tables and CPUs.
KERNEL_SRCS += kernel/cpu.c kernel/cpuinfo.c kernel/lapic.c kernel/lapic_mode.c kernel/hpet.c \
               kernel/clock_ref.c kernel/clock_pick.c kernel/acpi_tables.c kernel/aml_s5.c \
               kernel/power.c kernel/endrun.c kernel/hwinfo.c
HOST_TESTS += acpi_test lapic_mode_test cpuinfo_test gop_pick_test
QEMU_TESTS += $(wildcard tests/qemu/pc_*.sh)

# Each host test compiles the pure kernel (or loader) files it checks.
ACPI_TEST_SRCS := kernel/acpi_tables.c kernel/aml_s5.c kernel/clock_pick.c
$(BUILD)/tests/acpi_test: tests/host/acpi_test.c tests/host/test.h $(ACPI_TEST_SRCS) \
                          kernel/acpi_tables.h kernel/aml_s5.h kernel/clock_pick.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< $(ACPI_TEST_SRCS) -lcmocka $(HLDLIBS) -o $@
$(BUILD)/tests/lapic_mode_test: tests/host/lapic_mode_test.c tests/host/test.h \
                                kernel/lapic_mode.c kernel/lapic_mode.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< kernel/lapic_mode.c -lcmocka $(HLDLIBS) -o $@
$(BUILD)/tests/cpuinfo_test: tests/host/cpuinfo_test.c tests/host/test.h kernel/cpuinfo.c \
                             kernel/cpuinfo.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< kernel/cpuinfo.c -lcmocka $(HLDLIBS) -o $@
$(BUILD)/tests/gop_pick_test: tests/host/gop_pick_test.c tests/host/test.h boot/gop_pick.c \
                              boot/gop_pick.h boot/bootinfo.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< boot/gop_pick.c -lcmocka $(HLDLIBS) -o $@

# The machine matrix (tools/matrix.sh): every emulated PC; the quick cells are in
# `make test` through tests/qemu/pc_matrix_quick.sh.
.PHONY: test-matrix
test-matrix: all
	$(Q)tools/matrix.sh
