// acpi_: RSDP -> XSDT (or RSDT) -> FADT -> PM timer port. Tables are read through
// the direct map; nothing is written. See ACPI 6.x, sections 5.2.5 to 5.2.9.
#include "kernel/acpi.h"

#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "kernel/paging.h"

static uint16_t pm_port;
static uint32_t pm_mask;

// An ACPI table byte pointer for physical address pa.
static const uint8_t *phys(uint64_t pa) { return pt_phys_to_virt(pa); }

// Unaligned little-endian loads (ACPI tables are byte-packed).
static uint32_t rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static uint64_t rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// Returns the FADT's physical address, or 0.
static uint64_t find_fadt(void) {
    if (!kboot.acpi_rsdp)
        return 0;
    const uint8_t *rsdp = phys(kboot.acpi_rsdp);
    if (memcmp(rsdp, "RSD PTR ", 8) != 0)
        return 0;
    bool x = rsdp[15] >= 2 && rd64(rsdp + 24) != 0;
    uint64_t sdt_pa = x ? rd64(rsdp + 24) : rd32(rsdp + 16);
    const uint8_t *sdt = phys(sdt_pa);
    uint32_t len = rd32(sdt + 4), step = x ? 8 : 4;
    for (uint32_t off = 36; off + step <= len; off += step) {
        uint64_t t = x ? rd64(sdt + off) : rd32(sdt + off);
        if (memcmp(phys(t), "FACP", 4) == 0)
            return t;
    }
    return 0;
}

// Finds the PM timer port in the FADT; false when there is none.
bool acpi_pm_init(void) {
    uint64_t fadt_pa = find_fadt();
    if (!fadt_pa)
        return false;
    const uint8_t *fadt = phys(fadt_pa);
    uint32_t len = rd32(fadt + 4);
    uint32_t port = len >= 80 ? rd32(fadt + 76) : 0; // PM_TMR_BLK
    if (!port && len >= 220 && fadt[208] == 1)      // X_PM_TMR_BLK in I/O space
        port = (uint32_t)rd64(fadt + 212);
    if (!port || port > 0xffff)
        return false;
    pm_port = (uint16_t)port;
    uint32_t flags = len >= 116 ? rd32(fadt + 112) : 0;
    pm_mask = (flags & (1u << 8)) ? 0xffffffffu : 0xffffffu; // TMR_VAL_EXT
    return true;
}

// The PM timer counter and its width (see acpi.h).
uint32_t acpi_pm_read(void) { return inl(pm_port) & pm_mask; }
uint32_t acpi_pm_mask(void) { return pm_mask; }
