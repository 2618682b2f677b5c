// errno.h: the one error variable (the kernel is one thread of C; goroutines do not
// preempt one another inside a libc call). strtol and friends set ERANGE and EINVAL.
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#define EINVAL 22
#define ERANGE 34
#define EOVERFLOW 75

#endif
