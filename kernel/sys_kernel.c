// sys_kernel: the console, stack-top and fault-explainer part of sys.h for the kernel
// (sys_printf is in kernel/sys_printf.c, time is in kernel/clock.c, the end of a run in kernel/panic.c, the page layer
// in kernel/sys_vm.c).
#include "kernel/console.h"
#include "kernel/vmk.h"
#include "sys/sys.h"

static sys_fault_explainer_t explainer;
uint64_t kernel_ram_bytes; // free frames when the kernel finished booting (kmain)

// sys.h: free memory when the kernel finished booting.
uint64_t sys_ram_bytes(void) { return kernel_ram_bytes; }

// sys.h: the boot stack kmain runs on (kernel/entry.S).
const void *sys_stack_top(void) {
    extern const char kstack_top[];
    return kstack_top;
}

// sys.h: serial and screen.
void sys_write(const char *buf, size_t len) { console_write(buf, len); }

// sys.h: serial, then keyboard; -1 when nothing waits.
int sys_getc(void) { return console_getc(); }

// sys.h: rt's function naming what a faulting address belongs to.
void sys_set_fault_explainer(sys_fault_explainer_t fn) { explainer = fn; }

// The explainer's message for addr, or NULL (kernel/vm_fault.c calls this).
const char *sys_kernel_explain_fault(uintptr_t addr) { return explainer ? explainer(addr) : NULL; }
