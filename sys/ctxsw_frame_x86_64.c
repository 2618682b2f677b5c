// The first frame of a goroutine's stack, for sys/ctxsw_x86_64.S (declared in
// sys/sys.h): the layout must match the pops there (r15 r14 r13 r12 rbx rbp, then
// ret). A sys machine file: built into the kernel and into the hosted library.
#include <stdint.h>
#include "sys/sys.h"

void *ctxsw_frame(void *top, void (*entry)(void)) {
    uintptr_t *sp = (uintptr_t *)((uintptr_t)top & ~(uintptr_t)15);
    *--sp = 0;                  // entry's return address: none
    *--sp = (uintptr_t)entry;   // popped by ret in ctxsw_switch
    for (int i = 0; i < 6; i++) // rbp rbx r12 r13 r14 r15
        *--sp = 0;
    return sp;
}
