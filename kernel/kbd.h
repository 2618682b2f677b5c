// kbd_: keyboard input beside the serial port (kernel/ps2kbd.c, PS/2 i8042 polled).
#ifndef SPANLAB_KERNEL_KBD_H
#define SPANLAB_KERNEL_KBD_H

// Probes the controller once; says so when there is none. kmain calls it; the
// first kbd_getc does when kmain did not.
void kbd_init(void);

// Where keys come from, in words (hwinfo): the PS/2 controller or why not.
const char *kbd_path(void);

// The next typed character (ASCII, Enter as '\n'), or -1 when none is waiting.
int kbd_getc(void);

#endif
