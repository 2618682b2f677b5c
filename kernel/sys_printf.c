// sys_printf for the kernel: formats with the libc subset and writes to the
// console. Its own file because it is built with SSE allowed (kernel/printf.mk):
// the variadic arguments of a function built -mgeneral-regs-only never receive
// doubles, and the scenario reports print MiB with %f. Not for interrupt context.
#include <stdarg.h>
#include <stdio.h>

#include "kernel/console.h"
#include "sys/sys.h"

// Formats into a stack buffer; output beyond 2 KiB is cut (and says so).
int sys_printf(const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
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
