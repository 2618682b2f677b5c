// Helpers shared by the unit tests of golib/ (the models of Go's library): the core's
// fresh runtime per test and panic catcher (rt_test_util.h), every module's header,
// and hex decoding of the Go 1.19 reference programs' output.
#ifndef SPANLAB_GOLIB_TEST_UTIL_H
#define SPANLAB_GOLIB_TEST_UTIL_H

#include "tests/unit/rt_test_util.h"
#include "golib/buffer.h"
#include "golib/defer.h"
#include "golib/fmt.h"
#include "golib/iface.h"
#include "golib/json.h"
#include "golib/map.h"
#include "golib/opcount.h"
#include "golib/pprof.h"
#include "golib/slice.h"
#include "golib/str.h"

#define GOLIB_TEST(f) RT_TEST(f)

// Decodes hex text (up to a space, a newline or the end) into out; returns the byte
// count (the Go reference programs print their results in hex).
static inline size_t unhex(const char *h, char *out, size_t cap) {
    size_t n = 0;
    for (; h[0] && h[1] && h[0] != ' ' && h[0] != '\n' && n < cap; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (char)v;
    }
    return n;
}

#endif
