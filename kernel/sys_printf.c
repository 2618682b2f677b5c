// sys_printf for the kernel: formats with the libc subset and writes to the
// console. Its own file because it is built with SSE allowed (kernel/kernel.mk):
// the variadic arguments of a function built -mgeneral-regs-only never receive
// doubles, and the scenario reports print MiB with %f. Not for interrupt context.
#include <stdarg.h>

#include "kernel/console.h"
#include "sys/sys.h"

// Formats through the console (console_vprintf); the va_list was filled by this
// SSE-enabled prologue, so doubles arrive intact.
int sys_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = console_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
