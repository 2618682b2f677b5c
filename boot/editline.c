// A one-line editor on the firmware console, for the command line. Plain output
// only (characters, "\b \b" to erase one): it must read well in a serial log and
// work with a USB keyboard on a PC.
#include "boot/loader.h"

// Erases n characters before the cursor on the console.
static void erase(UINTN n)
{
    while (n--)
        boot_puts("\b \b");
}

// Edits buf in place; TRUE on Enter, FALSE on Esc (buf unchanged).
BOOLEAN boot_edit_line(const char *prompt, char *buf, UINTN cap)
{
    char saved[BOOT_CMDLINE_MAX];
    UINTN n = boot_strlen(buf);
    if (cap > sizeof(saved))
        cap = sizeof(saved);
    CopyMem(saved, buf, n + 1);
    boot_puts("Edit the line: Enter boots it, Backspace deletes, Ctrl-U clears, Esc cancels.\n");
    boot_puts(prompt);
    boot_puts(buf);
    for (;;) {
        EFI_INPUT_KEY key = boot_wait_key();
        CHAR16 c = key.UnicodeChar;
        if (c == CHAR_CARRIAGE_RETURN || c == CHAR_LINEFEED) {
            boot_puts("\n");
            return TRUE;
        }
        if (key.ScanCode == SCAN_ESC || c == 0x1b) {
            CopyMem(buf, saved, boot_strlen(saved) + 1);
            boot_puts("\n(cancelled)\n");
            return FALSE;
        }
        if (c == CHAR_BACKSPACE || c == 0x7f || key.ScanCode == SCAN_DELETE) {
            if (n > 0) {
                buf[--n] = 0;
                erase(1);
            }
        } else if (c == 0x15) { // Ctrl-U
            erase(n);
            n = 0;
            buf[0] = 0;
        } else if (c >= 0x20 && c < 0x7f) {
            if (n + 1 < cap) {
                buf[n++] = (char)c;
                buf[n] = 0;
                char echo[2] = { (char)c, 0 };
                boot_puts(echo);
            }
        }
    }
}
