// The kernel's string, ctype and stdlib functions (libc/, linked here renamed to
// spl_*) against glibc's on the same inputs: copies with every overlap and
// alignment, comparisons, searches, number parsing with errno, qsort.
#include "tests/unit/test.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>

void *spl_memcpy(void *d, const void *s, size_t n);
void *spl_memmove(void *d, const void *s, size_t n);
void *spl_memset(void *d, int c, size_t n);
int spl_memcmp(const void *a, const void *b, size_t n);
void *spl_memchr(const void *s, int c, size_t n);
size_t spl_strlen(const char *s);
size_t spl_strnlen(const char *s, size_t n);
int spl_strcmp(const char *a, const char *b);
int spl_strncmp(const char *a, const char *b, size_t n);
char *spl_strchr(const char *s, int c);
char *spl_strrchr(const char *s, int c);
char *spl_strstr(const char *h, const char *n);
char *spl_strcpy(char *d, const char *s);
char *spl_strncpy(char *d, const char *s, size_t n);
long spl_strtol(const char *s, char **end, int base);
unsigned long spl_strtoul(const char *s, char **end, int base);
long long spl_strtoll(const char *s, char **end, int base);
unsigned long long spl_strtoull(const char *s, char **end, int base);
void spl_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
extern int spl_errno;
int spl_isdigit(int), spl_isxdigit(int), spl_isspace(int), spl_isalpha(int), spl_isalnum(int);
int spl_isupper(int), spl_islower(int), spl_isprint(int), spl_ispunct(int), spl_iscntrl(int);
int spl_toupper(int), spl_tolower(int);

static int sign(int x) { return (x > 0) - (x < 0); }

static void memmove_matches_reference_at_every_overlap(void **state) {
    unsigned char ref[96], got[96];
    for (size_t n = 0; n <= 40; n++)
        for (size_t src = 0; src + n <= 96; src += 3)
            for (size_t dst = 0; dst + n <= 96; dst += 5) {
                for (int i = 0; i < 96; i++)
                    ref[i] = got[i] = (unsigned char)(i * 7 + 1);
                memmove(ref + dst, ref + src, n);
                assert_ptr_equal(spl_memmove(got + dst, got + src, n), got + dst);
                assert_memory_equal(ref, got, sizeof ref);
            }
}

static void memcpy_and_memset_touch_exactly_n_bytes(void **state) {
    unsigned char buf[64], src[64];
    for (int i = 0; i < 64; i++)
        src[i] = (unsigned char)(200 - i);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; off + n + 1 < sizeof buf; n++) {
            memset(buf, 0xee, sizeof buf);
            spl_memcpy(buf + off, src, n);
            assert_memory_equal(buf + off, src, n);
            assert_int_equal(buf[off + n], 0xee);
            if (off)
                assert_int_equal(buf[off - 1], 0xee);
            spl_memset(buf + off, 0x1ab, n); // only the low byte counts
            for (size_t i = 0; i < n; i++)
                assert_int_equal(buf[off + i], 0xab);
            assert_int_equal(buf[off + n], 0xee);
        }
}

static void comparisons_and_searches_match_glibc(void **state) {
    static const char *const strs[] = {"", "a", "ab", "abc", "abd", "b", "\xff", "\x80x",
                                       "hello world", "hello", "world", "lo w", "o"};
    size_t ns = sizeof strs / sizeof *strs;
    for (size_t i = 0; i < ns; i++) {
        const char *a = strs[i];
        assert_int_equal(spl_strlen(a), strlen(a));
        for (size_t k = 0; k < 6; k++)
            assert_int_equal(spl_strnlen(a, k), strnlen(a, k));
        for (int c = 0; c < 256; c += 1) {
            assert_ptr_equal(spl_strchr(a, c), strchr(a, c));
            assert_ptr_equal(spl_strrchr(a, c), strrchr(a, c));
            assert_ptr_equal(spl_memchr(a, c, strlen(a)), memchr(a, c, strlen(a)));
        }
        for (size_t j = 0; j < ns; j++) {
            const char *b = strs[j];
            assert_int_equal(sign(spl_strcmp(a, b)), sign(strcmp(a, b)));
            for (size_t k = 0; k < 5; k++)
                assert_int_equal(sign(spl_strncmp(a, b, k)), sign(strncmp(a, b, k)));
            size_t m = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
            assert_int_equal(sign(spl_memcmp(a, b, m)), sign(memcmp(a, b, m)));
            assert_ptr_equal(spl_strstr(a, b), strstr(a, b));
        }
    }
}

