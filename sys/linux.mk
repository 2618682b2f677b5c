# The hosted sys (Linux): page layer on mmap/mprotect/madvise/mincore, clock,
# console, tick, fault diagnostic, stack top, symbols; the machine files (the
# goroutine context switch, built into the kernel too; the cycle counter); and the
# Linux program, build/spanlab-host: sys/linux_main.c with the whole library.
HOST_SRCS     += sys/sys_linux.c sys/linux_rt.c sys/linux_fault.c sys/linux_stack.c \
                 sys/linux_symbols.c sys/linux_x86_64.c
PORTABLE_SRCS += sys/ctxsw_x86_64.S sys/ctxsw_frame_x86_64.c
HOST_TESTS    += sys_linux_test

$(BUILD)/spanlab-host: sys/linux_main.c $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) -Wl,--whole-archive $(BUILD)/libspanlab.a -Wl,--no-whole-archive $< $(HLDLIBS) -o $@

all: $(BUILD)/spanlab-host
