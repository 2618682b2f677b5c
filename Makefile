# spanlab: every entry point.
#
#   make            build the kernel, the loader, the disk image and the hosted program
#   make run        boot the image in QEMU (boot menu on this terminal; r reboots into
#                   it, p powers off, Ctrl-C quits, each ending make with status 0)
#   make run CMDLINE='run=all quit=1'   boot straight into the kernel with that line;
#                   with quit=1 make's status is the kernel's verdict
#   make test       every test (tests/tests.mk): unit tests (ASan+UBSan), the layering
#                   check, then the scripts (QEMU images, scenarios, Go comparisons, tools)
#   make test T=NAME  one test by name (T=a,b several), with the suite's settings
#   make test-core  the runtime core's unit tests, built and linked without golib/
#   make test-matrix  the image on every emulated PC of tools/matrix.sh (kernel/pc.mk)
#   make usb        build/spanlab-usb.img, a GPT disk with the ESP, for dd to a USB stick
#   make debug      QEMU paused with a GDB stub, and a gdb script with the kernel's symbols
#   make bench      host benchmarks beside glibc, mimalloc, jemalloc, Boehm GC and Go
#   make mutants    the mutation suite: every tools/mutants/*.mut must be killed (M=NAME: one)
#   make grade      the lab kit: grade a lab (LAB=N) or every lab (docs/labs/README.md)
#   make deps       install every Debian package any goal needs
#
# A fresh machine needs only git and make. Every goal but clean and deps first runs
# tools/deps.sh for its tier (it installs the missing Debian packages), then this
# Makefile again as a sub-make with SPANLAB_DEPS=checked, which does the work, in
# parallel unless -j was given. So nothing is compiled before the compiler exists,
# and nothing asks a tool anything while make reads these files: values that come
# from a tool (gcc's include directory, libgcc) are computed by the recipes that use
# them. `make SPANLAB_DEPS=checked GOAL` skips the dependency step.
#
# Each folder lists its own files in its own fragment (<folder>/<folder>.mk, or a few
# <folder>/*.mk, never another folder's files); tests/tests.mk registers every test.
# The conventions:
#   KERNEL_SRCS     built only into the kernel (kernel/, libc/, kernel-only self-tests)
#   CORE_SRCS       the runtime core, into the kernel and libspanlab-core: sys (portable
#                   and machine files), mm/, rt/;  CORE_HOST_SRCS: hosted only (sys/linux_*)
#   GOLIB_SRCS      the models of Go's library (golib/), libspanlab-golib; GOLIB_HOST_SRCS
#   SCENARIO_SRCS   the scenarios and the program (scenarios/), libspanlab-scenarios
#   SELFTEST_SRCS   portable self-tests, linked whole into the kernel and spanlab-host
#   PURE_SRCS       kernel/ and boot/ files with no hardware access, host-tested
#                   (libspanlab-pure-asan, for their unit tests and the fuzzers)
#   BENCH_PROGS     bench/NAME.c -> build/bench/NAME
# Dependencies point one way, scenarios -> golib -> rt -> mm -> sys, and each host
# library links only those below it (tools/check-layers.py checks the includes).

BUILD   ?= build
MEM     ?= 2G
CMDLINE ?=
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
LD      := ld
OBJCOPY := objcopy

# gcc's own header directory (stddef.h, stdint.h, stdarg.h), which -nostdinc drops,
# asked of the compiler by each command that uses it: use it only in recursively
# expanded (=) variables, so that the $$ reaches the recipe's shell.
GCC_INCLUDE = "$$($(CC) -print-file-name=include)"

WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# The kernel: higher-half, -mcmodel=kernel, no red zone (interrupts use the stack),
# frame pointers kept for backtraces. Code under kernel/ runs in interrupt context
# and must not touch SSE registers; mm/ and rt/ may (the pacer uses floating point),
# which is safe because interrupt handlers never use them.
KCFLAGS = -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem libc/include \
          -isystem $(GCC_INCLUDE) -I. -fno-stack-protector -fno-pic -fno-pie \
          -mno-red-zone -mcmodel=kernel -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
          -fno-asynchronous-unwind-tables -DSPANLAB_KERNEL=1 -MMD -MP
KCFLAGS_NOSIMD := -mgeneral-regs-only
KASFLAGS := -I. -DSPANLAB_KERNEL=1 -MMD -MP

