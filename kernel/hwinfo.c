// hwinfo: the report hwinfo=1 prints after the banner - what the kernel found
// on this machine and what it chose: firmware, CPU and the features it uses,
// local APIC mode, CPUs in the MADT, the clock references and which one
// calibrated, ACPI tables and the power-off path, the memory map by type, the
// GOP's modes and the console, the keyboard path. README.md's "when the PC
// does not boot it" asks for this output; every line comes from the machine.
#include "kernel/hwinfo.h"

#include <string.h>

#include "kernel/acpi.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/fbcon.h"
#include "kernel/kbd.h"
#include "kernel/kernel.h"
#include "kernel/lapic.h"
#include "kernel/memmap.h"
#include "kernel/serial.h"

static const char *const pixel_names[] = {"none", "RGBX", "BGRX", "bitmask"};

// Firmware vendor and revisions from the loader's copy of the system table.
static void firmware(void) {
    kprintf("  firmware   %s, revision 0x%x, UEFI %u.%u%s\n",
            kboot.firmware_vendor[0] ? kboot.firmware_vendor : "(no vendor string)",
            kboot.firmware_revision, kboot.uefi_revision >> 16,
            (kboot.uefi_revision & 0xffff) / 10, kboot.acpi_rsdp ? "" : ", no ACPI RSDP");
}

// CPU identity, then each feature: used, missing (with its fallback), or reported.
static void cpu(void) {
    const cpu_info_t *ci = cpu_info();
    kprintf("  cpu        %s \"%s\", family %u model %u stepping %u, CPUID leaves to 0x%x "
            "and 0x%x\n", ci->vendor, ci->brand, ci->family, ci->model, ci->stepping,
            ci->max_leaf, ci->max_ext_leaf);
    for (int f = 0; f < CPU_FEATURE_COUNT; f++) {
        const char *fb = cpu_feature_fallback((cpu_feature_t)f);
        bool used = ci->has[f] && strncmp(fb, "not used", 8) != 0 &&
                    strcmp(fb, "reported only") != 0;
        kprintf("  feature    %-3s %s: %s\n", ci->has[f] ? "yes" : "no",
                cpu_feature_name((cpu_feature_t)f), used ? "used" : fb);
    }
}

// Local APIC mode and the CPUs the MADT lists.
static void apic_and_cpus(void) {
    kprintf("  apic       %s, ID %u: %s (firmware left IA32_APIC_BASE = 0x%lx)\n",
            lapic_mode_name(lapic_mode()), lapic_id(), lapic_why(),
            (unsigned long)lapic_firmware_base());
    const acpi_madt_info_t *m = acpi_madt();
    if (!m) {
        kprintf("  cpus       no MADT: only the boot CPU is known\n");
        return;
    }
    kprintf("  cpus       %u enabled in the MADT (%u as x2APIC entries), %u more hot-pluggable, "
            "%u I/O APIC(s), %s%s\n", m->cpus_enabled, m->x2apic_entries, m->cpus_possible,
            m->ioapics, m->pcat_compat ? "8259 PICs present" : "no 8259 PICs",
            m->truncated ? "; the table is cut short" : "");
}

// Every reference clock: present and its details, or why not.
static void timers(void) {
    const clock_ref_facts_t *f = clock_facts();
    for (int k = 0; k < CLOCK_REF_COUNT; k++) {
        kprintf("  reference  %-26s ", clock_ref_name((clock_ref_kind_t)k));
        if (!f->refs.present[k])
            kprintf("absent: %s\n", f->why_absent[k]);
        else if (k == CLOCK_REF_PM)
            kprintf("present, %s 0x%lx, %u-bit\n",
                    acpi_fadt()->pm_timer.space == ACPI_SPACE_IO ? "port" : "address",
                    (unsigned long)acpi_fadt()->pm_timer.address, acpi_pm_mask() >> 24 ? 32 : 24);
        else if (k == CLOCK_REF_HPET)
            kprintf("present at 0x%lx, %lu Hz\n", (unsigned long)f->hpet_base,
                    (unsigned long)f->hpet_hz);
        else if (k == CLOCK_REF_CPUID)
            kprintf("present: leaf %s states %lu Hz\n", f->cpuid_leaf, (unsigned long)f->cpuid_hz);
        else
            kprintf("present (channel 2 counts)\n");
    }
    clock_print();
}

