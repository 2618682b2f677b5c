# The UEFI loader (GNU-EFI, Debian's gnu-efi package) and the disk image.
# boot/*.c -> build/boot/*.o -> build/boot/loader.so (ELF, relocatable) ->
# build/BOOTX64.EFI (PE32+ via objcopy), then tools/mkimage.sh puts it, the kernel
# and cmdline.txt on a FAT32 ESP in a GPT disk image (build/spanlab-usb.img).

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
BOOT_SRCS := $(sort $(wildcard boot/*.c))
BOOT_OBJS := $(patsubst boot/%.c,$(BUILD)/boot/%.o,$(BOOT_SRCS))
BOOT_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 \
               -ffreestanding -fpic -fshort-wchar -fno-stack-protector -fno-stack-check \
               -fno-strict-aliasing -mno-red-zone -maccumulate-outgoing-args \
               -mgeneral-regs-only -DGNU_EFI_USE_MS_ABI -DEFI_FUNCTION_WRAPPER -MMD -MP

# The ELF checker and the GOP mode choice are pure functions: host-tested (unit
# tests, and the ELF checker's fuzzer).
PURE_SRCS += boot/elf_check.c boot/gop_pick.c

$(BUILD)/boot/%.o: boot/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BOOT_CFLAGS) -I$(BUILD)/gen -c $< -o $@

# The scenario rows of the menu come from the scenario files themselves
# (scenarios/scenarios.mk lists them, before this fragment is read).
$(BUILD)/gen/menu_scenarios.inc: tools/mkmenu.sh $(SCENARIO_BUGS)
	@mkdir -p $(dir $@)
	$(Q)tools/mkmenu.sh $@ $(SCENARIO_BUGS)
$(BUILD)/boot/menu_table.o: $(BUILD)/gen/menu_scenarios.inc

$(BUILD)/boot/loader.so: $(BOOT_OBJS)
	$(Q)$(LD) -nostdlib -znocombreloc -T $(EFI_LIB)/elf_x86_64_efi.lds -shared -Bsymbolic \
	    -L$(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o $^ -lefi -lgnuefi -o $@

$(BUILD)/BOOTX64.EFI: $(BUILD)/boot/loader.so
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	    -j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/spanlab-usb.img: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf tools/mkimage.sh
	$(Q)tools/mkimage.sh --efi $(BUILD)/BOOTX64.EFI --kernel $(BUILD)/kernel.elf --out $@
