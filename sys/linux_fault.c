// The hosted fault diagnostic: a SIGSEGV/SIGBUS handler on an alternate signal
// stack. A fault inside a reserved range (or one the explainer recognises) prints
// the address, the access, the range and the page's state, the explainer's message
// and a backtrace, then exits with status 1. Any other fault is not ours: the
// previous handler (ASan's, or the default) is put back and the access retried.
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "sys/linux_internal.h"
#include "sys/sys.h"

#define ALT_STACK_SIZE (64 * 1024)

static sys_fault_explainer_t explainer;
static struct sigaction old_segv, old_bus;
static char alt_stack[ALT_STACK_SIZE] __attribute__((aligned(16)));

void sys_set_fault_explainer(sys_fault_explainer_t fn) {
    explainer = fn;
    lx_fault_install();
}

// Prints the diagnostic for a fault at addr and exits 1.
static _Noreturn void report(int sig, uintptr_t addr, const ucontext_t *uc,
                             const lx_range_t *r, const char *why) {
    uint64_t err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    lx_write_str(sig == SIGBUS ? "\nfault: SIGBUS, " : "\nfault: SIGSEGV, ");
    lx_write_str(err & 2 ? "write at " : "read at ");
    lx_write_hex(addr);
    lx_write_str(" rip ");
    lx_write_hex((uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);
    lx_write_str("\n");
    if (r) {
        size_t page = (addr - r->base) / SYS_PAGE_SIZE;
        lx_write_str("fault: in range ");
        lx_write_str(r->name);
        lx_write_str(" [");
        lx_write_hex(r->base);
        lx_write_str(", ");
        lx_write_hex(r->base + r->npages * SYS_PAGE_SIZE);
        lx_write_str(") page ");
        lx_write_dec(page);
        lx_write_str(" of ");
        lx_write_dec(r->npages);
        lx_write_str(", state ");
        lx_write_str(lx_state_name(lx_page_state(r, page)));
        lx_write_str(r->map[page] == LX_LAZY        ? " (released with free)\n"
                     : r->map[page] == LX_RESERVED ? " (not committed)\n"
                                                   : " (committed: not a page-state fault)\n");
    } else {
        lx_write_str("fault: not in any reserved range\n");
    }
    if (why) {
        lx_write_str("fault: ");
        lx_write_str(why);
        lx_write_str("\n");
    }
    lx_backtrace();
    _exit(1);
}

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    uintptr_t addr = (uintptr_t)si->si_addr;
    const lx_range_t *r = lx_find(addr);
    sys_fault_explainer_t fn = explainer;
    const char *why = fn ? fn(addr) : NULL;
    if (r || why)
        report(sig, addr, ctx, r, why);
    // Not ours: restore whoever handled it before and let the access fault again.
    sigaction(sig, sig == SIGBUS ? &old_bus : &old_segv, NULL);
}

// See linux_internal.h.
void lx_ensure_alt_stack(void) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
        return;
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
}

// Installs on_fault unless it is already SIGSEGV's handler (test harnesses such as
// cmocka swap their own in and out around each test, so a flag would go stale).
void lx_fault_install(void) {
    struct sigaction cur;
    if (sigaction(SIGSEGV, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
        cur.sa_sigaction == on_fault)
        return;
    lx_ensure_alt_stack();
    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
}
