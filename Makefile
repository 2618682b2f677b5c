# spanlab: every entry point.
#
#   make            build the kernel, the loader, the disk image and the hosted program
#   make run        boot the image in QEMU (boot menu on this terminal; r reboots into
#                   it, p powers off, Ctrl-C quits, each ending make with status 0)
#   make run CMDLINE='run=all quit=1'   boot straight into the kernel with that line;
#                   with quit=1 make's status is the kernel's verdict
#   make test       every test: host unit tests (ASan+UBSan), then QEMU tests
#   make test-matrix  the image on every emulated PC of tools/matrix.sh (kernel/pc.mk)
#   make usb        build/spanlab-usb.img, a GPT disk with the ESP, for dd to a USB stick
#   make debug      QEMU paused with a GDB stub, and a gdb script with the kernel's symbols
#   make bench      host benchmarks beside glibc, mimalloc, jemalloc, Boehm GC and Go
#   make mutants    the mutation suite: every tools/mutants/*.mut must be killed (M=NAME: one)
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
# Each module adds its sources in its own fragment (<folder>/<part>.mk, every one
# included), so this file only holds the conventions:
#   KERNEL_SRCS    C/asm built only into the kernel (kernel/, libc/)
#   PORTABLE_SRCS  built into the kernel and into the hosted library (mm/, rt/, ...)
#   HOST_SRCS      built only into the hosted library (sys/sys_linux.c)
#   HOST_TESTS     tests/host/NAME.c -> build/tests/NAME, each a cmocka program
#   BENCH_PROGS    bench/NAME.c -> build/bench/NAME
#   QEMU_TESTS     tests/qemu/NAME.sh, each boots the image and judges the output

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

# The hosted library: the same mm/ rt/ scenarios/ sources on Linux.
HCFLAGS  := -std=gnu11 -g $(WARN) -I. -fno-omit-frame-pointer -DSPANLAB_HOSTED=1 -MMD -MP -pthread
HCFLAGS_ASAN := $(HCFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
HCFLAGS_REL  := $(HCFLAGS) -O2 -march=x86-64-v2
HLDLIBS  := -lm -pthread

KERNEL_SRCS   :=
PORTABLE_SRCS :=
HOST_SRCS     :=
HOST_TESTS    :=
BENCH_PROGS   :=
QEMU_TESTS    :=

.DEFAULT_GOAL := all
ifeq ($(SPANLAB_DEPS),)
BOOTSTRAP_GOALS := $(filter-out clean deps,$(or $(MAKECMDGOALS),all))
endif

ifneq ($(BOOTSTRAP_GOALS),)
# ---- The user's make: tools/deps.sh for the goals' tiers, then the sub-make. ----
# Tiers (tools/deps.sh): a goal not listed here needs only the build tier.
DEPS_TIER_test  := test test-host test-qemu fuzz mutants $(BUILD)/tests/% $(BUILD)/fuzz/%
DEPS_TIER_bench := bench $(BUILD)/bench/%
DEPS_TIER_debug := debug
DEPS_TIER_run   := run test-matrix
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
include $(sort $(wildcard */*.mk))

KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(KERNEL_SRCS) $(PORTABLE_SRCS)))
HOST_ASAN_OBJS := $(patsubst %,$(BUILD)/host-asan/%.o,$(basename $(PORTABLE_SRCS) $(HOST_SRCS)))
HOST_REL_OBJS  := $(patsubst %,$(BUILD)/host-rel/%.o,$(basename $(PORTABLE_SRCS) $(HOST_SRCS)))

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

$(BUILD)/libspanlab-asan.a: $(HOST_ASAN_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/libspanlab.a: $(HOST_REL_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

HOST_TEST_BINS := $(patsubst %,$(BUILD)/tests/%,$(HOST_TESTS))
$(BUILD)/tests/%: tests/host/%.c tests/host/test.h $(BUILD)/libspanlab-asan.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< $(BUILD)/libspanlab-asan.a -lcmocka $(HLDLIBS) -o $@

BENCH_BINS := $(patsubst %,$(BUILD)/bench/%,$(BENCH_PROGS))

.PHONY: all deps run test test-host test-qemu usb debug bench clean
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

test: all $(HOST_TEST_BINS)
	$(Q)tools/run-tests.sh $(HOST_TEST_BINS) -- $(QEMU_TESTS)
test-host: $(HOST_TEST_BINS)
	$(Q)tools/run-tests.sh $(HOST_TEST_BINS) --
test-qemu: all
	$(Q)tools/run-tests.sh -- $(QEMU_TESTS)

bench: $(BENCH_BINS)
	$(Q)bench/run.sh

clean:
	rm -rf $(BUILD)

# build/mutants/ is the mutation suite's scratch tree, with a build of its own.
-include $(shell find $(BUILD) -path $(BUILD)/mutants -prune -o -name '*.d' -print 2>/dev/null)
endif
