// aml_: just enough of ACPI Machine Language to read the \_S5 object, the two
// SLP_TYP values that put the machine in soft-off (ACPI 6.5, 7.4.2). A full AML
// interpreter is thousands of lines; firmware almost always writes _S5 as a
// static package, Name (_S5, Package () { a, b, ... }), and that is the one form
// understood here. Pure bytes in, values out: no hardware, every read checked
// against the table's end (tests/unit/acpi_test.c feeds it real and broken AML).
#ifndef SPANLAB_KERNEL_AML_S5_H
#define SPANLAB_KERNEL_AML_S5_H

#include <stddef.h>
#include <stdint.h>

typedef enum aml_s5_result {
    AML_S5_FOUND = 0,
    AML_S5_ABSENT,    // no Name(_S5, Package ...) in the table
    AML_S5_MALFORMED, // found, but the package does not decode (cut short, not integers)
} aml_s5_result_t;

// Searches a DSDT or SSDT (the whole table, header included: len bytes at t)
// for Name (_S5, Package) and reads its first two elements into *typa and *typb
// (typb = 0 when the package has one element). SLP_TYP values are 3 bits; a
// larger value makes the package malformed. *offset (when not NULL) receives
// where the name was found, for the report.
aml_s5_result_t aml_find_s5(const uint8_t *t, size_t len, uint8_t *typa, uint8_t *typb,
                            size_t *offset);

// A short description of a result ("found", "absent", "malformed").
const char *aml_s5_result_name(aml_s5_result_t r);

#endif
