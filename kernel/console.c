// console: fans output out to COM1 and the framebuffer console (kernel/fbcon.c), and
// polls input from COM1 and the keyboard (kernel/ps2kbd.c).
#include "kernel/console.h"

#include <stdarg.h>
#include <stdio.h>

#include "kernel/fbcon.h"
#include "kernel/kbd.h"
#include "kernel/serial.h"

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

// Formats into a 2 KiB stack buffer and writes it; output beyond that is cut (and
// says so). Returns the formatted length.
int console_vprintf(const char *fmt, va_list ap) {
    char buf[2048];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        return n;
    if ((size_t)n >= sizeof buf) {
        console_write(buf, sizeof buf - 1);
        console_write("...[cut]\n", 9);
    } else {
        console_write(buf, (size_t)n);
    }
    return n;
}

// printf to the console, for kernel/ code (no floating point: built without SSE).
int kprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = console_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