# The hosted build: the same sys/ mm/ rt/ golib/ scenarios/ sources on Linux.
HCFLAGS  := -std=gnu11 -g $(WARN) -I. -fno-omit-frame-pointer -DSPANLAB_HOSTED=1 -MMD -MP -pthread
HCFLAGS_ASAN := $(HCFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
HCFLAGS_REL  := $(HCFLAGS) -O2 -march=x86-64-v2
HLDLIBS  := -lm -pthread

# The hosted libraries, one per layer group, each in a release and an ASan+UBSan
# build: core (sys, mm, rt), golib, scenarios; and the pure kernel/boot files (ASan).
CORE_LIB            := $(BUILD)/libspanlab-core.a
CORE_ASAN_LIB       := $(BUILD)/libspanlab-core-asan.a
GOLIB_LIB           := $(BUILD)/libspanlab-golib.a
GOLIB_ASAN_LIB      := $(BUILD)/libspanlab-golib-asan.a
SCENARIOS_LIB       := $(BUILD)/libspanlab-scenarios.a
SCENARIOS_ASAN_LIB  := $(BUILD)/libspanlab-scenarios-asan.a
PURE_ASAN_LIB       := $(BUILD)/libspanlab-pure-asan.a
# The objects of sources $(2) in the host build $(1) (asan or rel).
host_objs = $(patsubst %,$(BUILD)/host-$(1)/%.o,$(basename $(2)))

KERNEL_SRCS     :=
CORE_SRCS       :=
CORE_HOST_SRCS  :=
GOLIB_SRCS      :=
GOLIB_HOST_SRCS :=
SCENARIO_SRCS   :=
SELFTEST_SRCS   :=
PURE_SRCS       :=
BENCH_PROGS     :=

.DEFAULT_GOAL := all
ifeq ($(SPANLAB_DEPS),)
BOOTSTRAP_GOALS := $(filter-out clean deps,$(or $(MAKECMDGOALS),all))
endif

ifneq ($(BOOTSTRAP_GOALS),)
# ---- The user's make: tools/deps.sh for the goals' tiers, then the sub-make. ----
# Tiers (tools/deps.sh): a goal not listed here needs only the build tier.
DEPS_TIER_test  := test test-core test-list fuzz mutants grade $(BUILD)/tests/% $(BUILD)/fuzz/%
DEPS_TIER_bench := bench $(BUILD)/bench/%
DEPS_TIER_debug := debug
DEPS_TIER_run   := run test-matrix grade
DEPS_TIERS := $(or $(strip $(foreach t,test bench debug run,$(if \
                  $(filter $(DEPS_TIER_$(t)),$(BOOTSTRAP_GOALS)),$(t)))),build)

.PHONY: spanlab-deps $(or $(MAKECMDGOALS),all)
$(or $(MAKECMDGOALS),all): spanlab-deps
	@:
spanlab-deps:
	$(Q)tools/deps.sh $(DEPS_TIERS)
	$(Q)$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$$(nproc)) \
	    SPANLAB_DEPS=checked $(MAKECMDGOALS)

else
# ---- The build: every dependency is installed. ----
# The folders' fragments in layer order, then the test registry, which names the
# files of every folder (explicit order, not the alphabet's).
include $(wildcard libc/*.mk sys/*.mk mm/*.mk rt/*.mk golib/*.mk scenarios/*.mk \
                   kernel/*.mk boot/*.mk bench/*.mk tools/*.mk)
include tests/tests.mk tests/fuzz.mk

PORTABLE_SRCS := $(CORE_SRCS) $(GOLIB_SRCS) $(SCENARIO_SRCS) $(SELFTEST_SRCS)
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(KERNEL_SRCS) $(PORTABLE_SRCS)))

$(BUILD)/kernel/kernel/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) $(KCFLAGS_NOSIMD) -c $< -o $@
$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/host-asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) -c $< -o $@
$(BUILD)/host-asan/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) -c $< -o $@
$(BUILD)/host-rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) -c $< -o $@
$(BUILD)/host-rel/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) -c $< -o $@

# Each library holds the objects of its sources (the fragments listed them above).
$(CORE_LIB): $(call host_objs,rel,$(CORE_SRCS) $(CORE_HOST_SRCS))
$(CORE_ASAN_LIB): $(call host_objs,asan,$(CORE_SRCS) $(CORE_HOST_SRCS))
$(GOLIB_LIB): $(call host_objs,rel,$(GOLIB_SRCS) $(GOLIB_HOST_SRCS))
$(GOLIB_ASAN_LIB): $(call host_objs,asan,$(GOLIB_SRCS) $(GOLIB_HOST_SRCS))
$(SCENARIOS_LIB): $(call host_objs,rel,$(SCENARIO_SRCS))
$(SCENARIOS_ASAN_LIB): $(call host_objs,asan,$(SCENARIO_SRCS))
$(PURE_ASAN_LIB): $(call host_objs,asan,$(PURE_SRCS))
$(BUILD)/libspanlab-%.a:
	$(Q)rm -f $@ && ar rcs $@ $^

BENCH_BINS := $(patsubst %,$(BUILD)/bench/%,$(BENCH_PROGS))

.PHONY: all deps run usb debug bench clean
all: $(BUILD)/kernel.elf $(BUILD)/BOOTX64.EFI $(BUILD)/spanlab-usb.img

deps:
	$(Q)tools/deps.sh build run test bench debug

# Without quit=1 a person is at the keyboard: r reboots into the menu, and power off
# or Ctrl-C end make with status 0 (tools/qemu.sh --interactive).
QEMU_AT_KEYBOARD = $(if $(filter quit=1,$(CMDLINE)),,--interactive)
run: all
	$(Q)tools/qemu.sh --mem $(MEM) $(QEMU_AT_KEYBOARD) $(if $(CMDLINE),--cmdline '$(CMDLINE)')

usb: all
	@echo "build/spanlab-usb.img is ready: see README.md, 'Booting a PC from a USB stick'."

debug: all
	$(Q)tools/qemu.sh --mem $(MEM) --debug $(QEMU_AT_KEYBOARD) $(if $(CMDLINE),--cmdline '$(CMDLINE)')

bench: $(BENCH_BINS)
	$(Q)bench/run.sh

clean:
	rm -rf $(BUILD)

# The compiler's dependency files whose sources still exist (a moved source leaves a
# stale one behind); tools/live-deps.sh skips the mutation suite's scratch tree
# (build/mutants/, a build of its own) and build/tests/ (linked programs only: their
# sources' dependencies are the objects', under build/host-asan/tests/).
-include $(shell tools/live-deps.sh $(BUILD))
endif
