// aml_: the \_S5 package in AML (see aml_s5.h). The encoding, from ACPI 6.5
// chapter 20 (AML grammar):
//   DefName      := NameOp(0x08) NameString DataRefObject
//   NameString   := ['\' | '^'...] NameSeg            (only the one-segment form)
//   DefPackage   := PackageOp(0x12) PkgLength NumElements(byte) PackageElementList
//   PkgLength    := lead byte; bits 7-6 = number of extra bytes (0-3); with none,
//                   bits 5-0 are the length; with some, bits 3-0 are its low
//                   nibble and each extra byte the next 8 bits. The length
//                   counts the PkgLength bytes themselves and the rest of the package.
//   integers     := ZeroOp 0x00 | OneOp 0x01 | OnesOp 0xff | BytePrefix 0x0a b |
//                   WordPrefix 0x0b w | DWordPrefix 0x0c d | QWordPrefix 0x0e q
// A cursor (pos, end) walks the bytes; every read checks pos < end first, and a
// package's end is clipped to nothing beyond the table.
#include "kernel/aml_s5.h"

#include <stdbool.h>
#include <string.h>

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR '\\'
#define AML_PARENT_PREFIX '^'
#define ACPI_HEADER_LEN 36
#define SLP_TYP_MAX 7 // a 3-bit field in PM1_CNT and SLEEP_CONTROL

typedef struct cursor {
    const uint8_t *p;
    size_t pos, end;
} cursor_t;

// Reads one byte into *b; false at the end.
static bool take(cursor_t *c, uint8_t *b) {
    if (c->pos >= c->end)
        return false;
    *b = c->p[c->pos++];
    return true;
}

// Reads a little-endian integer of n bytes; false when it runs past the end.
static bool take_le(cursor_t *c, int n, uint64_t *v) {
    *v = 0;
    for (int i = 0; i < n; i++) {
        uint8_t b;
        if (!take(c, &b))
            return false;
        *v |= (uint64_t)b << (8 * i);
    }
    return true;
}

// Decodes a PkgLength at the cursor; *pkg_end = where the package ends.
// False when it is cut short, uses the reserved bits, or reaches past c->end.
static bool take_pkglength(cursor_t *c, size_t *pkg_end) {
    size_t start = c->pos;
    uint8_t lead;
    if (!take(c, &lead))
        return false;
    int extra = lead >> 6;
    uint64_t len = extra ? (lead & 0x0f) : (lead & 0x3f);
    if (extra && (lead & 0x30))
        return false; // bits 5-4 must be zero when extra bytes follow
    for (int i = 0; i < extra; i++) {
        uint8_t b;
        if (!take(c, &b))
            return false;
        len |= (uint64_t)b << (4 + 8 * i);
    }
    if (len < (uint64_t)(1 + extra) || len > c->end - start)
        return false;
    *pkg_end = start + (size_t)len;
    return true;
}

// Reads one integer element (the constant forms only).
static bool take_integer(cursor_t *c, uint64_t *v) {
    uint8_t op;
    if (!take(c, &op))
        return false;
    switch (op) {
    case 0x00: *v = 0; return true;
    case 0x01: *v = 1; return true;
    case 0xff: *v = ~0ull; return true;
    case 0x0a: return take_le(c, 1, v);
    case 0x0b: return take_le(c, 2, v);
    case 0x0c: return take_le(c, 4, v);
    case 0x0e: return take_le(c, 8, v);
    default: return false; // a name, a method call or an expression: not static
    }
}

// Decodes the package starting at its PackageOp (pos); true with both values.
static bool decode_package(const uint8_t *t, size_t len, size_t pos, uint8_t *a, uint8_t *b) {
    cursor_t c = {t, pos, len};
    uint8_t op, count;
    size_t pkg_end;
    if (!take(&c, &op) || op != AML_PACKAGE_OP || !take_pkglength(&c, &pkg_end))
        return false;
    c.end = pkg_end; // elements may not run past their package
    if (!take(&c, &count) || count == 0)
        return false;
    uint64_t va, vb = 0;
    if (!take_integer(&c, &va) || (count >= 2 && !take_integer(&c, &vb)))
        return false;
    if (va > SLP_TYP_MAX || vb > SLP_TYP_MAX)
        return false;
    *a = (uint8_t)va;
    *b = (uint8_t)vb;
    return true;
}

// True when the NameSeg at i is introduced by NameOp, optionally through a
// root character or parent prefixes.
static bool name_op_before(const uint8_t *t, size_t i) {
    size_t j = i;
    while (j > ACPI_HEADER_LEN && t[j - 1] == AML_PARENT_PREFIX)
        j--;
    if (j == i && j > ACPI_HEADER_LEN && t[j - 1] == AML_ROOT_CHAR)
        j--;
    return j > ACPI_HEADER_LEN && t[j - 1] == AML_NAME_OP;
}

aml_s5_result_t aml_find_s5(const uint8_t *t, size_t len, uint8_t *typa, uint8_t *typb,
                            size_t *offset) {
    aml_s5_result_t result = AML_S5_ABSENT;
    if (!t || len <= ACPI_HEADER_LEN + 4)
        return result;
    // A candidate that fails to decode may be a lookalike (bytes inside another
    // object); keep looking, and call it malformed only if no other one decodes.
    for (size_t i = ACPI_HEADER_LEN + 1; i + 4 < len; i++) {
        if (memcmp(t + i, "_S5_", 4) != 0 || !name_op_before(t, i))
            continue;
        if (t[i + 4] != AML_PACKAGE_OP)
            continue; // Name(_S5, something else) or a method: not a static package
        uint8_t a, b;
        if (decode_package(t, len, i + 4, &a, &b)) {
            *typa = a;
            *typb = b;
            if (offset)
                *offset = i;
            return AML_S5_FOUND;
        }
        result = AML_S5_MALFORMED;
    }
    return result;
}

const char *aml_s5_result_name(aml_s5_result_t r) {
    switch (r) {
    case AML_S5_FOUND: return "found";
    case AML_S5_ABSENT: return "absent";
    default: return "malformed";
    }
}
