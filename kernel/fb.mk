# The framebuffer console and the PS/2 keyboard (kernel only), with the console
# fonts converted from Debian's PSF files at build time into $(BUILD)/gen/.
KERNEL_SRCS += kernel/font.c kernel/fbcon_render.c kernel/fbcon_term.c kernel/fbcon.c \
               kernel/ps2kbd.c
HOST_TESTS += fbcon_test
QEMU_TESTS += tests/qemu/screen_banner.sh tests/qemu/keys_poweroff.sh

FONT_DIR := /usr/share/consolefonts
FONT_INCS := $(BUILD)/gen/font_terminus16.inc $(BUILD)/gen/font_terminus32.inc
$(BUILD)/gen/font_terminus16.inc: $(FONT_DIR)/Uni2-Terminus16.psf.gz tools/psf2c
	@mkdir -p $(dir $@)
	$(Q)tools/psf2c $< font_terminus16 > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/font_terminus32.inc: $(FONT_DIR)/Uni2-Terminus32x16.psf.gz tools/psf2c
	@mkdir -p $(dir $@)
	$(Q)tools/psf2c $< font_terminus32 > $@.tmp && mv $@.tmp $@
$(BUILD)/kernel/kernel/font.o: $(FONT_INCS)
$(BUILD)/kernel/kernel/font.o: KCFLAGS += -I$(BUILD)/gen

# The host test draws into memory with the same renderer, terminal and fonts.
FBCON_TEST_SRCS := kernel/font.c kernel/fbcon_render.c kernel/fbcon_term.c
$(BUILD)/tests/fbcon_test: tests/host/fbcon_test.c tests/host/test.h $(FBCON_TEST_SRCS) \
                           kernel/fbcon_render.h kernel/font.h $(FONT_INCS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) -I$(BUILD)/gen $< $(FBCON_TEST_SRCS) -lcmocka $(HLDLIBS) -o $@
