// The hosted sys: clock, console, timer tick, idle, exit and panic on Linux.
//
// The tick is setitimer(ITIMER_REAL) delivering SIGALRM (SA_RESTART, so most
// system calls elsewhere resume instead of failing with EINTR; sleeps and
// sigsuspend still return early), handled on the alternate signal stack
// (SA_ONSTACK): the signal frame, a few KiB, would otherwise land below a
// goroutine's stack pointer and make a page of its stack resident or not as the
// signal happens to fall, changing resident_pages from run to run. The default period is 1 ms. Console output goes
// to fd 1 with write(2) (a failed write is said on fd 2 and fails the run at
// sys_exit); input is polled from fd 0 without blocking.
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sys/linux_internal.h"
#include "sys/sys.h"

#define DEFAULT_TICK_NS 1000000ull // 1 ms, the kernel's LAPIC tick too

static uint64_t start_ns;
static void (*volatile tick_fn)(void);
static uint64_t tick_ns = DEFAULT_TICK_NS;

// Raw CLOCK_MONOTONIC in nanoseconds.
static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

__attribute__((constructor)) static void lx_start_clock(void) {
    start_ns = mono_ns();
}

uint64_t sys_nanotime(void) {
    return mono_ns() - start_ns;
}

// ---- console -----------------------------------------------------------------

static volatile int write_errno; // the first error writing fd 1; sys_exit then fails

// Remembers the first failed write to fd 1 and says so on stderr (stdout is what
// failed): a report that did not reach its reader must not end as a success.
static void write_failed(int err) {
    if (write_errno)
        return;
    write_errno = err;
    char msg[160];
    int n = snprintf(msg, sizeof msg, "spanlab: writing the output failed: %s; the run fails\n",
                     strerror(err));
    if (n > 0)
        (void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

void sys_write(const char *buf, size_t len) {
    while (len) {
        ssize_t n = write(1, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            write_failed(errno);
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

int sys_getc(void) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
        return -1;
    unsigned char c;
    return read(0, &c, 1) == 1 ? c : -1;
}

int sys_printf(const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    if ((size_t)n < sizeof small) {
        sys_write(small, (size_t)n);
        return n;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sys_write(big, (size_t)n);
    free(big);
    return n;
}

// Async-signal-safe pieces for the fault and panic paths.
void lx_write_str(const char *s) {
    sys_write(s, strlen(s));
}

void lx_write_hex(uintptr_t v) {
    char b[19] = "0x";
    for (int i = 0; i < 16; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    sys_write(b, 18);
}

void lx_write_dec(uint64_t v) {
    char b[21];
    int i = 20;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sys_write(b + i, (size_t)(20 - i));
}

void lx_backtrace(void) {
    void *pcs[48];
    int n = backtrace(pcs, 48);
    lx_write_str("backtrace:\n");
    backtrace_symbols_fd(pcs, n, 1);
}

// ---- tick and idle -------------------------------------------------------------

static void on_alarm(int sig) {
    int saved = errno;
    void (*fn)(void) = tick_fn;
    if (fn)
        fn();
    errno = saved;
}

// Installs fn on a periodic SIGALRM. *period_ns in: wanted period (0 = 1 ms);
// out: the period in effect. period_ns may be NULL (1 ms); fn NULL stops the tick.
void sys_set_tick_handler(void (*fn)(void), uint64_t *period_ns) {
    uint64_t ns = period_ns && *period_ns ? *period_ns : DEFAULT_TICK_NS;
    if (ns < 10000)
        ns = 10000; // 10 us: below this a host tick is all signal overhead
    if (period_ns)
        *period_ns = ns;
    struct itimerval it = {0};
    if (!fn) {
        setitimer(ITIMER_REAL, &it, NULL);
        tick_fn = NULL;
        return;
    }
    tick_fn = fn;
    tick_ns = ns;
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    lx_ensure_alt_stack();
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    it.it_interval.tv_sec = (time_t)(ns / 1000000000ull);
    it.it_interval.tv_usec = (suseconds_t)(ns % 1000000000ull / 1000);
    it.it_value = it.it_interval;
    setitimer(ITIMER_REAL, &it, NULL);
}

// With a tick installed, waits for the next signal (the tick, at most one period);
// without one, sleeps one default period.
void sys_idle(void) {
    if (tick_fn) {
        sigset_t mask;
        sigprocmask(SIG_BLOCK, NULL, &mask);
        sigdelset(&mask, SIGALRM);
        sigsuspend(&mask);
        return;
    }
    struct timespec ts = {0, (long)tick_ns};
    nanosleep(&ts, NULL);
}

// ---- end of run ----------------------------------------------------------------

_Noreturn void sys_exit(bool success) {
    fflush(NULL);
    exit(success && !write_errno ? 0 : 1);
}

static sys_panic_hook_t panic_hook;

sys_panic_hook_t sys_set_panic_hook(sys_panic_hook_t fn) {
    sys_panic_hook_t old = panic_hook;
    panic_hook = fn;
    return old;
}

uint64_t sys_ram_bytes(void) {
    long pages = sysconf(_SC_PHYS_PAGES);
    return pages > 0 ? (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

_Noreturn void sys_panic(const char *fmt, ...) {
    static volatile int panicking;
    fflush(NULL);
    if (panicking++) {
        lx_write_str("panic: (recursive panic)\n");
        _exit(1);
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lx_write_str("panic: ");
    lx_write_str(msg);
    lx_write_str("\n");
    lx_backtrace();
    if (panic_hook) {
        sys_panic_hook_t hook = panic_hook;
        panicking = 0;
        hook(msg); // may longjmp out: the scenario runner ends the variant
    }
    _exit(1);
}
