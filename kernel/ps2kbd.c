// The PS/2 keyboard (i8042), polled: scan code set 1 (the controller translates
// by default) to ASCII for letters, digits, punctuation, space, Enter, Backspace,
// Tab and Escape, with Shift. kernel/console.c asks kbd_getc beside the serial
// port. Machines without a controller (most new PCs; USB keyboards then work only
// through the firmware's legacy emulation) are detected once and said so.
#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kbd.h"

#define I8042_DATA 0x60
#define I8042_STATUS 0x64
#define ST_OUTPUT_FULL 0x01
#define ST_AUX 0x20 // the byte is from the mouse

// Set 1 make codes 0x00..0x39 -> ASCII, unshifted and shifted (0 = no character).
static const char keymap[2][0x3a] = {
    {0,   27,  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
     'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0,  'a',  's',
     'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,  '\\', 'z', 'x', 'c', 'v',
     'b', 'n', 'm', ',', '.', '/', 0,   '*', 0,   ' '},
    {0,   27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
     'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,  'A',  'S',
     'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z', 'X', 'C', 'V',
     'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' '},
};

static int present; // 0 not probed, 1 present, -1 absent
static bool shift, extended;

// Looks for the controller: with none, the status port floats and reads 0xff.
void kbd_init(void) {
    if (present)
        return;
    if (inb(I8042_STATUS) == 0xff) {
        present = -1;
        kprintf("kbd: no PS/2 controller (i8042): keyboard input from the serial port only\n");
        return;
    }
    present = 1;
    for (int i = 0; i < 64 && (inb(I8042_STATUS) & ST_OUTPUT_FULL); i++)
        (void)inb(I8042_DATA); // drop keys still queued from the boot menu
}

const char *kbd_path(void) {
    if (!present)
        kbd_init();
    return present > 0 ? "PS/2 controller (i8042), polled; a USB keyboard works through it only "
                         "when the firmware emulates PS/2 (USB legacy support)"
                       : "no PS/2 controller (i8042): keys from the serial port only";
}

// Turns one set-1 scan code into a character, tracking Shift; -1 for none.
static int translate(uint8_t sc) {
    if (sc == 0xe0) {
        extended = true;
        return -1;
    }
    bool ext = extended, release = sc & 0x80;
    extended = false;
    uint8_t code = sc & 0x7f;
    if (code == 0x2a || code == 0x36) { // left, right Shift
        if (!ext)
            shift = !release;
        return -1;
    }
    if (release)
        return -1;
    if (ext) // keypad Enter and '/' only; arrows and the rest are ignored
        return code == 0x1c ? '\n' : code == 0x35 ? '/' : -1;
    if (code >= sizeof keymap[0] || !keymap[shift][code])
        return -1;
    return keymap[shift][code];
}

// Returns the next typed character, or -1 when none is waiting (or no keyboard).
int kbd_getc(void) {
    if (!present)
        kbd_init();
    if (present < 0)
        return -1;
    for (int i = 0; i < 16; i++) {
        uint8_t st = inb(I8042_STATUS);
        if (!(st & ST_OUTPUT_FULL))
            return -1;
        uint8_t sc = inb(I8042_DATA);
        if (st & ST_AUX)
            continue;
        int c = translate(sc);
        if (c >= 0)
            return c;
    }
    return -1;
}
