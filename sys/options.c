// The command line: one table of every key spanlab knows (kind, default, help) and
// the parser that reads GODEBUG-style "key=value" words into it.
//
// Invariants: every row always holds a valid value (its default until a word sets
// it); a malformed word never changes a row, it is reported by name through
// sys_printf and skipped, and the rest of the line is still parsed. Each row keeps
// its value text in its own fixed slot, so a parse allocates nothing and any line
// length is safe: a value longer than a slot is reported, never truncated silently.
#include "sys/options.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sys/sys.h"

typedef enum opt_kind {
    OPT_INT,  // decimal integer in [min, max]; "off" too when off_ok
    OPT_BOOL, // 0 or 1
    OPT_SIZE, // bytes: 64, 64B, 512K, 512KiB, 2M, 2MiB, 1G, 1GiB, 1T, 1TiB; "off" when off_ok
    OPT_STR,  // any text
    OPT_ENUM, // one of the '|'-separated choices; opt_int gives its index
    OPT_LIST, // "all" or comma-separated numbers: 1,3,5 (run=all|N,M)
} opt_kind_t;

typedef struct opt_row {
    const char *key;
    opt_kind_t kind;
    const char *def; // default, as it would be written on the command line
    int64_t min, max;
    bool off_ok;       // "off" is accepted and stands for off_value
    int64_t off_value;
    const char *choices; // OPT_ENUM
    const char *help;
} opt_row_t;

#define KIB 1024ll
#define NOLIMIT INT64_MAX

// Every key. Rows are parsed from their defaults at each opt_parse, so a default
// that does not parse is caught by the first test.
static const opt_row_t rows[] = {
    {"quit", OPT_BOOL, "0", 0, 1, false, 0, NULL,
     "1: power off when done (QEMU exit status 33 pass, 35 fail)"},
    {"verbose", OPT_INT, "0", 0, 9, false, 0, NULL, "how much to print: 0 quiet .. 9 everything"},
    {"selftest", OPT_STR, "", 0, 0, false, 0, NULL, "self-tests to run: a name or all"},
    {"timeout", OPT_INT, "5", 0, 3600, false, 0, NULL,
     "boot menu countdown in seconds, 0 = no menu (read by the loader)"},
    {"gop", OPT_STR, "keep", 0, 0, false, 0, NULL,
     "screen mode: WxH, max, or keep the firmware's (read by the loader)"},
    {"afterrun", OPT_ENUM, "poweroff", 0, 0, false, 0, "poweroff|reboot|wait",
     "what a finished run does when no key answers the prompt within aftertimeout"},
    {"aftertimeout", OPT_INT, "60", 1, 3600, false, 0, NULL,
     "seconds the end-of-run prompt counts down before afterrun (a key stops it)"},
    {"hwinfo", OPT_BOOL, "0", 0, 1, false, 0, NULL,
     "1: print what the kernel found (firmware, CPU, APIC, timers, ACPI, memory, screen)"},
    {"clockref", OPT_ENUM, "auto", 0, 0, false, 0, "auto|pm|hpet|cpuid|pit",
     "calibration reference; auto: ACPI PM timer, HPET, CPUID 0x15/0x16, PIT in that order"},
    {"apic", OPT_ENUM, "auto", 0, 0, false, 0, "auto|xapic|x2apic",
     "local APIC mode; auto: x2APIC when the CPU has it, else xAPIC"},
    {"poweroff", OPT_ENUM, "efi", 0, 0, false, 0, "efi|acpi|halt",
     "power off from: efi (ResetSystem, then ACPI S5, then halt), acpi (S5, then halt), halt"},
    {"run", OPT_LIST, "", 0, 999, false, 0, NULL, "scenarios to run: all or N,M,..."},
    {"gctrace", OPT_BOOL, "0", 0, 1, false, 0, NULL, "1: one line per GC, as GODEBUG=gctrace=1"},
    {"trace", OPT_BOOL, "0", 0, 1, false, 0, NULL,
     "1: TRACE lines, a time series of the heap per scenario variant (rt/memtrace.h)"},
    // Go 1.19 defaults to MADV_DONTNEED on Linux (runtime/runtime1.go parsedebugvars
    // sets debug.madvdontneed = 1; mem_linux.go sysUnused uses MADV_FREE only when 0).
    {"madv", OPT_ENUM, "dontneed", 0, 0, false, 0, "dontneed|free",
     "how released pages go back: dontneed (at once) or free (lazily, MADV_FREE)"},
    // GOGC: 100 unless set, "off" disables the collector (runtime/mgcpacer.go readGOGC).
    {"gogc", OPT_INT, "100", 0, INT32_MAX, true, -1, NULL,
     "GC target percentage, or off (as GOGC)"},
    // GOMEMLIMIT: math.MaxInt64 means no limit (runtime/mgcpacer.go readGOMEMLIMIT).
    {"memlimit", OPT_SIZE, "off", 0, NOLIMIT, true, NOLIMIT, NULL,
     "soft memory limit in bytes (K/M/G, KiB/MiB/GiB), or off (as GOMEMLIMIT)"},
    {"scale", OPT_INT, "1", 1, 1000000, false, 0, NULL, "multiplies the scenarios' sizes"},
    {"gcmode", OPT_ENUM, "stw", 0, 0, false, 0, "stw|inc",
     "collector: stw (stop the world for the whole mark) or inc (incremental marking)"},
    {"labseed", OPT_INT, "0", 0, 999999, false, 0, NULL,
     "N > 0: a lab student's seed, scales the labs' scenarios by 1 + k/64 (k from N)"},
    {"gcverify", OPT_BOOL, "0", 0, 1, false, 0, NULL, "1: verify the heap after every GC"},
    {"gcstress", OPT_INT, "0", 0, INT32_MAX, false, 0, NULL,
     "N > 0: force a GC every N allocations"},
    {"gcpoison", OPT_BOOL, "0", 0, 1, false, 0, NULL, "1: fill freed objects with a poison pattern"},
    // runtime/mprof.go: MemProfileRate = 512 * 1024.
    {"memprofilerate", OPT_INT, "524288", 0, INT32_MAX, false, 0, NULL,
     "bytes between sampled allocations, 0 = off (as runtime.MemProfileRate)"},
};

