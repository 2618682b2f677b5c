// panic: how a run ends. sys_panic prints the message and a backtrace; failures
// exit QEMU with status 35 under quit=1 (and always before the command line is
// parsed, so an early crash still ends a CI run); a finished run without quit=1
// goes to the end-of-run prompt (kernel/endrun.c). abort() (libc) lands here too.
// sys_panic first offers the panic to a hook (the scenario runner ends just the
// variant that panicked, by longjmp).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "sys/sys.h"

bool kernel_options_ready; // set by kmain after opt_parse
bool kernel_quit_flag;

// True when the run must end through QEMU's exit device (see kernel.h).
bool kernel_quit(void) { return !kernel_options_ready || kernel_quit_flag; }

// Writes the isa-debug-exit value; QEMU exits with (value << 1) | 1.
void qemu_exit(uint8_t value) { outb(0xf4, value); }

// Prints one line per frame: return address and symbol, following saved rbp.
void kbacktrace(uint64_t rip, uint64_t rbp) {
    char sym[128];
    kprintf("backtrace:\n");
    ksym_format(rip, sym, sizeof sym);
    kprintf("  #0  0x%016lx %s\n", (unsigned long)rip, sym);
    for (int depth = 1; depth < 32 && rbp != 0; depth++) {
        if ((rbp & 7) || !pt_readable(rbp) || !pt_readable(rbp + 8)) {
            kprintf("  (frame pointer 0x%lx is not readable: backtrace ends)\n",
                    (unsigned long)rbp);
            return;
        }
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];
        if (ret == 0)
            return;
        ksym_format(ret, sym, sizeof sym);
        kprintf("  #%-2d 0x%016lx %s\n", depth, (unsigned long)ret, sym);
        rbp = frame[0]; // may jump between stacks (IST -> interrupted stack)
    }
}

// Ends the run (see kernel.h): QEMU exit status and power off with quit=1,
// otherwise the prompt.
_Noreturn void kernel_finish(bool success) {
    if (kernel_quit()) {
        qemu_exit(success ? 16 : 17);
        kernel_poweroff(); // not under QEMU: power off as quit=1 asks
    }
    kprintf("run ended: %s\n", success ? "success" : "FAILURE");
    kernel_end_prompt();
}

// Ends the run as a failure (see kernel.h).
_Noreturn void kernel_fail(void) { kernel_finish(false); }

// sys.h: ends the run.
_Noreturn void sys_exit(bool success) { kernel_finish(success); }

static int panicking;
static bool in_hook; // the hook runs; cleared when the runner installs a hook again
static sys_panic_hook_t panic_hook;
static char panic_msg[512]; // static: the hook may fault while reading it

// sys.h: installs the hook sys_panic offers the panic to; returns the old one.
sys_panic_hook_t sys_set_panic_hook(sys_panic_hook_t fn) {
    sys_panic_hook_t old = panic_hook;
    panic_hook = fn;
    in_hook = false; // the hook that ran (and longjmp'd) is done
    return old;
}

// Calls fn(arg) with rsp = stack (kernel/vectors.S).
void trap_call_on_stack(void (*fn)(const char *), const char *arg, uint64_t stack);

// Runs the panic hook (it may longjmp out). A panic raised inside the page-fault
// handler (out of memory) runs on the fault's IST stack: the hook is moved to the
// interrupted stack first, so a fault inside the hook cannot overwrite it.
static void run_hook(void) {
    sys_panic_hook_t hook = panic_hook;
    struct trap_frame *pf = trap_pf_frame;
    trap_pf_frame = NULL;
    panicking = 0;
    in_hook = true;
    sti(); // the hook resumes normal code (the runner), which expects interrupts
    if (pf)
        trap_call_on_stack(hook, panic_msg, (pf->rsp - 256) & ~15ull);
    else
        hook(panic_msg);
    cli();
}

// sys.h: prints "panic: msg" and a backtrace, offers the panic to the hook,
// then ends the run as a failure. A panic inside a panic exits at once.
_Noreturn void sys_panic(const char *fmt, ...) {
    cli();
    if (panicking++) {
        kprintf("\npanic while panicking: %s\n", fmt);
        qemu_exit(17);
        for (;;)
            hlt();
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof panic_msg, fmt, ap);
    va_end(ap);
    kprintf("\npanic: %s\n", panic_msg);
    const uint64_t *fp = (const uint64_t *)(uintptr_t)read_rbp(); // our frame
    kbacktrace(fp[1], fp[0]);
    if (panic_hook && !in_hook) // a panic inside the hook ends the run
        run_hook(); // returns only when the hook did not take over
    kernel_fail();
}

// libc's abort: a panic.
_Noreturn void abort(void) { sys_panic("abort() called"); }
