// snprintf, the variadic front of vsnprintf. Built with SSE allowed (libc.mk): a
// variadic function only saves the caller's xmm argument registers when it may use
// SSE, and %f needs the double the caller passed in xmm0..7.
#include <stdio.h>

// Returns what vsnprintf returns for the same arguments.
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
