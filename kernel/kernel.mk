# The kernel proper (kernel/ minus the screen and keyboard, kernel/fb.mk, and what
# differs between PCs, kernel/pc.mk), with its frame allocator and virtual ranges, and
# the link with its embedded symbol table. The frame allocator and the virtual ranges
# are pure bookkeeping: their unit tests run them on the host.
KERNEL_SRCS += kernel/entry.S kernel/vectors.S kernel/kmain.c kernel/serial.c \
               kernel/console.c kernel/panic.c kernel/gdt.c kernel/idt.c kernel/trap.c \
               kernel/ksym.c kernel/memmap.c kernel/paging.c kernel/acpi.c kernel/clock.c \
               kernel/efi.c kernel/sys_kernel.c kernel/sys_vm.c kernel/vm_fault.c \
               kernel/selftest_kernel.c kernel/frameset.c kernel/frames.c kernel/vm_range.c \
               kernel/assert.c kernel/sys_printf.c
PURE_SRCS   += kernel/frames.c kernel/vm_range.c

# sys_printf receives doubles (%f in the scenario reports): a variadic function
# built -mgeneral-regs-only cannot, so this one kernel/ file may use SSE. It never
# runs in interrupt context.
$(BUILD)/kernel/kernel/sys_printf.o: KCFLAGS_NOSIMD :=

# Three steps: link with an empty symbol table, generate the table from that
# link, link again with it. .ksyms sits after all text (linker.ld), so the second
# link moves no function; the check below proves it by regenerating the table.
KLDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
            -T linker.ld
# libgcc for the helpers gcc may call (__popcountdi2 ...): leaf routines that
# use no stack, so the missing red zone does not matter. Asked of the compiler by the
# link commands, never while make reads this file.
KLIBGCC = "$$($(CC) -print-libgcc-file-name)"
# (KERNEL_OBJS is computed after every fragment is included: second expansion.)
.SECONDEXPANSION:
$(BUILD)/kernel.elf: $$(KERNEL_OBJS) linker.ld tools/mksyms.sh
	@mkdir -p $(BUILD)/ksyms
	$(Q)tools/mksyms.sh - $(BUILD)/ksyms/empty.S
	$(Q)$(CC) -c $(BUILD)/ksyms/empty.S -o $(BUILD)/ksyms/empty.o
	$(Q)$(LD) $(KLDFLAGS) -o $(BUILD)/ksyms/pass1.elf $(KERNEL_OBJS) $(BUILD)/ksyms/empty.o $(KLIBGCC)
	$(Q)tools/mksyms.sh $(BUILD)/ksyms/pass1.elf $(BUILD)/ksyms/pass1.S
	$(Q)$(CC) -c $(BUILD)/ksyms/pass1.S -o $(BUILD)/ksyms/pass1.o
	$(Q)$(LD) $(KLDFLAGS) -o $(BUILD)/ksyms/pass2.elf $(KERNEL_OBJS) $(BUILD)/ksyms/pass1.o $(KLIBGCC)
	$(Q)tools/mksyms.sh $(BUILD)/ksyms/pass2.elf $(BUILD)/ksyms/pass2.S
	$(Q)cmp -s $(BUILD)/ksyms/pass1.S $(BUILD)/ksyms/pass2.S || \
	    { echo "kernel.elf: text symbols moved when the symbol table was linked in"; exit 1; }
	$(Q)cp $(BUILD)/ksyms/pass2.elf $@
