// clock: LAPIC timer ticks and the TSC nanosecond clock, calibrated against a
// reference (see clock.h). The references are probed first (kernel/clock_ref.c);
// clock_pick chooses one to calibrate against and a second to check it with.
// Calibration runs three 30 ms windows and keeps the median, because a TCG vCPU
// can be descheduled in the middle of one window; a reference that stops
// counting mid-window is dropped and the next one is used. sys_nanotime =
// (rdtsc - tsc0) * ns_per_tsc, in 32.32 fixed point.
#include "kernel/clock.h"

#include "kernel/clock_ref.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lapic.h"
#include "kernel/trap.h"
#include "sys/options.h"
#include "sys/sys.h"

#define CAL_RUNS 3
#define CAL_NS 30000000ull
#define WINDOW_READS_MAX 50000000u // a 30 ms window takes ~10^5 reads; a stuck counter stops here

static volatile uint64_t ticks, interrupts;
static uint64_t tsc_per_tick;
static uint64_t tsc0, tsc_hz, lapic_hz, ns_per_tsc_q32, spread_ppm;
static void (*tick_fn)(void);
static clock_ref_facts_t facts;
static clock_ref_kind_t primary = CLOCK_REF_NONE, secondary = CLOCK_REF_NONE;
static bool forced_missing, checked;
static int64_t check_ppm;  // the secondary's TSC rate against tsc_hz
static clock_counter_t ref; // the reference clock_ref_ns reads

// The reference clock in nanoseconds since clock_init (see clock.h).
uint64_t clock_ref_ns(void) {
    uint64_t r = clock_counter_now(&ref);
    return r / ref.hz * 1000000000u + r % ref.hz * 1000000000u / ref.hz;
}

// One calibration window on counter c: TSC and LAPIC counts per second of the
// reference's time. False when the reference stopped counting.
static bool calibrate_once(clock_counter_t *c, uint64_t *tsc_rate, uint64_t *lapic_rate) {
    lapic_write(LAPIC_TIMER_DIV, 0x3); // divide by 16
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
    uint64_t want = CAL_NS * c->hz / 1000000000u;
    uint64_t r0 = clock_counter_now(c), t0 = rdtsc();
    uint32_t l0 = lapic_read(LAPIC_TIMER_CUR);
    uint64_t r1;
    uint32_t reads = 0;
    while ((r1 = clock_counter_now(c)) - r0 < want)
        if (++reads > WINDOW_READS_MAX)
            return false;
    uint64_t t1 = rdtsc();
    uint32_t l1 = lapic_read(LAPIC_TIMER_CUR);
    uint64_t dr = r1 - r0;
    *tsc_rate = (t1 - t0) * c->hz / dr;
    *lapic_rate = (uint64_t)(l0 - l1) * c->hz / dr;
    return true;
}

// Sorts the calibration samples (CAL_RUNS of them) in place.
static void sort3(uint64_t *v) {
    for (int i = 0; i < CAL_RUNS; i++)
        for (int j = i + 1; j < CAL_RUNS; j++)
            if (v[j] < v[i]) {
                uint64_t t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
}

// CAL_RUNS windows against reference k; the medians in *tsc_rate, *lapic_rate
// and the TSC spread in *spread. False when the reference stopped counting.
static bool calibrate(clock_ref_kind_t k, uint64_t *tsc_rate, uint64_t *lapic_rate,
                      uint64_t *spread) {
    clock_counter_t c;
    uint64_t tr[CAL_RUNS], lr[CAL_RUNS];
    clock_counter_start(&c, k);
    for (int i = 0; i < CAL_RUNS; i++)
        if (!calibrate_once(&c, &tr[i], &lr[i]))
            return false;
    sort3(tr);
    sort3(lr);
    *tsc_rate = tr[CAL_RUNS / 2];
    *lapic_rate = lr[CAL_RUNS / 2];
    *spread = *tsc_rate ? (tr[CAL_RUNS - 1] - tr[0]) * 1000000u / *tsc_rate : 0;
    return true;
}

// Picks a reference and calibrates against it; one that stops counting is
// dropped and the pick repeats. Stops the run when none is left.
static void calibrate_with_best(void) {
    int forced = (int)opt_int("clockref") - 1; // auto -> CLOCK_REF_AUTO
    for (;;) {
        if (!clock_pick(&facts.refs, forced, &primary, &secondary, &forced_missing)) {
            kprintf("clock: no reference clock to calibrate against (ACPI PM timer: %s; "
                    "HPET: %s; CPUID: %s; PIT: %s): stopping\n",
                    facts.why_absent[0], facts.why_absent[1], facts.why_absent[2],
                    facts.why_absent[3]);
            kernel_fail();
        }
        if (calibrate(primary, &tsc_hz, &lapic_hz, &spread_ppm))
            return;
        kprintf("clock: the %s stopped counting during calibration; trying the next one\n",
                clock_ref_name(primary));
        facts.refs.present[primary] = false;
        facts.why_absent[primary] = "stopped counting during calibration";
    }
}

// Measures the TSC against the secondary reference: how far it agrees.
static void check_against_secondary(void) {
    uint64_t tsc2, lapic2, spread2;
    if (secondary == CLOCK_REF_NONE)
        return;
    checked = calibrate(secondary, &tsc2, &lapic2, &spread2);
    check_ppm = clock_ppm(tsc_hz, tsc2);
}

// The references, calibration, periodic ticks (see clock.h).
// Panics when the calibration is implausible.
void clock_init(void) {
    clock_refs_probe(&facts);
    calibrate_with_best();
    check_against_secondary();
    if (tsc_hz == 0 || lapic_hz < CLOCK_HZ)
        sys_panic("clock: calibration failed (TSC %llu Hz, LAPIC %llu Hz)",
                  (unsigned long long)tsc_hz, (unsigned long long)lapic_hz);
    ns_per_tsc_q32 = (1000000000ull << 32) / tsc_hz; // < 2^63: no 128-bit division
    tsc_per_tick = tsc_hz / CLOCK_HZ;
    // clock_ref_ns: a counter independent of the TSC when there is one.
    clock_counter_start(&ref, primary == CLOCK_REF_CPUID && secondary != CLOCK_REF_NONE
                                  ? secondary : primary);
    clock_counter_watch(&ref, tsc_hz);
    tsc0 = rdtsc();
    lapic_write(LAPIC_TIMER_DIV, 0x3);
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)(lapic_hz / CLOCK_HZ));
}

