// hwinfo_: the hardware report (hwinfo=1, and the boot menu's "h" row): what
// the kernel found and chose, for a bug report from a PC it does not run on.
#ifndef SPANLAB_KERNEL_HWINFO_H
#define SPANLAB_KERNEL_HWINFO_H

// Prints the report to the console (after the banner, before any run).
void hwinfo_print(void);

#endif
