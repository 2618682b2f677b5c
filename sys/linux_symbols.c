// The hosted sys's symbolizer (sys/sys.h sys_symbolize): names a return address from
// the dynamic symbol table with dladdr (exported symbols only; link with -rdynamic
// for more).
#define _GNU_SOURCE // dladdr
#include <dlfcn.h>
#include <stdio.h>

#include "sys/sys.h"

// See sys.h.
bool sys_symbolize(uintptr_t pc, char *buf, size_t len) {
    Dl_info info;
    if (dladdr((void *)pc, &info) && info.dli_sname) {
        snprintf(buf, len, "%s", info.dli_sname);
        return true;
    }
    return false;
}
