// kernel: what kernel/ files share: the copied boot_info, the version, the end of
// a run (success, failure, panic) and where physical memory is visible.
#ifndef SPANLAB_KERNEL_KERNEL_H
#define SPANLAB_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define SPANLAB_VERSION "0.1"

// Our copy of the loader's boot_info (the original sits in reclaimed memory).
extern struct boot_info kboot;

// True once opt_parse has run and quit=1 was given. Before options are parsed
// every failure exits QEMU (there is no other way to report it in CI).
bool kernel_quit(void);

// isa-debug-exit (port 0xf4): QEMU exits with status (value << 1) | 1.
// 16 -> 33 (success), 17 -> 35 (failure). A no-op on machines without it.
void qemu_exit(uint8_t value);

// Ends the run after a failure already reported: exit 35 with quit=1 (or before
// options are parsed), else the power-off/reboot prompt. Never returns.
_Noreturn void kernel_fail(void);

// Ends the run: quit=1 -> QEMU exit 33/35 then power off; otherwise the prompt
// "press p to power off, r to reboot" with its countdown. Never returns.
_Noreturn void kernel_finish(bool success);

// Prints a frame-pointer backtrace starting at rip with frame pointer rbp.
void kbacktrace(uint64_t rip, uint64_t rbp);

// Formats "name+0xoff" for a kernel text address into buf; returns false (and
// writes "?") when the address is not in the symbol table.
bool ksym_format(uint64_t addr, char *buf, unsigned long len);

// Power off / reboot through UEFI runtime services (kernel/efi.c); return only
// when the firmware call failed.
void efi_poweroff(void);
void efi_reboot(void);

// Powers off: ResetSystem, then ACPI S5, then a halt saying it is safe to
// switch off (kernel/power.c; poweroff= may skip steps). Never returns.
_Noreturn void kernel_poweroff(void);
// Reboots: ResetSystem, the ACPI reset register, the 8042 reset line, then a
// halt saying so. Never returns.
_Noreturn void kernel_reboot(void);

// The end-of-run prompt (kernel/endrun.c): p powers off, r reboots; with no
// answer within aftertimeout seconds, afterrun= decides. Never returns.
_Noreturn void kernel_end_prompt(void);

#endif