static void strcpy_and_strncpy_pad_as_the_standard_says(void **state) {
    char a[12], b[12];
    memset(a, 'x', sizeof a);
    memset(b, 'x', sizeof b);
    assert_ptr_equal(spl_strcpy(a, "abc"), a);
    strcpy(b, "abc");
    assert_memory_equal(a, b, sizeof a);
    for (size_t n = 0; n < 10; n++) {
        memset(a, 'x', sizeof a);
        memset(b, 'x', sizeof b);
        spl_strncpy(a, "hello", n);
        strncpy(b, "hello", n);
        assert_memory_equal(a, b, sizeof a);
    }
}

static void ctype_matches_glibc_c_locale(void **state) {
    for (int c = -1; c < 256; c++) {
        assert_int_equal(!!spl_isdigit(c), !!isdigit(c));
        assert_int_equal(!!spl_isxdigit(c), !!isxdigit(c));
        assert_int_equal(!!spl_isspace(c), !!isspace(c));
        assert_int_equal(!!spl_isalpha(c), !!isalpha(c));
        assert_int_equal(!!spl_isalnum(c), !!isalnum(c));
        assert_int_equal(!!spl_isupper(c), !!isupper(c));
        assert_int_equal(!!spl_islower(c), !!islower(c));
        assert_int_equal(!!spl_isprint(c), !!isprint(c));
        assert_int_equal(!!spl_ispunct(c), !!ispunct(c));
        assert_int_equal(!!spl_iscntrl(c), !!iscntrl(c));
        assert_int_equal(spl_toupper(c), toupper(c));
        assert_int_equal(spl_tolower(c), tolower(c));
    }
}

static void strtol_family_matches_glibc_with_errno_and_end(void **state) {
    static const char *const inputs[] = {
        "0", "42", "-42", "+7", "  \t\n 13xyz", "0x1f", "0X1F", "0x", "0xg", "017", "08", "-0",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "-1",
        "99999999999999999999999", "zz", "Zz", "", "   ", "-", "+", "1e5", "0b101", "777",
        "ffffffffffffffff", "10000000000000000", "-0x8000000000000000"};
    static const int bases[] = {0, 2, 8, 10, 16, 36};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
            const char *s = inputs[i];
            int base = bases[b];
            char *ge, *se;
            errno = 0;
            spl_errno = 0;
            long gl = strtol(s, &ge, base);
            long sl = spl_strtol(s, &se, base);
            assert_int_equal(gl, sl);
            assert_ptr_equal(ge, se);
            assert_int_equal(errno, spl_errno);
            errno = spl_errno = 0;
            unsigned long gu = strtoul(s, &ge, base);
            unsigned long su = spl_strtoul(s, &se, base);
            assert_int_equal(gu, su);
            assert_ptr_equal(ge, se);
            assert_int_equal(errno, spl_errno);
            errno = spl_errno = 0;
            assert_int_equal(strtoll(s, &ge, base), spl_strtoll(s, &se, base));
            assert_ptr_equal(ge, se);
            assert_int_equal(errno, spl_errno);
            errno = spl_errno = 0;
            assert_int_equal(strtoull(s, &ge, base), spl_strtoull(s, &se, base));
            assert_ptr_equal(ge, se);
            assert_int_equal(errno, spl_errno);
        }
    assert_int_equal(spl_strtol("12", NULL, 10), 12); // end may be NULL
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct rec {
    unsigned key;
    char pad[13]; // odd element size
};
static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void qsort_sorts_like_glibc(void **state) {
    unsigned seed = 12345;
    for (size_t n = 0; n < 300; n += 7) {
        int a[300], b[300];
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = b[i] = (int)(seed >> 16) % 50 - 25; // many duplicates
        }
        spl_qsort(a, n, sizeof *a, cmp_int);
        qsort(b, n, sizeof *b, cmp_int);
        assert_memory_equal(a, b, n * sizeof *a);
    }
    struct rec r[64];
    for (unsigned i = 0; i < 64; i++) {
        r[i].key = (i * 37) % 64;
        memset(r[i].pad, (int)r[i].key, sizeof r[i].pad);
    }
    spl_qsort(r, 64, sizeof *r, cmp_rec);
    for (unsigned i = 0; i < 64; i++) {
        assert_int_equal(r[i].key, i);
        assert_int_equal((unsigned char)r[i].pad[12], i); // payload moved with its key
    }
}

RUN_TESTS(cmocka_unit_test(memmove_matches_reference_at_every_overlap),
          cmocka_unit_test(memcpy_and_memset_touch_exactly_n_bytes),
          cmocka_unit_test(comparisons_and_searches_match_glibc),
          cmocka_unit_test(strcpy_and_strncpy_pad_as_the_standard_says),
          cmocka_unit_test(ctype_matches_glibc_c_locale),
          cmocka_unit_test(strtol_family_matches_glibc_with_errno_and_end),
          cmocka_unit_test(qsort_sorts_like_glibc))
