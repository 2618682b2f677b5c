# The freestanding C library subset (kernel only; the hosted build uses glibc), with
# setjmp/longjmp.
# string, ctype, stdlib and the integer formatter are built without SSE because
# interrupt handlers call them; snprintf and the float conversions may use SSE (a
# variadic function must save xmm registers for %f to find its double).
LIBC_NOSIMD_SRCS := libc/string.c libc/ctype.c libc/stdlib.c libc/format.c
LIBC_SIMD_SRCS   := libc/snprintf.c libc/format_float.c
KERNEL_SRCS += $(LIBC_NOSIMD_SRCS) $(LIBC_SIMD_SRCS) libc/setjmp_x86_64.S

# Never let gcc turn a copy loop in memcpy into a call to memcpy.
$(patsubst %.c,$(BUILD)/kernel/%.o,$(LIBC_NOSIMD_SRCS)): KCFLAGS += $(KCFLAGS_NOSIMD) -fno-tree-loop-distribute-patterns
$(patsubst %.c,$(BUILD)/kernel/%.o,$(LIBC_SIMD_SRCS)): KCFLAGS += -fno-tree-loop-distribute-patterns

# The libc's unit tests compile these same sources beside glibc, every symbol
# renamed (libc/test_names.h): tests/tests.mk.
LIBC_TEST_SRCS := $(LIBC_NOSIMD_SRCS) $(LIBC_SIMD_SRCS)
