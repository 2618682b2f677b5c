// sys_kernel: the console and fault-explainer half of sys.h for the kernel
// (time is in kernel/clock.c, the end of a run in kernel/panic.c, the page layer
// in kernel/sys_vm.c).
#include <stdarg.h>
#include <stdio.h>

#include "kernel/console.h"
#include "kernel/vmk.h"
#include "sys/sys.h"

static sys_fault_explainer_t explainer;
uint64_t kernel_ram_bytes; // free frames when the kernel finished booting (kmain)

uint64_t sys_ram_bytes(void) { return kernel_ram_bytes; }

void sys_write(const char *buf, size_t len) { console_write(buf, len); }

int sys_getc(void) { return console_getc(); }

// Formats into a stack buffer; output beyond 2 KiB is cut (and says so).
int sys_printf(const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    if ((size_t)n >= sizeof buf) {
        console_write(buf, sizeof buf - 1);
        console_write("...[cut]\n", 9);
    } else {
        console_write(buf, (size_t)n);
    }
    return n;
}

void sys_set_fault_explainer(sys_fault_explainer_t fn) { explainer = fn; }

// The explainer's message for addr, or NULL (kernel/vm_fault.c calls this).
const char *sys_kernel_explain_fault(uintptr_t addr) { return explainer ? explainer(addr) : NULL; }
