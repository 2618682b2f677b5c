// limits.h for the freestanding kernel: gcc's own limits.h has every value, but
// without _LIBC_LIMITS_H_ it tries to #include_next a C library's copy, which the
// kernel (-nostdinc) does not have. Saying "we are the C library" makes gcc's complete.
#ifndef _LIBC_LIMITS_H_
#define _LIBC_LIMITS_H_ 1
#include_next <limits.h>
#endif
