// Firmware console helpers for the loader: ASCII output, waiting for a key, and
// the one way every failure is reported (message, wait for a key, status back).
// Output goes through ConOut, so it reaches both the serial port and the screen.
#include "boot/loader.h"

// Prints s, turning "\n" into "\n" (the serial terminal needs both).
void boot_puts(const char *s)
{
    CHAR16 buf[128];
    UINTN n = 0;
    for (; *s; s++) {
        if (n >= 124) {
            buf[n] = 0;
            ST->ConOut->OutputString(ST->ConOut, buf);
            n = 0;
        }
        if (*s == '\n')
            buf[n++] = L'\r';
        buf[n++] = (CHAR16)(unsigned char)*s;
    }
    buf[n] = 0;
    if (n)
        ST->ConOut->OutputString(ST->ConOut, buf);
}

// Returns the next key press, waiting as long as it takes.
EFI_INPUT_KEY boot_wait_key(void)
{
    EFI_INPUT_KEY key;
    UINTN index;
    for (;;) {
        EFI_STATUS st = ST->ConIn->ReadKeyStroke(ST->ConIn, &key);
        if (st == EFI_SUCCESS)
            return key;
        BS->WaitForEvent(1, &ST->ConIn->WaitForKey, &index);
    }
}

// Prints the error, waits for a key and returns a failing status for the firmware.
EFI_STATUS boot_fail(EFI_STATUS st, const CHAR16 *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    Print(L"\nloader: error: ");
    VPrint(fmt, args);
    va_end(args);
    if (EFI_ERROR(st))
        Print(L" (%r)", st);
    else
        st = EFI_LOAD_ERROR;
    Print(L"\nPress any key to return to the firmware.\n");
    boot_wait_key();
    return st;
}
