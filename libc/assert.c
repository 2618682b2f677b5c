// __assert_fail, what assert() calls when its expression is false: a kernel panic
// naming the expression and where it is. Weak, so the kernel may supply its own.
#include <assert.h>

#include "sys/sys.h"

__attribute__((weak)) _Noreturn void __assert_fail(const char *expr, const char *file, int line,
                                                   const char *func) {
    sys_panic("assertion failed: %s (%s:%d, %s)", expr, file, line, func);
}
