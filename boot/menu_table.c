// The rows of the boot menu. Each row is a key the user types, a label, and what
// picking it does (see enum boot_action in boot/loader.h). Scenario rows are
// BOOT_ACT_BOOT with words such as "run=3"; option rows are BOOT_ACT_SET with
// key=value words ("madv=free"). Row 0 is what the countdown (and Enter) boots;
// numbers are left free for the scenarios (keys may be longer than one character:
// "1" then waits for Enter or a second digit while "10".."18" exist).
#include "boot/loader.h"

const struct boot_menu_entry boot_menu_table[] = {
    { "b", "Boot spanlab with this command line", BOOT_ACT_BOOT, "" },
    { "e", "Edit the command line, then boot", BOOT_ACT_EDIT, "" },
    // "1".."18": one row per scenario, generated from the scenario files.
#include "menu_scenarios.inc"
    { "a", "Run all scenarios", BOOT_ACT_BOOT, "run=all" },
    { "h", "Hardware report: what spanlab finds on this PC (hwinfo=1)", BOOT_ACT_BOOT, "hwinfo=1" },
    { "m", "Option: release pages with MADV_FREE (madv=free)", BOOT_ACT_SET, "madv=free" },
    { "d", "Option: release pages with MADV_DONTNEED (madv=dontneed)", BOOT_ACT_SET, "madv=dontneed" },
    { "g", "Option: one line per GC cycle (gctrace=1)", BOOT_ACT_SET, "gctrace=1" },
    { "s", "Option: double the scenario sizes (scale=2)", BOOT_ACT_SET, "scale=2" },
    { "r", "Reboot", BOOT_ACT_REBOOT, "" },
    { "p", "Power off", BOOT_ACT_POWEROFF, "" },
};

const UINTN boot_menu_table_len = sizeof(boot_menu_table) / sizeof(boot_menu_table[0]);
