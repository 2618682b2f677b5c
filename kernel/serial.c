// serial: COM1 (I/O port 0x3f8), a 16550 UART, polled. QEMU connects it to the
// terminal (-serial stdio); real PCs with a header or a USB adapter see it too.
// When no UART answers (scratch register test), output is dropped silently.
#include "kernel/serial.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_SCRATCH 7
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool present;

// Programs 115200 8N1 with FIFOs; detects a missing UART through the scratch register.
void serial_init(void) {
    outb(COM1 + REG_SCRATCH, 0x5a);
    present = inb(COM1 + REG_SCRATCH) == 0x5a;
    if (!present)
        return;
    outb(COM1 + REG_IER, 0x00); // no interrupts: we poll
    outb(COM1 + REG_LCR, 0x80); // DLAB on
    outb(COM1 + REG_DATA, 1);   // divisor 1 = 115200 baud
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, 0x03); // 8N1, DLAB off
    outb(COM1 + REG_FCR, 0xc7); // FIFO on, cleared, 14-byte threshold
    outb(COM1 + REG_MCR, 0x03); // DTR, RTS
}

bool serial_present(void) { return present; }

// Waits (bounded) for room in the transmitter, then sends c.
void serial_putc(char c) {
    if (!present)
        return;
    for (int spins = 0; spins < 100000; spins++)
        if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
            break;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

// Writes len bytes, "\n" as "\r\n".
void serial_write(const char *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            serial_putc('\r');
        serial_putc(buf[i]);
    }
}

// Returns the next received byte, or -1.
int serial_getc(void) {
    if (!present || !(inb(COM1 + REG_LSR) & LSR_DATA_READY))
        return -1;
    return inb(COM1 + REG_DATA);
}
