# spanlab: every entry point.
#
#   make            build the kernel, the loader, the disk image and the hosted program
#   make run        boot the image in QEMU (boot menu on this terminal)
#   make run CMDLINE='run=all quit=1'   boot straight into the kernel with that line
#   make test       every test: host unit tests (ASan+UBSan), then QEMU tests
#   make test-matrix  the image on every emulated PC of tools/matrix.sh (kernel/pc.mk)
#   make usb        build/spanlab-usb.img, a GPT disk with the ESP, for dd to a USB stick
#   make debug      QEMU paused with a GDB stub, and a gdb script with the kernel's symbols
#   make bench      host benchmarks beside glibc, mimalloc, jemalloc, Boehm GC and Go
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

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# The kernel: higher-half, -mcmodel=kernel, no red zone (interrupts use the stack),
# frame pointers kept for backtraces. Code under kernel/ runs in interrupt context
# and must not touch SSE registers; mm/ and rt/ may (the pacer uses floating point),
# which is safe because interrupt handlers never use them.
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem libc/include \
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
all: deps-check $(BUILD)/kernel.elf $(BUILD)/BOOTX64.EFI $(BUILD)/spanlab-usb.img

deps:
	$(Q)tools/deps.sh
deps-check:
	$(Q)tools/deps.sh --quiet

run: all
	$(Q)tools/qemu.sh --mem $(MEM) $(if $(CMDLINE),--cmdline '$(CMDLINE)')

usb: all
	@echo "build/spanlab-usb.img is ready: see README.md, 'Booting a PC from a USB stick'."

debug: all
	$(Q)tools/qemu.sh --mem $(MEM) --debug $(if $(CMDLINE),--cmdline '$(CMDLINE)')

test: all $(HOST_TEST_BINS)
	$(Q)tools/run-tests.sh $(HOST_TEST_BINS) -- $(QEMU_TESTS)
test-host: deps-check $(HOST_TEST_BINS)
	$(Q)tools/run-tests.sh $(HOST_TEST_BINS) --
test-qemu: all
	$(Q)tools/run-tests.sh -- $(QEMU_TESTS)

bench: deps-check $(BENCH_BINS)
	$(Q)bench/run.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
