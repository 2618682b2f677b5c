// The machine's bit operations (sys/machine_x86_64.h) against their portable
// definitions: the highest set bit is 63 - clz, clearing bit k is an and with its
// complement, for every single bit and for mixed words.
#include "tests/unit/test.h"
#include "sys/sys.h"

// Words with bits at both ends, alternating bits, one bit below the top, all bits.
static const uint64_t mixed[] = {1, 3, 0x8000000000000001ull, 0xaaaaaaaaaaaaaaaaull,
                                 0x5555555555555555ull, 0x4000000000000000ull, ~0ull,
                                 0x123456789abcdef0ull};

static void highest_bit_is_63_minus_clz(void **state) {
    (void)state;
    for (unsigned k = 0; k < 64; k++)
        assert_int_equal(sys_highest_bit(1ull << k), k);
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++)
        assert_int_equal(sys_highest_bit(mixed[i]), 63 - (unsigned)__builtin_clzll(mixed[i]));
}

static void clear_bit_clears_only_bit_k(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++)
        for (unsigned k = 0; k < 64; k++)
            assert_int_equal(sys_clear_bit(mixed[i], k), mixed[i] & ~(1ull << k));
}

RUN_TESTS(cmocka_unit_test(highest_bit_is_63_minus_clz),
          cmocka_unit_test(clear_bit_clears_only_bit_k))
