// efi: the one UEFI runtime service spanlab uses, ResetSystem (power off, reboot).
// We never call SetVirtualAddressMap, so the firmware runs at physical addresses:
// kernel/paging.c identity-maps every runtime region, and the call uses the
// Microsoft x64 ABI (ms_abi) with interrupts off.
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"

#define EFI_SYSTEM_TABLE_SIGNATURE 0x5453595320494249ull   // "IBI SYST"
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ull // "RUNTSERV"

enum { EFI_RESET_COLD = 0, EFI_RESET_WARM = 1, EFI_RESET_SHUTDOWN = 2 };

typedef void(__attribute__((ms_abi)) * efi_reset_system_t)(int type, uint64_t status,
                                                           uint64_t size, void *data);

// Returns the firmware's ResetSystem, or NULL when the tables look wrong.
static efi_reset_system_t reset_system(void) {
    const uint64_t *st = (const uint64_t *)(uintptr_t)kboot.efi_system_table;
    if (!st || st[0] != EFI_SYSTEM_TABLE_SIGNATURE)
        return 0;
    const uint64_t *rt = (const uint64_t *)(uintptr_t)st[11]; // RuntimeServices at 88
    if (!rt || rt[0] != EFI_RUNTIME_SERVICES_SIGNATURE)
        return 0;
    return (efi_reset_system_t)(uintptr_t)rt[13]; // ResetSystem at 104
}

// Calls ResetSystem(type) with interrupts off; returns only if it failed.
static void reset(int type) {
    efi_reset_system_t fn = reset_system();
    if (!fn)
        return;
    cli();
    fn(type, 0, 0, 0);
}

// Powers the machine off; returns only if the firmware did not.
void efi_poweroff(void) { reset(EFI_RESET_SHUTDOWN); }

// Reboots the machine; returns only if the firmware did not.
void efi_reboot(void) { reset(EFI_RESET_COLD); }
