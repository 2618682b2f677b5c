// The loader's GOP mode choice (boot/gop_pick.c) from gop=keep|WxH|max, over a
// mode list like OVMF's with a large VGA memory: exact matches, the largest
// mode, Blt-only modes never picked, malformed values reported.
#include "tests/unit/test.h"

#include "boot/gop_pick.h"

static const struct boot_gop_mode modes[] = {
    {1280, 800, BOOT_FB_BGRX}, {640, 480, BOOT_FB_BGRX},   {800, 600, BOOT_FB_BGRX},
    {1920, 1080, BOOT_FB_BGRX}, {4096, 2160, BOOT_FB_NONE}, {3840, 2160, BOOT_FB_BGRX},
};
#define N ((int)(sizeof modes / sizeof modes[0]))

static void gop_keeps_the_firmware_mode_by_default(void **state) {
    const char *why = NULL;
    assert_int_equal(boot_gop_pick(NULL, modes, N, &why), -1);
    assert_string_equal(why, "the firmware's mode");
    assert_int_equal(boot_gop_pick("", modes, N, &why), -1);
    assert_int_equal(boot_gop_pick("keep run=3", modes, N, &why), -1); // value ends at a space
}

static void gop_picks_the_exact_mode_asked_for(void **state) {
    const char *why;
    assert_int_equal(boot_gop_pick("800x600", modes, N, &why), 2);
    assert_string_equal(why, "the mode gop= asks for");
    assert_int_equal(boot_gop_pick("3840x2160 quit=1", modes, N, &why), 5);
    assert_int_equal(boot_gop_pick("4096x2160", modes, N, &why), -1); // Blt only
    assert_non_null(strstr(why, "does not list"));
    assert_int_equal(boot_gop_pick("1024x768", modes, N, &why), -1);
}

static void gop_max_is_the_largest_drawable_mode(void **state) {
    const char *why;
    assert_int_equal(boot_gop_pick("max", modes, N, &why), 5); // not the Blt-only 4096
    assert_int_equal(boot_gop_pick("max", modes, 0, &why), -1);
    assert_non_null(strstr(why, "no mode"));
}

static void gop_malformed_values_are_reported(void **state) {
    const char *bad[] = {"800", "800x", "x600", "800x600x", "big", "0x600", "123456x600", "maxi"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why;
        assert_int_equal(boot_gop_pick(bad[i], modes, N, &why), -1);
        assert_non_null(strstr(why, "must be WIDTHxHEIGHT"));
    }
}

RUN_TESTS(cmocka_unit_test(gop_keeps_the_firmware_mode_by_default),
          cmocka_unit_test(gop_picks_the_exact_mode_asked_for),
          cmocka_unit_test(gop_max_is_the_largest_drawable_mode),
          cmocka_unit_test(gop_malformed_values_are_reported))
