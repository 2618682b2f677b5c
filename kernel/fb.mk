# The framebuffer console and the PS/2 keyboard (kernel only), with the console
# fonts converted from Debian's PSF files at build time into $(BUILD)/gen/. The
# renderer, the terminal and the fonts are pure: their unit test draws into memory.
KERNEL_SRCS += kernel/font.c kernel/fbcon_render.c kernel/fbcon_term.c kernel/fbcon.c \
               kernel/ps2kbd.c
PURE_SRCS   += kernel/font.c kernel/fbcon_render.c kernel/fbcon_term.c

FONT_DIR := /usr/share/consolefonts
FONT_INCS := $(BUILD)/gen/font_terminus16.inc $(BUILD)/gen/font_terminus32.inc
$(BUILD)/gen/font_terminus16.inc: $(FONT_DIR)/Uni2-Terminus16.psf.gz tools/psf2c
	@mkdir -p $(dir $@)
	$(Q)tools/psf2c $< font_terminus16 > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/font_terminus32.inc: $(FONT_DIR)/Uni2-Terminus32x16.psf.gz tools/psf2c
	@mkdir -p $(dir $@)
	$(Q)tools/psf2c $< font_terminus32 > $@.tmp && mv $@.tmp $@
$(BUILD)/kernel/kernel/font.o $(BUILD)/host-asan/kernel/font.o: $(FONT_INCS)
$(BUILD)/kernel/kernel/font.o: KCFLAGS += -I$(BUILD)/gen
$(BUILD)/host-asan/kernel/font.o: HCFLAGS_ASAN += -I$(BUILD)/gen
