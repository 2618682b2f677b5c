// endrun: the end of a run without quit=1. The prompt waits for p (power off)
// or r (reboot) on serial and the keyboard, and counts down aftertimeout
// seconds; when nobody answers, afterrun= decides (poweroff by default, so a PC
// whose keyboard the kernel cannot read - no PS/2, no USB legacy emulation -
// still ends by itself). Any other key stops the countdown: someone is there.
#include "kernel/clock.h"
#include "kernel/clock_pick.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "sys/options.h"

enum { AFTER_POWEROFF = 0, AFTER_REBOOT, AFTER_WAIT }; // the afterrun= option's index
#define GUESS_TSC_HZ 2000000000ull // when the clock was never calibrated

// TSC counts per second: calibrated, else stated by CPUID, else a guess.
// *exact is false for a guess (the countdown then says "about").
static uint64_t tsc_rate(bool *exact) {
    *exact = true;
    if (clock_tsc_hz())
        return clock_tsc_hz();
    const cpu_info_t *ci = cpu_info();
    const char *leaf;
    uint64_t hz = clock_cpuid_tsc_hz(ci->max_leaf, ci->l15, ci->l16, &leaf);
    if (hz)
        return hz;
    *exact = false;
    return GUESS_TSC_HZ;
}

// True when the countdown should print the number of seconds left.
static bool announce(uint64_t left) { return left <= 5 || left % 10 == 0; }

// Acts on a key: p powers off, r reboots; returns for any other key.
static void act_on(int c) {
    if (c == 'p' || c == 'P') {
        kprintf("powering off\n");
        kernel_poweroff();
    }
    if (c == 'r' || c == 'R') {
        kprintf("rebooting\n");
        kernel_reboot();
    }
}

// Waits a moment for input without burning the CPU: hlt when the timer wakes
// us, a pause otherwise (interrupts off after a fault).
static void idle(void) {
    if (read_rflags_if())
        hlt();
    else
        cpu_relax();
}

_Noreturn void kernel_end_prompt(void) {
    int64_t action = opt_int("afterrun");
    uint64_t secs = (uint64_t)opt_int("aftertimeout"), left = secs;
    bool exact, counting = action != AFTER_WAIT;
    uint64_t hz = tsc_rate(&exact), start = rdtsc();
    const char *what = action == AFTER_REBOOT ? "rebooting" : "powering off";
    kprintf("press p to power off, r to reboot\n");
    if (counting)
        kprintf("%s in %s%lu s if no key is pressed (afterrun=%s aftertimeout=%lu; any other "
                "key waits)\n", what, exact ? "" : "about ", (unsigned long)secs,
                opt_str("afterrun"), (unsigned long)secs);
    for (;;) {
        int c = console_getc();
        if (c >= 0) {
            act_on(c);
            if (counting)
                kprintf("countdown stopped: waiting for p or r\n");
            counting = false;
        }
        uint64_t gone = (rdtsc() - start) / hz;
        if (counting && gone >= secs) {
            kprintf("no key pressed: %s (afterrun=%s)\n", what, opt_str("afterrun"));
            if (action == AFTER_REBOOT)
                kernel_reboot();
            kernel_poweroff();
        }
        if (counting && secs - gone < left) {
            left = secs - gone;
            if (announce(left))
                kprintf("%s in %lu s\n", what, (unsigned long)left);
        }
        idle();
    }
}