#define NROWS (sizeof rows / sizeof rows[0])

// Longest value text a row holds (run=1,2,...,18 is 45 bytes).
#define VALUE_MAX 191

// The parsed state of each row: its value as an integer (when the kind has one),
// its text (the default's, or a copy in buf), and whether the command line gave it.
static struct {
    int64_t ival;
    const char *text;
    bool given;
    char buf[VALUE_MAX + 1];
} state[NROWS];

static bool parsed_once;

// Returns the row for key (len bytes), or NULL.
static const opt_row_t *find_row(const char *key, size_t len) {
    for (size_t i = 0; i < NROWS; i++)
        if (strlen(rows[i].key) == len && memcmp(rows[i].key, key, len) == 0)
            return &rows[i];
    return NULL;
}

// Parses a decimal integer filling all of s[0..len); returns false on anything
// else or on overflow of int64_t.
static bool parse_dec(const char *s, size_t len, int64_t *out) {
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return false;
    for (; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

// Parses a byte count with an optional unit (B, K, KiB, M, MiB, G, GiB, T, TiB; all
// binary, as Go's parseByteCount in runtime/string.go); false when malformed or
// when the result overflows int64_t.
static bool parse_size(const char *s, size_t len, int64_t *out) {
    static const char units[] = "KMGT";
    size_t n = 0;
    while (n < len && isdigit((unsigned char)s[n]))
        n++;
    int64_t v;
    if (n == 0 || !parse_dec(s, n, &v))
        return false;
    const char *u = s + n;
    size_t ulen = len - n;
    int shift = 0;
    if (ulen == 1 && u[0] == 'B') {
        ulen = 0;
    } else if (ulen >= 1) {
        const char *p = strchr(units, u[0]);
        if (!p || u[0] == 0)
            return false;
        shift = 10 * (int)(p - units + 1);
        if (!(ulen == 1 || (ulen == 3 && u[1] == 'i' && u[2] == 'B')))
            return false;
    }
    if (v > (INT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

// Checks one comma-separated list: all, or numbers in [min, max]. Returns true
// when well formed.
static bool parse_list(const opt_row_t *r, const char *s, size_t len) {
    if (len == 3 && memcmp(s, "all", 3) == 0)
        return true;
    if (len == 0)
        return true; // empty: nothing selected
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != ',')
            j++;
        int64_t a;
        if (!parse_dec(s + i, j - i, &a) || s[i] == '+' || s[i] == '-' || a < r->min ||
            a > r->max)
            return false;
        i = j + 1;
    }
    return true;
}

// Parses value (len bytes) for row r; returns true and sets *ival when it is valid.
static bool parse_value(const opt_row_t *r, const char *v, size_t len, int64_t *ival) {
    *ival = 0;
    if (r->off_ok && len == 3 && memcmp(v, "off", 3) == 0) {
        *ival = r->off_value;
        return true;
    }
    switch (r->kind) {
    case OPT_INT:
        return parse_dec(v, len, ival) && *ival >= r->min && *ival <= r->max;
    case OPT_BOOL:
        *ival = len == 1 ? v[0] - '0' : -1;
        return *ival == 0 || *ival == 1;
    case OPT_SIZE:
        return parse_size(v, len, ival) && *ival >= r->min && *ival <= r->max;
    case OPT_STR:
        return true;
    case OPT_ENUM: {
        const char *c = r->choices;
        for (int64_t idx = 0; *c; idx++) {
            const char *bar = strchr(c, '|');
            size_t clen = bar ? (size_t)(bar - c) : strlen(c);
            if (clen == len && memcmp(c, v, len) == 0) {
                *ival = idx;
                return true;
            }
            c += clen + (bar ? 1 : 0);
        }
        return false;
    }
    case OPT_LIST:
        return parse_list(r, v, len);
    }
    return false;
}

// Describes what row r accepts, for the "bad value" report.
static const char *want(const opt_row_t *r, char *buf, size_t len) {
    const char *off = r->off_ok ? " or off" : "";
    switch (r->kind) {
    case OPT_INT:
        snprintf(buf, len, "an integer from %lld to %lld%s", (long long)r->min,
                 (long long)r->max, off);
        break;
    case OPT_BOOL:
        snprintf(buf, len, "0 or 1");
        break;
    case OPT_SIZE:
        snprintf(buf, len, "a size like 512M or 2GiB%s", off);
        break;
    case OPT_ENUM:
        snprintf(buf, len, "one of %s", r->choices);
        break;
    case OPT_LIST:
        snprintf(buf, len, "all or numbers from %lld to %lld like 1,3,5", (long long)r->min,
                 (long long)r->max);
        break;
    default:
        snprintf(buf, len, "text");
    }
    return buf;
}

// Longest piece of a bad word quoted back in a report.
#define QUOTE_MAX 48

// Applies one word (len bytes, no spaces). Returns 1 when it was reported as a
// problem, 0 when it was applied.
static int apply_word(const char *w, size_t len) {
    int q = len > QUOTE_MAX ? QUOTE_MAX : (int)len;
    const char *dots = len > QUOTE_MAX ? "..." : "";
    const char *eq = memchr(w, '=', len);
    if (!eq) {
        if (len == 4 && memcmp(w, "help", 4) == 0) {
            opt_print_help();
            return 0;
        }
        sys_printf("spanlab: '%.*s%s' is not key=value, ignored\n", q, w, dots);
        return 1;
    }
    size_t klen = (size_t)(eq - w);
    const opt_row_t *r = find_row(w, klen);
    if (!r) {
        int kq = klen > QUOTE_MAX ? QUOTE_MAX : (int)klen;
        sys_printf("spanlab: unknown option '%.*s%s' ignored\n", kq, w,
                   klen > QUOTE_MAX ? "..." : "");
        return 1;
    }
    const char *v = eq + 1;
    size_t vlen = len - klen - 1;
    int64_t ival;
    if (!parse_value(r, v, vlen, &ival)) {
        char buf[96];
        int vq = vlen > QUOTE_MAX ? QUOTE_MAX : (int)vlen;
        sys_printf("spanlab: bad value '%.*s%s' for %s (want %s) ignored\n", vq, v,
                   vlen > QUOTE_MAX ? "..." : "", r->key, want(r, buf, sizeof buf));
        return 1;
    }
    if (vlen > VALUE_MAX) {
        sys_printf("spanlab: value for %s too long (%zu bytes, at most %d) ignored\n", r->key,
                   vlen, VALUE_MAX);
        return 1;
    }
    size_t i = (size_t)(r - rows);
    memcpy(state[i].buf, v, vlen);
    state[i].buf[vlen] = 0;
    state[i].ival = ival;
    state[i].text = state[i].buf;
    state[i].given = true;
    return 0;
}

// Sets every row to its default. Panics when a default does not parse: a bug in
// the table.
static void reset(void) {
    for (size_t i = 0; i < NROWS; i++) {
        if (!parse_value(&rows[i], rows[i].def, strlen(rows[i].def), &state[i].ival))
            sys_panic("options: default '%s' of %s does not parse", rows[i].def, rows[i].key);
        state[i].text = rows[i].def;
        state[i].given = false;
    }
    parsed_once = true;
}

// Applies every word of s[0..len) (words separated by spaces, tabs, newlines);
// returns the number of problems.
static int apply_words(const char *s, size_t len) {
    int problems = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < len && !isspace((unsigned char)s[i]))
            i++;
        if (i > start)
            problems += apply_word(s + start, i - start);
    }
    return problems;
}

int opt_parse(const char *line) {
    reset();
    return line ? apply_words(line, strlen(line)) : 0;
}

int opt_parse_argv(int argc, char **argv) {
    int problems = 0;
    reset();
    for (int i = 0; i < argc; i++)
        problems += apply_words(argv[i], strlen(argv[i]));
    return problems;
}

// Returns the row of key, panicking when there is none (a bug in the caller).
static size_t row_index(const char *key, const char *who) {
    const opt_row_t *r = find_row(key, strlen(key));
    if (!r)
        sys_panic("%s: no option '%s' in the table (sys/options.c)", who, key);
    if (!parsed_once)
        reset();
    return (size_t)(r - rows);
}

int64_t opt_int(const char *key) {
    size_t i = row_index(key, "opt_int");
    if (rows[i].kind == OPT_STR || rows[i].kind == OPT_LIST)
        sys_panic("opt_int: %s is a text option, use opt_str", key);
    return state[i].ival;
}

const char *opt_str(const char *key) {
    return state[row_index(key, "opt_str")].text;
}

bool opt_given(const char *key) {
    return state[row_index(key, "opt_given")].given;
}

bool opt_list_has(const char *key, int64_t n) {
    size_t i = row_index(key, "opt_list_has");
    const char *s = state[i].text;
    if (rows[i].kind != OPT_LIST)
        sys_panic("opt_list_has: %s is not a list option", key);
    if (strcmp(s, "all") == 0)
        return true;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        int64_t a = -1;
        parse_dec(s, len, &a);
        if (n == a)
            return true;
        s += len + (comma ? 1 : 0);
    }
    return false;
}

void opt_format(char *buf, size_t len) {
    size_t n = 0;
    if (len == 0)
        return;
    buf[0] = 0;
    if (!parsed_once)
        reset();
    for (size_t i = 0; i < NROWS; i++) {
        if (!state[i].given)
            continue;
        int w = snprintf(buf + n, len - n, "%s%s=%s", n ? " " : "", rows[i].key, state[i].text);
        if (w < 0 || (size_t)w >= len - n) { // did not fit: end at the last whole word
            buf[n] = 0;
            return;
        }
        n += (size_t)w;
    }
}

void opt_print_help(void) {
    sys_printf("spanlab options (key=value, separated by spaces):\n");
    for (size_t i = 0; i < NROWS; i++)
        sys_printf("  %-15s %-9s %s\n", rows[i].key, rows[i].def[0] ? rows[i].def : "\"\"",
                   rows[i].help);
}
