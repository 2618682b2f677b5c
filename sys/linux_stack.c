// The hosted sys's stack top (sys/sys.h sys_stack_top): main()'s own frame on the
// thread that runs the program (sys/linux_main.c records it), else the top of the
// calling thread's stack as pthread knows it (test programs with a main of their own).
#define _GNU_SOURCE // pthread_getattr_np
#include <pthread.h>

#include "sys/linux_internal.h"
#include "sys/sys.h"

static __thread const void *thread_top; // this thread's answer, once known

// Called by main() before anything else runs: its own frame is the top.
void lx_set_main_stack_top(const void *top) { thread_top = top; }

// See sys.h.
const void *sys_stack_top(void) {
    if (thread_top)
        return thread_top;
    pthread_attr_t attr;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        sys_panic("sys_stack_top: cannot find the thread's stack (pthread_getattr_np)");
    pthread_attr_getstack(&attr, &lo, &size);
    pthread_attr_destroy(&attr);
    thread_top = (const char *)lo + size;
    return thread_top;
}
