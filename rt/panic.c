// The run-time panic path (see rt/panic.h).
#include <stdarg.h>
#include <stdio.h>
#include "rt/panic.h"
#include "sys/sys.h"

#define PANIC_MSG_MAX 256 // bytes of a panic message kept; longer ones are cut

static rt_panic_fn panic_handler;
static char panic_msg[PANIC_MSG_MAX];

// Formats the message, then hands it to the handler or to sys_panic. Never returns.
void rt_panic(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
    va_end(ap);
    if (panic_handler)
        panic_handler(panic_msg);
    sys_panic("%s", panic_msg);
}

// Returns the previous handler.
rt_panic_fn rt_set_panic_handler(rt_panic_fn fn) {
    rt_panic_fn old = panic_handler;
    panic_handler = fn;
    return old;
}

// Returns the message of the last rt_panic (empty before the first).
const char *rt_last_panic(void) { return panic_msg; }
