// __assert_fail, what the C library's assert() (libc/include/assert.h) calls when its
// expression is false: the kernel's answer is a panic naming the expression and where.
#include <assert.h>

#include "sys/sys.h"

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func) {
    sys_panic("assertion failed: %s (%s:%d, %s)", expr, file, line, func);
}
