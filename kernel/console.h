// console: where the kernel's text goes (COM1 and the framebuffer console) and where
// polled input comes from (COM1, keyboard).
#ifndef SPANLAB_KERNEL_CONSOLE_H
#define SPANLAB_KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_write(const char *buf, size_t len);
// Returns the next input byte from serial or keyboard, or -1.
int console_getc(void);
// printf to the console with a stack buffer (longer output is truncated).
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// vprintf to the console (2 KiB at most per call; longer output is cut and says so).
int console_vprintf(const char *fmt, va_list ap);

#endif
