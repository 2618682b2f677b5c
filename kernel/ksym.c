// ksym: address -> "function+offset" for backtraces and exception reports, from
// the symbol table tools/mksyms.sh generates and the build links into .ksyms
// (kernel/kernel.mk links twice: the second link carries the first link's table,
// and the build checks that no text symbol moved between the two).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "sys/sys.h"

struct ksym {
    uint64_t addr;
    const char *name;
};

extern const uint64_t ksym_count;
extern const struct ksym ksym_table[];
extern const char __text_start[], __text_end[];

// Returns the index of the last symbol at or below addr, or -1.
static long ksym_find(uint64_t addr) {
    long lo = 0, hi = (long)ksym_count - 1, best = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (ksym_table[mid].addr <= addr) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

// Writes "name+0xoff" (see kernel.h); false and "?" outside the kernel's text.
bool ksym_format(uint64_t addr, char *buf, unsigned long len) {
    long i = -1;
    if (addr >= (uint64_t)(uintptr_t)__text_start && addr < (uint64_t)(uintptr_t)__text_end)
        i = ksym_find(addr);
    if (i < 0) {
        snprintf(buf, len, "?");
        return false;
    }
    snprintf(buf, len, "%s+0x%lx", ksym_table[i].name, (unsigned long)(addr - ksym_table[i].addr));
    return true;
}

// sys.h: the name of the function holding pc, without the offset.
bool sys_symbolize(uintptr_t pc, char *buf, size_t len) {
    if (!ksym_format(pc, buf, len))
        return false;
    char *plus = strstr(buf, "+0x");
    if (plus)
        *plus = 0;
    return true;
}
