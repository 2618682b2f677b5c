// The boot menu: the rows of boot_menu_table, the command line, a countdown that
// boots row 0, and a chooser. Plain output (lines, no cursor addressing) so the
// same menu reads well over QEMU's serial port and on a PC's screen.
#include "boot/loader.h"

// Prints the rows and the current command line.
static void show_menu(const char *line)
{
    boot_puts("\n== spanlab boot menu ==\n");
    boot_puts("  command line: ");
    boot_puts(*line ? line : "(empty)");
    boot_puts("\n\n");
    for (UINTN i = 0; i < boot_menu_table_len; i++) {
        const struct boot_menu_entry *e = &boot_menu_table[i];
        UINTN pad = boot_strlen(e->key);
        boot_puts("  ");
        for (; pad < 4; pad++)
            boot_puts(" ");
        boot_puts(e->key);
        boot_puts("  ");
        boot_puts(e->label);
        if (e->words && *e->words) {
            boot_puts(e->action == BOOT_ACT_SET ? "  [sets " : "  [adds ");
            boot_puts(e->words);
            boot_puts("]");
        }
        boot_puts("\n");
    }
    boot_puts("\n");
}

// Counts down seconds on one line. Returns TRUE when it ran out, FALSE when a key
// was pressed (the key is left for the chooser to read).
static BOOLEAN countdown(UINTN seconds)
{
    EFI_EVENT timer, events[2];
    UINTN index;
    if (EFI_ERROR(BS->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer)))
        return TRUE; // no timer: boot the default rather than wait forever
    BS->SetTimer(timer, TimerPeriodic, 10000000); // 100 ns units: one second
    Print(L"Booting %a in %d s; press any key to stop: %d", boot_menu_table[0].key, seconds,
          seconds);
    events[0] = ST->ConIn->WaitForKey;
    events[1] = timer;
    BOOLEAN expired = FALSE;
    for (;;) {
        if (EFI_ERROR(BS->WaitForEvent(2, events, &index)) || index == 0)
            break;
        if (--seconds == 0) {
            expired = TRUE;
            break;
        }
        Print(L" %d", seconds);
    }
    BS->CloseEvent(timer);
    boot_puts(expired ? " 0\n" : "\n");
    return expired;
}

// Returns the number of rows whose key starts with typed, and the exact match.
static UINTN match(const char *typed, const struct boot_menu_entry **exact)
{
    UINTN count = 0, n = boot_strlen(typed);
    *exact = NULL;
    for (UINTN i = 0; i < boot_menu_table_len; i++) {
        const char *k = boot_menu_table[i].key;
        UINTN j = 0;
        while (j < n && k[j] == typed[j])
            j++;
        if (j < n)
            continue;
        count++;
        if (k[n] == 0)
            *exact = &boot_menu_table[i];
    }
    return count;
}

// Reads keys until they name one row; returns it. A key that is the whole of one
// row's key and a prefix of no other picks at once; otherwise Enter confirms.
static const struct boot_menu_entry *choose(void)
{
    char typed[8];
    UINTN n = 0;
    const struct boot_menu_entry *exact;
    boot_puts("Choice (Enter = ");
    boot_puts(boot_menu_table[0].key);
    boot_puts("): ");
    for (;;) {
        EFI_INPUT_KEY key = boot_wait_key();
        CHAR16 c = key.UnicodeChar;
        typed[n] = 0;
        if (c == CHAR_CARRIAGE_RETURN || c == CHAR_LINEFEED) {
            if (n == 0) {
                boot_puts("\n");
                return &boot_menu_table[0];
            }
            match(typed, &exact);
            if (exact) {
                boot_puts("\n");
                return exact;
            }
        } else if (c == CHAR_BACKSPACE || c == 0x7f || key.ScanCode == SCAN_DELETE) {
            if (n > 0) {
                n--;
                boot_puts("\b \b");
            }
            continue;
        } else if (key.ScanCode == SCAN_ESC || c == 0x1b) {
            while (n > 0) {
                n--;
                boot_puts("\b \b");
            }
            continue;
        } else if (c > 0x20 && c < 0x7f && n + 1 < sizeof(typed)) {
            if (c >= 'A' && c <= 'Z')
                c = (CHAR16)(c - 'A' + 'a');
            typed[n++] = (char)c;
            typed[n] = 0;
            char echo[2] = { (char)c, 0 };
            boot_puts(echo);
            UINTN count = match(typed, &exact);
            if (count == 1 && exact) {
                boot_puts("\n");
                return exact;
            }
            if (count > 0)
                continue;
        } else {
            continue;
        }
        boot_puts("\nNo row \"");
        boot_puts(typed);
        boot_puts("\". Choice: ");
        n = 0;
    }
}

// Runs the menu until a row boots, reboots or powers off.
enum boot_action boot_menu(char *line)
{
    UINTN timeout = boot_cmdline_timeout(line);
    const struct boot_menu_entry *e = &boot_menu_table[0];
    if (timeout > 0) {
        ST->ConIn->Reset(ST->ConIn, FALSE); // a stale key must not stop the countdown
        show_menu(line);
        if (!countdown(timeout)) {
            for (;;) {
                e = choose();
                if (e->action == BOOT_ACT_EDIT) {
                    if (boot_edit_line("> ", line, BOOT_CMDLINE_MAX))
                        return BOOT_ACT_BOOT;
                } else if (e->action == BOOT_ACT_SET) {
                    if (!boot_cmdline_set(line, e->words))
                        boot_puts("The command line would be too long; not changed.\n");
                } else {
                    break;
                }
                show_menu(line);
            }
        }
    }
    if (e->action == BOOT_ACT_BOOT && !boot_cmdline_append(line, e->words)) {
        boot_puts("The command line would be too long; booting it without the row's words.\n");
    }
    return e->action;
}
