# The freestanding C library subset (kernel only; the hosted build uses glibc).
# string, ctype, stdlib and the integer formatter are built without SSE because
# interrupt handlers call them; snprintf and the float conversions may use SSE (a
# variadic function must save xmm registers for %f to find its double).
LIBC_NOSIMD_SRCS := libc/string.c libc/ctype.c libc/stdlib.c libc/format.c
LIBC_SIMD_SRCS   := libc/snprintf.c libc/format_float.c
KERNEL_SRCS += $(LIBC_NOSIMD_SRCS) $(LIBC_SIMD_SRCS)

# Never let gcc turn a copy loop in memcpy into a call to memcpy.
$(patsubst %.c,$(BUILD)/kernel/%.o,$(LIBC_NOSIMD_SRCS)): KCFLAGS += $(KCFLAGS_NOSIMD) -fno-tree-loop-distribute-patterns
$(patsubst %.c,$(BUILD)/kernel/%.o,$(LIBC_SIMD_SRCS)): KCFLAGS += -fno-tree-loop-distribute-patterns

# Host tests of the libc itself: the same sources, every symbol renamed to spl_*
# (libc/test_names.h) so they link beside glibc and the tests compare the two.
# Static pattern rules are explicit, so they win over the generic tests rule.
LIBC_TESTS := libc_format_test libc_string_test
LIBC_TEST_CFLAGS = $(HCFLAGS_ASAN) -ffreestanding -nostdinc -isystem libc/include \
                    -isystem $(GCC_INCLUDE) -include libc/test_names.h
LIBC_TEST_OBJS := $(patsubst %.c,$(BUILD)/libc-test/%.o,$(LIBC_NOSIMD_SRCS) $(LIBC_SIMD_SRCS))
$(LIBC_TEST_OBJS): $(BUILD)/libc-test/%.o: %.c libc/test_names.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LIBC_TEST_CFLAGS) -c $< -o $@
$(patsubst %,$(BUILD)/tests/%,$(LIBC_TESTS)): $(BUILD)/tests/%: tests/host/%.c tests/host/test.h $(LIBC_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< $(LIBC_TEST_OBJS) -lcmocka $(HLDLIBS) -o $@
HOST_TESTS += $(LIBC_TESTS)
