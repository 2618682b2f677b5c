// assert.h: assert(e) calls __assert_fail, which the kernel implements as a panic
// naming the expression, file, line and function. NDEBUG removes the checks.
// Like the standard header it may be included again with NDEBUG changed.
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H_DECLS
#define _ASSERT_H_DECLS
_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func);
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
#endif
