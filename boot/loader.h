// The UEFI loader's internal interface: one function family per file (console,
// files, command line, menu, ELF loading, page tables, hand-off). Only boot/
// includes this; the contract with the kernel is boot/bootinfo.h.
#ifndef SPANLAB_BOOT_LOADER_H
#define SPANLAB_BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>

#include "boot/bootinfo.h"
#include "boot/elf_check.h"

#define BOOT_KERNEL_PATH L"\\spanlab\\kernel.elf"
#define BOOT_CMDLINE_PATH L"\\spanlab\\cmdline.txt"
#define BOOT_DEFAULT_TIMEOUT 5 // seconds of menu countdown when cmdline.txt says nothing
#define BOOT_PAGE 4096ull
#define BOOT_2M (2ull << 20)

// main.c: the entry point; gnu-efi's crt0 (the PE entry) relocates, then calls it.
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab); // SysV ABI: crt0 calls it

// ---- console.c: the firmware console (serial in QEMU, screen + keyboard on PCs)

// Prints an ASCII (UTF-8 without the high bytes) string as is.
void boot_puts(const char *s);
// Waits for one key press and returns it.
EFI_INPUT_KEY boot_wait_key(void);
// Prints "spanlab loader: error: <message>", waits for a key and returns st
// (never EFI_SUCCESS: a success status is turned into EFI_LOAD_ERROR), so that
// callers can `return boot_fail(...)` back to the firmware.
EFI_STATUS boot_fail(EFI_STATUS st, const CHAR16 *fmt, ...);

// ---- file.c: files on the volume the loader itself was read from

// Opens the root directory of the loader's own volume. Fails (with a message) when
// the firmware cannot tell where the loader came from or the volume is not FAT.
EFI_STATUS boot_open_volume(EFI_HANDLE image, EFI_FILE_HANDLE *root);
// Reads a whole file into pool memory (*data, *size; a NUL byte is appended after
// the data). Returns EFI_NOT_FOUND quietly when the file does not exist; any other
// failure is returned as the firmware's status.
EFI_STATUS boot_read_file(EFI_FILE_HANDLE root, const CHAR16 *path, void **data, UINTN *size);

// ---- cmdline.c: the kernel command line (key=value words)

// Copies cmdline.txt's bytes into dst (BOOT_CMDLINE_MAX) as one line: CR, LF and tabs
// become spaces, other control bytes are dropped, ends are trimmed. Returns
// EFI_BAD_BUFFER_SIZE when the result would not fit.
EFI_STATUS boot_cmdline_from_file(char *dst, const char *src, UINTN len);
// Returns the menu countdown from the last `timeout=N` word (seconds, 0 = no menu),
// BOOT_DEFAULT_TIMEOUT when there is none; a malformed value is reported and ignored.
UINTN boot_cmdline_timeout(const char *line);
// Returns the value of the last `key=` word in line (it ends at a space or NUL),
// or NULL when there is none.
const char *boot_cmdline_value(const char *line, const char *key);
// Sets key=value in line (replacing the key's last word, or appending one).
// Returns FALSE when the result would not fit in BOOT_CMDLINE_MAX.
BOOLEAN boot_cmdline_set(char *line, const char *word);
// Appends the words in `words` to line. Returns FALSE when they would not fit.
BOOLEAN boot_cmdline_append(char *line, const char *words);
UINTN boot_strlen(const char *s);

// ---- menu.c, menu_table.c, editline.c: the boot menu

enum boot_action {
    BOOT_ACT_BOOT,     // boot with the command line (plus the entry's words)
    BOOT_ACT_EDIT,     // edit the command line, then boot
    BOOT_ACT_SET,      // set the entry's key=value words in the line, stay in the menu
    BOOT_ACT_REBOOT,
    BOOT_ACT_POWEROFF,
};

// One row of the menu. New rows (scenarios, "run all", options) go in menu_table.c.
struct boot_menu_entry {
    const char *key;     // what the user types to pick it ("1", "12", "e")
    const char *label;   // shown beside the key
    enum boot_action action;
    const char *words;   // BOOT: appended to the line; SET: key=value words to set
};

extern const struct boot_menu_entry boot_menu_table[];
extern const UINTN boot_menu_table_len;

// Shows the menu (unless the line's timeout is 0), counts down, lets the user pick
// a row. Returns BOOT_ACT_BOOT, BOOT_ACT_REBOOT or BOOT_ACT_POWEROFF; on BOOT the
// final command line is in line (BOOT_CMDLINE_MAX bytes).
enum boot_action boot_menu(char *line);
// Line editor on the console: shows prompt and the text in buf, handles printable
// keys, Backspace/Delete, Ctrl-U (clear), Enter (returns TRUE) and Esc (returns
// FALSE, buf restored).
BOOLEAN boot_edit_line(const char *prompt, char *buf, UINTN cap);

// ---- elf.c: the kernel image

struct boot_kernel {
    UINT64 phys_base; // start of the one contiguous block (2 MiB aligned)
    UINT64 virt_base; // link address of its first byte (page aligned)
    UINT64 size;      // bytes, page-rounded, from virt_base to the end of .bss
    UINT64 entry;     // ELF e_entry (a link address)
};

// Checks that the file is an ELF64 x86-64 executable whose every PT_LOAD segment
// fits the file and the kernel's window (boot/elf_check.h) and fills *img with what
// to copy. Prints the check that failed and returns EFI_LOAD_ERROR; copies nothing.
EFI_STATUS boot_elf_check(const void *file, UINTN size, struct elfchk_image *img);
// Allocates one SPANLAB_MEM_KERNEL block for img's span, zeroes it and copies the
// segments' file bytes. img must come from boot_elf_check on the same file.
EFI_STATUS boot_elf_load(const void *file, const struct elfchk_image *img, struct boot_kernel *k);

// ---- paging.c: the page tables the kernel starts on

// Builds 4-level tables in SPANLAB_MEM_BOOTDATA memory: the low 4 GiB and every
// memory-map range identity-mapped (2 MiB pages), the framebuffer too, and the
// kernel's link addresses onto its block (4 KiB pages). Returns the CR3 value.
EFI_STATUS boot_build_page_tables(const struct boot_kernel *k, const struct boot_framebuffer *fb,
                                  UINT64 *cr3);

// ---- gop.c: the screen

// Lists the GOP's modes into bi, sets the one gop= in bi->cmdline asks for
// (boot/gop_pick.h), and fills bi->fb from the mode in use. Without a GOP (or
// with a Blt-only mode) bi->fb stays empty and the kernel uses serial only.
void boot_gop_setup(struct boot_info *bi);

// ---- handoff.c: boot_info and the jump

// Fills the screen (gop.c), ACPI RSDP, system table and firmware fields of bi.
void boot_collect_platform(struct boot_info *bi);
// Gets the final memory map into SPANLAB_MEM_BOOTDATA memory, exits boot services
// (retrying when the map changed), loads cr3 and jumps to the kernel's entry with
// rdi = bi. Returns only when boot services could not be exited, with a status.
EFI_STATUS boot_exit_and_jump(EFI_HANDLE image, struct boot_info *bi, UINT64 cr3, UINT64 entry);

// Allocates pages of the given memory type (UEFI AllocateAnyPages) and zeroes them.
// Returns 0 when the firmware has no memory left.
UINT64 boot_alloc_pages(UINTN pages, UINT32 type);

#endif
