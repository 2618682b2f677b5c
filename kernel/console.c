// console: fans output out to COM1 and the framebuffer console, and polls input
// from COM1 and the keyboard. fbcon_write and kbd_getc are weak no-ops here so the
// kernel links without the screen and keyboard drivers (kernel/fbcon*, kernel/kbd*).
#include "kernel/console.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernel/serial.h"

// No screen linked in: output goes to serial only.
__attribute__((weak)) void fbcon_write(const char *buf, size_t len) {
    (void)buf;
    (void)len;
}

// No keyboard linked in: no key is ever waiting.
__attribute__((weak)) int kbd_getc(void) { return -1; }

// Sends buf to every console.
void console_write(const char *buf, size_t len) {
    serial_write(buf, len);
    fbcon_write(buf, len);
}

// Returns a byte from serial first, then the keyboard; -1 when neither has one.
int console_getc(void) {
    int c = serial_getc();
    if (c >= 0)
        return c;
    return kbd_getc();
}

// Formats into a 1 KiB stack buffer and writes it; returns the formatted length.
int kprintf(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    return n;
}
