// Runs a function that must panic (sys_panic: misuse and broken invariants fail
// loudly) and catches the panic through the panic hook, so a unit test can check
// that it happened and what it said. One catch at a time; not reentrant.
#ifndef SPANLAB_TEST_PANICS_H
#define SPANLAB_TEST_PANICS_H

#include <setjmp.h>
#include <stdio.h>
#include "sys/sys.h"

static jmp_buf panics_jump;
static char panics_text[256];

static void panics_catch(const char *msg) {
    snprintf(panics_text, sizeof panics_text, "%s", msg);
    longjmp(panics_jump, 1);
}

// Runs fn; returns the message of the panic it raised, or NULL when it did not panic.
__attribute__((unused)) static const char *panics(void (*fn)(void)) {
    sys_panic_hook_t old = sys_set_panic_hook(panics_catch);
    panics_text[0] = 0;
    if (setjmp(panics_jump) == 0) {
        fn();
        sys_set_panic_hook(old);
        return NULL;
    }
    sys_set_panic_hook(old);
    return panics_text;
}

#endif
