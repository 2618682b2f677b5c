// stdio.h: formatting only. The kernel has no FILE streams; output goes through
// sys_write/sys_printf. snprintf and vsnprintf follow C11 7.21.6 (flags - + space # 0,
// width and precision with *, hh h l ll z j t, d i u o x X c s p % f F e E g G).
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
