// The loader's choice of a GOP mode from the gop= word, kept free of UEFI so a
// host test can run it (tests/unit/gop_pick_test.c): plain C types only, the
// mode list as boot/bootinfo.h carries it.
//   gop=keep (or no gop= word)  the mode the firmware set (usually the panel's own)
//   gop=WxH                     that exact mode, when the GOP lists it
//   gop=max                     the largest mode by area (first of equals)
// A mode the kernel cannot draw on (Blt-only) is never picked.
#ifndef SPANLAB_BOOT_GOP_PICK_H
#define SPANLAB_BOOT_GOP_PICK_H

#include "boot/bootinfo.h"

// Returns the index of the mode to set, or -1 to keep the current one; *why
// gets a message for the loader to print (never NULL). want is the value of
// gop= (may be NULL or empty); modes has n entries.
int boot_gop_pick(const char *want, const struct boot_gop_mode *modes, int n, const char **why);

#endif
