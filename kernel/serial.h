// serial: the COM1 16550 UART, 115200 8N1, polled output and input. Works from
// the first instruction (no interrupts, no memory beyond the stack).
#ifndef SPANLAB_KERNEL_SERIAL_H
#define SPANLAB_KERNEL_SERIAL_H

#include <stdbool.h>
#include <stddef.h>

void serial_init(void);
// True when a UART answered at COM1 (serial_init's scratch-register test).
bool serial_present(void);
void serial_putc(char c);
// Writes len bytes, turning "\n" into "\r\n" for terminals.
void serial_write(const char *buf, size_t len);
// Returns the next received byte, or -1 when none is waiting.
int serial_getc(void);

#endif
