# sys: the platform interface (sys/sys.h). Portable: the command line (options.c) and
# the self-test runner; the machine files (*_x86_64.*: the goroutine context switch,
# the stack pointer) built into the kernel and the hosted library; the Linux
# implementation (linux_*.c: page layer on mmap/mprotect/madvise/mincore, clock,
# console, tick, fault diagnostic, stack top, symbols, cycle counter). And the Linux
# program, build/spanlab-host: sys/linux_main.c with the whole program's libraries.
CORE_SRCS      += sys/options.c sys/selftest.c sys/ctxsw_x86_64.S sys/ctxsw_frame_x86_64.c
CORE_HOST_SRCS += sys/linux_pages.c sys/linux_rt.c sys/linux_fault.c sys/linux_stack.c \
                  sys/linux_symbols.c sys/linux_x86_64.c

# The self-tests and the scenarios register themselves in linker sections, so their
# libraries are linked whole.
SPANLAB_HOST_LIBS = $(call host_objs,rel,$(SELFTEST_SRCS)) $(SCENARIOS_LIB) $(GOLIB_LIB) $(CORE_LIB)
.SECONDEXPANSION:
$(BUILD)/spanlab-host: sys/linux_main.c $$(SPANLAB_HOST_LIBS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< -Wl,--whole-archive $(SPANLAB_HOST_LIBS) -Wl,--no-whole-archive \
	    $(HLDLIBS) -o $@

all: $(BUILD)/spanlab-host
