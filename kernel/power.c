// power: turning the machine off or restarting it, each as a chain of ways
// that ends in a clear message instead of a hang. Power off: UEFI ResetSystem
// (the firmware knows its board), then ACPI S5 from the FADT and \_S5
// (kernel/acpi.c), then a halt saying it is safe to switch off. poweroff=acpi
// or poweroff=halt starts further down the chain (for a firmware whose
// ResetSystem misbehaves, and for testing each step). Reboot: ResetSystem,
// the FADT's reset register, the keyboard controller's reset line.
#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "sys/options.h"

enum { FROM_EFI = 0, FROM_ACPI, FROM_HALT }; // the poweroff= option's index

// Halts for good with interrupts off, after saying so.
static _Noreturn void halt_forever(const char *msg) {
    kprintf("%s\n", msg);
    for (;;) {
        cli();
        hlt(); // an NMI may wake us: halt again
    }
}

_Noreturn void kernel_poweroff(void) {
    int64_t from = opt_int("poweroff");
    if (from == FROM_EFI) {
        kprintf("power off: UEFI ResetSystem\n");
        efi_poweroff();
        kprintf("power off: ResetSystem returned\n");
    }
    if (from <= FROM_ACPI) {
        uint8_t a, b;
        const char *where;
        if (acpi_s5(&a, &b, &where) == AML_S5_FOUND)
            kprintf("power off: ACPI S5 (SLP_TYPa %u, SLP_TYPb %u from \\_S5 in %s)\n", a, b,
                    where);
        else
            kprintf("power off: ACPI S5\n");
        kprintf("power off: ACPI S5 failed: %s\n", acpi_poweroff());
    }
    halt_forever("halted: it is now safe to switch the machine off");
}

_Noreturn void kernel_reboot(void) {
    kprintf("reboot: UEFI ResetSystem\n");
    efi_reboot();
    const char *why = acpi_reset();
    kprintf("reboot: ResetSystem returned; ACPI reset register: %s\n", why);
    outb(0x64, 0xfe); // the keyboard controller's reset line (when there is one)
    for (volatile int i = 0; i < 10000000; i++)
        cpu_relax();
    halt_forever("reboot failed: halted; switch the machine off and on");
}
