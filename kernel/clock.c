// clock: LAPIC timer ticks and the TSC nanosecond clock, calibrated against a
// reference (see clock.h). Calibration runs three 30 ms windows and keeps the
// median, because a TCG vCPU can be descheduled in the middle of one window.
// sys_nanotime = (rdtsc - tsc0) * ns_per_tsc, in 32.32 fixed point.
#include "kernel/clock.h"

#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "sys/sys.h"

#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define LVT_NMI (4u << 8) // delivery mode NMI
#define PIT_HZ 1193182u
#define CAL_RUNS 3
#define CAL_NS 30000000ull

static volatile uint32_t *lapic;
static volatile uint64_t ticks, interrupts;
static uint64_t tsc_per_tick;
static uint64_t tsc0, tsc_hz, lapic_hz, ns_per_tsc_q32, spread_ppm;
static bool use_pm;
static uint64_t ref_hz, ref_total, ref_last;
static void (*tick_fn)(void);

static bool x2apic; // firmware left the LAPIC in x2APIC mode: MSRs, not MMIO

// LAPIC register access, MMIO (xAPIC) or MSR (x2APIC).
static uint32_t lapic_rd(uint32_t reg) {
    return x2apic ? (uint32_t)rdmsr(0x800 + reg / 16) : lapic[reg / 4];
}
static void lapic_wr(uint32_t reg, uint32_t v) {
    if (x2apic)
        wrmsr(0x800 + reg / 16, v);
    else
        lapic[reg / 4] = v;
}

// Reads the raw reference counter (PM timer counts up; PIT channel 2 counts down).
static uint32_t ref_raw(void) {
    if (use_pm)
        return acpi_pm_read();
    outb(0x43, 0x80); // latch channel 2
    uint32_t lo = inb(0x42), hi = inb(0x42);
    return (hi << 8) | lo;
}

// Returns reference counts since clock_init, folding in the counter's wraps.
static uint64_t ref_now(void) {
    uint32_t raw = ref_raw();
    uint64_t delta = use_pm ? ((raw - (uint32_t)ref_last) & acpi_pm_mask())
                            : (((uint32_t)ref_last - raw) & 0xffff);
    ref_last = raw;
    ref_total += delta;
    return ref_total;
}

// The reference clock in nanoseconds since clock_init (see clock.h).
uint64_t clock_ref_ns(void) {
    uint64_t r = ref_now();
    return r / ref_hz * 1000000000u + r % ref_hz * 1000000000u / ref_hz;
}

// Starts the reference: the PM timer if ACPI has one, else PIT channel 2 as a
// free-running rate generator (mode 2, reload 65536, gate on, speaker off).
static void ref_init(void) {
    use_pm = acpi_pm_init();
    if (use_pm) {
        ref_hz = ACPI_PM_HZ;
    } else {
        ref_hz = PIT_HZ;
        outb(0x61, (inb(0x61) & ~0x02) | 0x01);
        outb(0x43, 0xb4); // channel 2, lo/hi, mode 2, binary
        outb(0x42, 0);
        outb(0x42, 0);
    }
    ref_last = ref_raw();
    ref_total = 0;
}

// One calibration window: TSC and LAPIC counts per second of reference time.
static void calibrate_once(uint64_t *tsc_rate, uint64_t *lapic_rate) {
    lapic_wr(LAPIC_TIMER_DIV, 0x3); // divide by 16
    lapic_wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    lapic_wr(LAPIC_TIMER_INIT, 0xffffffffu);
    uint64_t want = CAL_NS * ref_hz / 1000000000u;
    uint64_t r0 = ref_now(), t0 = rdtsc();
    uint32_t l0 = lapic_rd(LAPIC_TIMER_CUR);
    uint64_t r1;
    while ((r1 = ref_now()) - r0 < want)
        cpu_relax();
    uint64_t t1 = rdtsc();
    uint32_t l1 = lapic_rd(LAPIC_TIMER_CUR);
    uint64_t dr = r1 - r0;
    *tsc_rate = (t1 - t0) * ref_hz / dr;
    *lapic_rate = (uint64_t)(l0 - l1) * ref_hz / dr;
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

// Remaps the 8259 PICs to vectors 0x20..0x2f and masks every line: the LAPIC
// delivers our only interrupt.
static void pic_disable(void) {
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

// PIC off, LAPIC on, calibration, periodic ticks (see clock.h). Panics when the
// calibration is implausible.
void clock_init(void) {
    pic_disable();
    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | (1u << 11)); // global enable
    x2apic = (base >> 10) & 1;
    lapic = pt_phys_to_virt(base & 0xffffff000ull);
    lapic_wr(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    lapic_wr(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_wr(LAPIC_LVT_LINT1, LVT_NMI); // the PC's NMI line: keep it, as NMI
    lapic_wr(LAPIC_LVT_ERROR, LVT_MASKED);
    ref_init();

    uint64_t tr[CAL_RUNS], lr[CAL_RUNS];
    for (int i = 0; i < CAL_RUNS; i++)
        calibrate_once(&tr[i], &lr[i]);
    sort3(tr);
    sort3(lr);
    tsc_hz = tr[CAL_RUNS / 2];
    lapic_hz = lr[CAL_RUNS / 2];
    spread_ppm = tsc_hz ? (tr[CAL_RUNS - 1] - tr[0]) * 1000000u / tsc_hz : 0;
    if (tsc_hz == 0 || lapic_hz < CLOCK_HZ)
        sys_panic("clock: calibration failed (TSC %llu Hz, LAPIC %llu Hz)",
                  (unsigned long long)tsc_hz, (unsigned long long)lapic_hz);
    ns_per_tsc_q32 = (1000000000ull << 32) / tsc_hz; // < 2^63: no 128-bit division
    tsc0 = rdtsc();
    tsc_per_tick = tsc_hz / CLOCK_HZ;

    lapic_wr(LAPIC_TIMER_DIV, 0x3);
    lapic_wr(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
    lapic_wr(LAPIC_TIMER_INIT, (uint32_t)(lapic_hz / CLOCK_HZ));
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
    lapic_wr(LAPIC_EOI, 0);
}

// Accessors: see clock.h.
uint64_t clock_ticks(void) { return ticks; }
uint64_t clock_interrupts(void) { return interrupts; }
uint64_t clock_tsc_hz(void) { return tsc_hz; }
uint64_t clock_lapic_hz(void) { return lapic_hz; }
uint64_t clock_spread_ppm(void) { return spread_ppm; }
const char *clock_reference(void) { return use_pm ? "ACPI PM timer" : "PIT"; }

// The banner's timer line.
void clock_print(void) {
    kprintf("timer: TSC %lu.%03lu MHz, LAPIC timer %lu.%03lu MHz (/16) -> %u Hz ticks, "
            "calibrated against the %s (median of %d x %llu ms, spread %lu ppm)\n",
            (unsigned long)(tsc_hz / 1000000), (unsigned long)(tsc_hz / 1000 % 1000),
            (unsigned long)(lapic_hz / 1000000), (unsigned long)(lapic_hz / 1000 % 1000),
            CLOCK_HZ, clock_reference(), CAL_RUNS, (unsigned long long)(CAL_NS / 1000000),
            (unsigned long)spread_ppm);
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
