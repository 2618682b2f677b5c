// acpi_: reading ACPI's static tables (ACPI 6.5, chapter 5.2) without touching
// hardware: the RSDP -> XSDT/RSDT walk, and the few fields spanlab uses from the
// FADT (PM timer, PM1 control, sleep control, reset register, DSDT), the HPET
// table (the HPET's address) and the MADT (how many CPUs). Tables are reached
// through a caller's map function, so the host tests feed them from a buffer and
// the kernel from its direct map. Every read is bounds-checked against the
// table's length; a table whose checksum or length is wrong is skipped.
#ifndef SPANLAB_KERNEL_ACPI_TABLES_H
#define SPANLAB_KERNEL_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_TABLES_MAX 48 // tables remembered from the XSDT (hwinfo lists them)

// Returns a pointer to len readable bytes at physical address pa, or NULL when
// that memory cannot be read (outside RAM, not mapped, past the buffer).
typedef const uint8_t *(*acpi_map_fn)(uint64_t pa, uint32_t len, void *ctx);

typedef struct acpi_table_ref {
    char sig[5];       // "FACP", "APIC" ... NUL-terminated
    char oem_id[7];    // the header's OEM ID, NUL-terminated, trailing spaces kept
    uint8_t revision;
    bool checksum_ok;
    uint32_t length;
    uint64_t pa;
} acpi_table_ref_t;

typedef struct acpi_table_list {
    uint8_t rsdp_revision; // 0: ACPI 1.0 (RSDT), 2+: XSDT
    bool xsdt;             // entries came from the XSDT (else the RSDT)
    int count;             // entries in tables[] (the DSDT is added after the FADT)
    int skipped;           // entries that could not be read or had a bad length
    acpi_table_ref_t tables[ACPI_TABLES_MAX];
} acpi_table_list_t;

// Generic Address Structure (5.2.3.2).
typedef struct acpi_gas {
    uint8_t space; // ACPI_SPACE_*
    uint8_t bit_width, bit_offset, access_size;
    uint64_t address; // 0: not present
} acpi_gas_t;

#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1

typedef struct acpi_fadt_info {
    uint8_t revision;
    uint64_t dsdt;          // X_DSDT when set, else DSDT
    bool hw_reduced;        // Flags.HW_REDUCED_ACPI: no PM timer, no PM1 blocks
    acpi_gas_t pm_timer;    // address 0 when there is none (or hardware-reduced)
    bool pm_timer_32bit;    // Flags.TMR_VAL_EXT
    acpi_gas_t pm1a_cnt, pm1b_cnt;
    acpi_gas_t sleep_control; // hardware-reduced sleep (6.x), address 0 if none
    acpi_gas_t reset_reg;     // valid when reset_supported
    bool reset_supported;
    uint8_t reset_value;
    uint32_t smi_cmd;       // port to switch to ACPI mode, 0 when always in it
    uint8_t acpi_enable;    // value to write there
    uint16_t boot_arch;     // IAPC_BOOT_ARCH: bit 1 = 8042 present
} acpi_fadt_info_t;

#define ACPI_BOOT_ARCH_8042 (1u << 1)

typedef struct acpi_madt_info {
    uint32_t lapic_address;   // from the header (an override entry replaces it)
    uint64_t lapic_override;  // type 5 entry, 0 when none
    bool pcat_compat;         // dual 8259 PICs present
    uint32_t cpus_enabled;    // processor entries (types 0 and 9) with Enabled set
    uint32_t cpus_possible;   // Online Capable but not enabled (hot-plug slots)
    uint32_t x2apic_entries;  // of those, type 9 (x2APIC IDs)
    uint32_t ioapics;
    bool truncated;           // an entry ran past the end: counts are partial
} acpi_madt_info_t;

// Checks a table's header at t (avail readable bytes): length >= 36 and <= avail.
// Returns the length, 0 when unusable. *checksum_ok says whether its bytes sum to 0.
uint32_t acpi_table_check(const uint8_t *t, uint32_t avail, bool *checksum_ok);

// Walks RSDP -> XSDT (or RSDT) into list, then appends the DSDT named by the FADT.
// Returns false (list->count 0) when the RSDP is missing or malformed.
bool acpi_tables_find(uint64_t rsdp_pa, acpi_map_fn map, void *ctx, acpi_table_list_t *list);

// The first table with signature sig in list, or NULL.
const acpi_table_ref_t *acpi_tables_get(const acpi_table_list_t *list, const char *sig);

// Parses a FADT of len bytes. Returns false when it is too short to be one.
bool acpi_fadt_parse(const uint8_t *t, uint32_t len, acpi_fadt_info_t *out);

// Parses the HPET table: the event timer block's address (system memory).
// Returns false when absent, too short or not in memory space.
bool acpi_hpet_parse(const uint8_t *t, uint32_t len, uint64_t *base);

// Parses the MADT (signature "APIC"). Returns false when it is too short.
bool acpi_madt_parse(const uint8_t *t, uint32_t len, acpi_madt_info_t *out);

#endif
