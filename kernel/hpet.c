// hpet_: the HPET main counter (see hpet.h). Registers: 0x000 General
// Capabilities and ID (bits 63-32 the period in femtoseconds, bit 13 a 64-bit
// counter, bits 31-16 the vendor), 0x010 General Configuration (bit 0 enables
// the counter), 0x0f0 the main counter.
#include "kernel/hpet.h"

#include "kernel/cpu.h"
#include "kernel/paging.h"

#define HPET_CAP 0x000
#define HPET_CONF 0x010
#define HPET_COUNTER 0x0f0
#define HPET_CONF_ENABLE 1u
#define HPET_CAP_64BIT (1u << 13)
#define HPET_PERIOD_MAX_FS 100000000ull // 100 ns (specification 2.3.4)
#define FS_PER_S 1000000000000000ull

static volatile uint8_t *regs;
static uint64_t hz, mask;
static uint32_t vendor;

bool hpet_init(uint64_t base, const char **why) {
    regs = pt_map_mmio(base, 1024);
    uint64_t cap = mmio_read64(regs + HPET_CAP);
    uint64_t period = cap >> 32;
    if (cap == ~0ull || period == 0 || period > HPET_PERIOD_MAX_FS) {
        *why = "its period register is out of range (no HPET at the address ACPI gives?)";
        return false;
    }
    hz = FS_PER_S / period;
    mask = (cap & HPET_CAP_64BIT) ? ~0ull : 0xffffffffull;
    vendor = (uint32_t)(cap >> 16) & 0xffff;
    uint64_t conf = mmio_read64(regs + HPET_CONF);
    mmio_write64(regs + HPET_CONF, conf | HPET_CONF_ENABLE);
    *why = "ok";
    return true;
}

uint64_t hpet_hz(void) { return hz; }
uint64_t hpet_mask(void) { return mask; }
uint32_t hpet_vendor(void) { return vendor; }

// 32-bit read for a 32-bit counter (a 64-bit read may not be atomic there).
uint64_t hpet_read(void) {
    if (mask == 0xffffffffull)
        return mmio_read32(regs + HPET_COUNTER);
    return mmio_read64(regs + HPET_COUNTER);
}
