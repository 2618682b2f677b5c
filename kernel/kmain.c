// kmain: the kernel's main line, in the order each piece becomes possible:
// SSE and serial (so panics print), GDT/IDT (so faults report), boot_info copy,
// the command line, the CPU's features, frames, our own page tables, ACPI, the
// LAPIC and the clock, reclaiming the loader's and boot services' memory, screen
// and keyboard, the page layer; then the banner (and hwinfo=1's report), the
// self-tests or the scenarios, and the end of the run (kernel/panic.c).
#include <stdio.h>
#include <string.h>

#include "kernel/acpi.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/fbcon.h"
#include "kernel/hwinfo.h"
#include "kernel/kbd.h"
#include "kernel/kernel.h"
#include "kernel/lapic.h"
#include "kernel/memmap.h"
#include "kernel/paging.h"
#include "kernel/serial.h"
#include "kernel/trap.h"
#include "kernel/vmk.h"
#include "kernel/frames.h"
#include "sys/options.h"
#include "sys/sys.h"

struct boot_info kboot;
extern bool kernel_options_ready, kernel_quit_flag;
extern uint64_t kernel_ram_bytes;


// SSE on (CR0.EM clear, CR0.MP, CR4.OSFXSR|OSXMMEXCPT): mm/ and rt/ may use it.
static void sse_enable(void) {
    write_cr0((read_cr0() & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

// Checks and copies the loader's boot_info; a bad one ends the run at once.
static void copy_boot_info(uint64_t bi_pa) {
    const struct boot_info *bi = (const struct boot_info *)(uintptr_t)bi_pa;
    if (!bi || bi->magic != BOOT_INFO_MAGIC || bi->version != BOOT_INFO_VERSION) {
        kprintf("spanlab: bad boot_info at 0x%lx (magic 0x%lx version %u): wrong loader?\n",
                (unsigned long)bi_pa, bi ? (unsigned long)bi->magic : 0ul, bi ? bi->version : 0u);
        kernel_fail();
    }
    size_t n = bi->size < sizeof kboot ? bi->size : sizeof kboot;
    memcpy(&kboot, bi, n);
    kboot.cmdline[BOOT_CMDLINE_MAX - 1] = 0;
}

// Formats 4 KiB pages as MiB with one decimal into buf; returns buf.
static const char *mib(char *buf, size_t len, uint64_t pages) {
    snprintf(buf, len, "%lu.%lu", (unsigned long)(pages / 256),
             (unsigned long)(pages % 256 * 10 / 256));
    return buf;
}

// The banner's CPU line: how many the MADT lists (the others were sent INIT:
// parked), the local APIC's mode and why.
static void cpus_line(void) {
    const acpi_madt_info_t *m = acpi_madt();
    if (m && m->cpus_enabled > 1)
        kprintf("cpus: %u in the MADT; spanlab runs on one (APIC ID %u), the other %u are parked "
                "(INIT: waiting for a startup IPI)\n", m->cpus_enabled, lapic_id(),
                m->cpus_enabled - 1);
    else if (m)
        kprintf("cpus: %u in the MADT; spanlab runs on it (APIC ID %u)\n", m->cpus_enabled,
                lapic_id());
    else
        kprintf("cpus: no ACPI MADT, so only this one is known (APIC ID %u)\n", lapic_id());
    kprintf("apic: %s, %s\n", lapic_mode_name(lapic_mode()), lapic_why());
}

// Prints the banner: version, memory summary, frames, CPUs, timer calibration,
// the command line as parsed, boot time; with verbose>=2 the whole memory map.
static void banner(uint64_t at_entry, uint64_t reclaimed) {
    uint64_t usable, reserved, kernel;
    char a[24], b[24], c[24], d[24], e[24];
    memmap_summary(&usable, &reserved, &kernel);
    kprintf("spanlab %s, x86-64, UEFI boot, %d-entry memory map\n", SPANLAB_VERSION,
            memmap_count());
    kprintf("memory: usable %s MiB (%s free at entry + %s reclaimed from loader and boot "
            "services), reserved %s MiB, kernel %s MiB\n",
            mib(a, sizeof a, usable), mib(b, sizeof b, at_entry), mib(c, sizeof c, reclaimed),
            mib(d, sizeof d, reserved), mib(e, sizeof e, kernel));
    kprintf("frames: total %lu free %lu used %lu reserved %lu (4 KiB; %lu page-table pages)\n",
            pg_total(), pg_free_count(), pg_used(), pg_reserved(), pt_boot_table_pages());
    cpus_line();
    clock_print();
    char parsed[512];
    opt_format(parsed, sizeof parsed);
    kprintf("cmdline: \"%s\" -> %s\n", kboot.cmdline, parsed[0] ? parsed : "(defaults)");
    if (kboot.loader_tsc_at_entry && clock_tsc_hz())
        kprintf("boot: %lu ms from loader entry to banner\n",
                (unsigned long)((rdtsc() - kboot.loader_tsc_at_entry) / (clock_tsc_hz() / 1000)));
    if (opt_int("verbose") >= 2)
        for (int i = 0; i < memmap_count(); i++) {
            const struct boot_memory_descriptor *md = memmap_entry(i);
            kprintf("  %016lx-%016lx %-18s %8lu KiB attr %lx\n",
                    (unsigned long)md->physical_start,
                    (unsigned long)(md->physical_start + md->number_of_pages * 4096),
                    memmap_type_name(md->type), (unsigned long)md->number_of_pages * 4,
                    (unsigned long)md->attribute);
        }
}

_Noreturn void kmain(uint64_t bi_pa);

// The kernel's C entry (from kernel/entry.S); bi_pa is the loader's boot_info.
// Never returns: every run ends in kernel_finish.
_Noreturn void kmain(uint64_t bi_pa) {
    sse_enable();
    serial_init();
    gdt_init(); // our exception reports from here on, even for a bad boot_info
    idt_init();
    copy_boot_info(bi_pa);
    kprintf("spanlab %s booting\n", SPANLAB_VERSION);
    memmap_copy();
    opt_parse(kboot.cmdline);
    kernel_quit_flag = opt_int("quit") != 0;
    kernel_options_ready = true;
    cpu_probe(); // a missing required feature stops here, by name

    uint64_t at_entry = memmap_frames_init();
    pt_init();
    memmap_frames_remap();
    acpi_init(); // before reclaiming: firmware may keep ACPI tables in boot data
    lapic_init();
    if (acpi_madt() && acpi_madt()->cpus_enabled > 1)
        lapic_park_others(); // before calibrating: a spinning sibling slows a TCG host
    clock_init();
    uint64_t reclaimed = memmap_reclaim();
    fbcon_init();
    kbd_init();
    vmk_init();
    kernel_ram_bytes = pg_free_count() * 4096;
    banner(at_entry, reclaimed);
    sti();

    bool hwinfo = opt_int("hwinfo") != 0;
    if (hwinfo)
        hwinfo_print();
    sys_run_result_t run = spanlab_main(); // selftest= and run=
    if (run == SYS_RUN_NOTHING && !hwinfo) { // booted with nothing to do: say what there is
        kprintf("nothing to run (no run= or selftest= on the command line). The scenarios:\n");
        spanlab_list();
        kprintf("reboot (r) and pick one in the boot menu, or boot with run=N or run=all\n");
    }
    if (opt_int("verbose") >= 1)
        vmk_print_totals("page layer at the end: ");
    kernel_finish(run != SYS_RUN_FAILED);
}
