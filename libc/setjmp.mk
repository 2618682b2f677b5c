# setjmp/longjmp (kernel only; the hosted build uses glibc's).
KERNEL_SRCS += libc/setjmp.S