// The ACPI tables, one line each, then the FADT's registers and \_S5.
static void acpi(void) {
    const acpi_table_list_t *l = acpi_tables();
    if (!kboot.acpi_rsdp)
        kprintf("  acpi       the firmware gave no RSDP: no ACPI tables\n");
    else
        kprintf("  acpi       RSDP revision %u, %s, %d tables%s\n", l->rsdp_revision,
                l->count ? (l->xsdt ? "XSDT" : "RSDT") : "no readable root table", l->count,
                l->skipped ? " (some entries unreadable)" : "");
    for (int i = 0; i < l->count; i++) {
        const acpi_table_ref_t *t = &l->tables[i];
        kprintf("    %-4s rev %-2u OEM %-6s %7u bytes at 0x%09lx%s\n", t->sig, t->revision,
                t->oem_id, t->length, (unsigned long)t->pa,
                t->checksum_ok ? "" : " (bad checksum)");
    }
    const acpi_fadt_info_t *f = acpi_fadt();
    if (f)
        kprintf("  fadt       PM1a_CNT %s 0x%lx, PM1b_CNT 0x%lx, hardware-reduced %s, reset "
                "register %s 0x%lx, 8042 flag %s\n",
                f->pm1a_cnt.space == ACPI_SPACE_IO ? "port" : "address",
                (unsigned long)f->pm1a_cnt.address, (unsigned long)f->pm1b_cnt.address,
                f->hw_reduced ? "yes" : "no", f->reset_supported ? "at" : "none",
                (unsigned long)f->reset_reg.address,
                (f->boot_arch & ACPI_BOOT_ARCH_8042) ? "set" : "clear");
    uint8_t a, b;
    const char *where;
    aml_s5_result_t r = acpi_s5(&a, &b, &where);
    kprintf("  poweroff   UEFI ResetSystem, then ACPI S5: \\_S5 %s in %s", aml_s5_result_name(r),
            where);
    if (r == AML_S5_FOUND)
        kprintf(" (SLP_TYPa %u, SLP_TYPb %u)", a, b);
    kprintf(", then halt\n");
}

// Pages of each memory type in the map, and how much RAM lies above 4 GiB.
static void memory(void) {
    uint64_t pages[16] = {0}, other = 0, above4g = 0;
    for (int i = 0; i < memmap_count(); i++) {
        const struct boot_memory_descriptor *d = memmap_entry(i);
        if (d->type < 16)
            pages[d->type] += d->number_of_pages;
        else
            other += d->number_of_pages;
        if (memmap_usable_at_entry(d->type) || memmap_reclaimable(d->type)) {
            uint64_t end = d->physical_start + d->number_of_pages * 4096;
            if (end > (4ull << 30))
                above4g += end - (d->physical_start > (4ull << 30) ? d->physical_start : 4ull << 30);
        }
    }
    kprintf("  memory     %d map entries, top 0x%lx, usable RAM above 4 GiB %lu MiB\n",
            memmap_count(), (unsigned long)memmap_top(), (unsigned long)(above4g >> 20));
    for (uint32_t t = 0; t < 16; t++)
        if (pages[t])
            kprintf("    %-14s %9lu KiB\n", memmap_type_name(t), (unsigned long)pages[t] * 4);
    if (other)
        kprintf("    %-14s %9lu KiB (spanlab's and OEM types)\n", "other",
                (unsigned long)other * 4);
}

// The GOP's modes (the one in use starred), the console font.
static void screen(void) {
    if (kboot.gop_mode_count == 0) {
        kprintf("  screen     no GOP: serial console only\n");
        return;
    }
    kprintf("  screen     GOP mode %d of %u in use (the firmware had set %d):",
            kboot.gop_mode_current, kboot.gop_mode_count, kboot.gop_mode_firmware);
    uint32_t n = kboot.gop_mode_count < BOOT_GOP_MODES_MAX ? kboot.gop_mode_count
                                                           : BOOT_GOP_MODES_MAX;
    for (uint32_t i = 0; i < n; i++) {
        const struct boot_gop_mode *m = &kboot.gop_modes[i];
        kprintf("%s %ux%u%s%s", i % 8 ? "" : "\n            ", m->width, m->height,
                m->format < 4 && m->format != BOOT_FB_NONE ? "" : "(blt)",
                (int)i == kboot.gop_mode_current ? "*" : "");
    }
    kprintf("\n");
    const char *font;
    uint32_t cols, rows;
    if (fbcon_geometry(&font, &cols, &rows))
        kprintf("  console    %ux%u %s, font %s, %ux%u cells\n", kboot.fb.width, kboot.fb.height,
                pixel_names[kboot.fb.format < 4 ? kboot.fb.format : 0], font, cols, rows);
    else
        kprintf("  console    serial only (the framebuffer could not be used)\n");
}

void hwinfo_print(void) {
    kprintf("hwinfo: what spanlab found on this machine\n");
    firmware();
    cpu();
    apic_and_cpus();
    timers();
    acpi();
    memory();
    screen();
    kprintf("  keyboard   %s\n", kbd_path());
    kprintf("  serial     %s\n", serial_present() ? "COM1 (0x3f8), 115200 8N1"
                                                  : "no UART at COM1 (0x3f8)");
    kprintf("hwinfo: end\n");
}