// The timer interrupt: count, call the registered handler, acknowledge. The tick
// count follows the TSC, so an interrupt the host coalesced with the next (a TCG
// vCPU descheduled for longer than a tick) loses no tick; interrupts counts the
// interrupts really taken.
void lapic_timer_interrupt(void) {
    uint64_t due = (rdtsc() - tsc0) / tsc_per_tick;
    interrupts++;
    if (due > ticks)
        ticks = due;
    if (tick_fn)
        tick_fn();
    lapic_write(LAPIC_EOI, 0);
}

// Accessors: see clock.h.
uint64_t clock_ticks(void) { return ticks; }
uint64_t clock_interrupts(void) { return interrupts; }
uint64_t clock_tsc_hz(void) { return tsc_hz; }
uint64_t clock_lapic_hz(void) { return lapic_hz; }
uint64_t clock_spread_ppm(void) { return spread_ppm; }
const char *clock_reference(void) { return clock_ref_name(ref.kind); }
const clock_ref_facts_t *clock_facts(void) { return &facts; }
bool clock_independent_ref(void) { return ref.kind != CLOCK_REF_CPUID; }
uint64_t clock_ref_gaps(void) { return ref.gaps; }

// The banner's timer line: the rates, the reference used, the second opinion.
void clock_print(void) {
    kprintf("timer: TSC %lu.%03lu MHz, LAPIC timer %lu.%03lu MHz (/16) -> %u Hz ticks, "
            "calibrated against the %s (median of %d x %llu ms, spread %lu ppm)",
            (unsigned long)(tsc_hz / 1000000), (unsigned long)(tsc_hz / 1000 % 1000),
            (unsigned long)(lapic_hz / 1000000), (unsigned long)(lapic_hz / 1000 % 1000),
            CLOCK_HZ, clock_ref_name(primary), CAL_RUNS, (unsigned long long)(CAL_NS / 1000000),
            (unsigned long)spread_ppm);
    if (checked)
        kprintf("; checked against the %s: %+ld ppm\n", clock_ref_name(secondary),
                (long)check_ppm);
    else
        kprintf("; %s\n", secondary == CLOCK_REF_NONE ? "no second reference to check it"
                                                     : "the second reference stopped counting");
    if (forced_missing)
        kprintf("timer: clockref=%s asked for a reference this machine does not have (%s)\n",
                opt_str("clockref"),
                facts.why_absent[opt_int("clockref") - 1]);
    if (!cpu_has(CPU_INVARIANT_TSC))
        kprintf("timer: the CPU does not report an invariant TSC (CPUID.80000007h:EDX bit 8): "
                "times drift if it changes its clock\n");
}

// sys.h: nanoseconds since clock_init from the TSC (0 before calibration).
uint64_t sys_nanotime(void) {
    if (!tsc_hz)
        return 0;
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc0) * ns_per_tsc_q32) >> 32);
}

// sys.h: the TSC.
uint64_t sys_cycles(void) { return rdtsc(); }

// sys.h: fn runs in every timer interrupt; the period is 1/CLOCK_HZ.
void sys_set_tick_handler(void (*fn)(void), uint64_t *period_ns) {
    tick_fn = fn;
    if (period_ns)
        *period_ns = 1000000000u / CLOCK_HZ;
}

// sys.h: enables interrupts and halts until the next one (at most a tick).
void sys_idle(void) { sti_hlt(); }
