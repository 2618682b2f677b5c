// libFuzzer target for the command-line parser (sys/options.c), through its public
// API only, with what it prints captured from stdout (sys_printf writes to fd 1).
// The keys and defaults come from the parser's own help table. For every line:
//  - the parse never crashes and reports each problem on exactly one line;
//  - each word, parsed alone, is either accepted (the key is given with exactly the
//    word's value text) or reported as one problem naming its key (or the word);
//  - after the whole line every key holds its last accepted word's value, or its
//    default when no word for it was accepted;
//  - opt_format's line parses back without a problem to the same state;
//  - the run list answers opt_list_has as its text says.
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sys/options.h"
#include "tests/fuzz/fuzz_check.h"

#define MAX_KEYS 64
#define MAX_LINE 1024
#define OUT_MAX (1 << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct {
    char name[32], def[64];
} keys[MAX_KEYS];
static int nkeys;
static int capture_fd, stdout_fd;
static char out[OUT_MAX];

// Runs opt_parse(line) with fd 1 redirected into a memfd; the printed text is left
// in out. Returns the problem count.
static int parse_captured(const char *line) {
    FUZZ_CHECK(ftruncate(capture_fd, 0) == 0 && lseek(capture_fd, 0, SEEK_SET) == 0, "memfd");
    dup2(capture_fd, 1);
    int problems = opt_parse(line);
    dup2(stdout_fd, 1);
    ssize_t n = pread(capture_fd, out, sizeof out - 1, 0);
    out[n > 0 ? n : 0] = 0;
    return problems;
}

// Counts the report lines ("spanlab: ..." at a line start) in out.
static int report_lines(void) {
    int n = 0;
    for (const char *p = out; (p = strstr(p, "spanlab: ")) != NULL; p++)
        n += p == out || p[-1] == '\n';
    return n;
}

// Learns every key and its default from the help table ("  key  default  help").
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    capture_fd = memfd_create("options_fuzz", 0);
    stdout_fd = dup(1);
    FUZZ_CHECK(capture_fd >= 0 && stdout_fd >= 0, "memfd_create/dup");
    FUZZ_CHECK(parse_captured("help") == 0, "help is not a problem");
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "  ", 2) != 0 || nkeys == MAX_KEYS)
            continue;
        FUZZ_CHECK(sscanf(line, "%31s %63s", keys[nkeys].name, keys[nkeys].def) == 2, "%s", line);
        if (strcmp(keys[nkeys].def, "\"\"") == 0)
            keys[nkeys].def[0] = 0;
        nkeys++;
    }
    FUZZ_CHECK(nkeys >= 10, "only %d keys in the help table", nkeys);
    return 0;
}

// Returns the index of key[0..len) in keys, or -1.
static int key_index(const char *key, size_t len) {
    for (int k = 0; k < nkeys; k++)
        if (strlen(keys[k].name) == len && memcmp(keys[k].name, key, len) == 0)
            return k;
    return -1;
}

// Parses one word alone; when accepted, records its value (in the line) as its key's latest.
static void check_word(const char *w, size_t len, const char **latest, size_t *lens) {
    char word[MAX_LINE + 1];
    memcpy(word, w, len);
    word[len] = 0;
    const char *eq = strchr(word, '=');
    int k = eq ? key_index(word, (size_t)(eq - word)) : -1;
    int problems = parse_captured(word);
    FUZZ_CHECK(problems == report_lines() && problems <= 1, "'%s': %d problems:\n%s", word,
               problems, out);
    if (problems == 1) { // named: " for KEY " (a bad value), else the start of the key or word
        char named[64];
        int quoted = eq ? (int)(eq - word) : (int)len;
        if (k >= 0)
            snprintf(named, sizeof named, " for %s ", keys[k].name);
        else
            snprintf(named, sizeof named, "'%.*s", quoted < 20 ? quoted : 20, word);
        FUZZ_CHECK(strstr(out, named) != NULL, "'%s' reported without '%s':\n%s", word, named, out);
        return;
    }
    if (k < 0) {
        FUZZ_CHECK(strcmp(word, "help") == 0, "'%s' accepted without a known key", word);
        return;
    }
    FUZZ_CHECK(opt_given(keys[k].name) && strcmp(opt_str(keys[k].name), eq + 1) == 0,
               "'%s' accepted as '%s'", word, opt_str(keys[k].name));
    latest[k] = w + (eq + 1 - word); // into the line, which outlives this call
    lens[k] = len - (size_t)(eq + 1 - word);
}

// Checks the state after the whole line: latest[k] (length lens[k]) or the default.
static void check_state(const char *const *latest, const size_t *lens) {
    for (int k = 0; k < nkeys; k++) {
        const char *v = opt_str(keys[k].name);
        if (!latest[k]) {
            FUZZ_CHECK(!opt_given(keys[k].name) && strcmp(v, keys[k].def) == 0,
                       "%s: '%s', not the default '%s'", keys[k].name, v, keys[k].def);
        } else {
            FUZZ_CHECK(opt_given(keys[k].name) && strlen(v) == lens[k] &&
                           memcmp(v, latest[k], lens[k]) == 0,
                       "%s: '%s', not its last accepted value", keys[k].name, v);
        }
    }
}

// True when the run list's text selects n ("all", or n among its comma-separated numbers).
static bool list_says(const char *text, long n) {
    if (strcmp(text, "all") == 0)
        return true;
    for (const char *p = text; *p; p++)
        if ((p == text || p[-1] == ',') && strtol(p, NULL, 10) == n && isdigit((unsigned char)*p))
            return true;
    return false;
}

// opt_format's line must parse back to the same state; the run list must agree.
static void check_round_trip(void) {
    static char line[8192], saved[MAX_KEYS][256];
    bool given[MAX_KEYS];
    for (int k = 0; k < nkeys; k++) {
        given[k] = opt_given(keys[k].name);
        snprintf(saved[k], sizeof saved[k], "%s", opt_str(keys[k].name));
    }
    for (int k = 0; k < nkeys; k++)
        if (strcmp(keys[k].name, "run") == 0)
            for (long n = 0; n < 1000; n += 1 + n / 16)
                FUZZ_CHECK(opt_list_has("run", n) == list_says(saved[k], n), "run=%s, %ld",
                           saved[k], n);
    opt_format(line, sizeof line);
    FUZZ_CHECK(parse_captured(line) == 0, "opt_format's '%s' does not parse back:\n%s", line, out);
    for (int k = 0; k < nkeys; k++)
        FUZZ_CHECK(opt_given(keys[k].name) == given[k] &&
                       strcmp(opt_str(keys[k].name), saved[k]) == 0,
                   "%s after opt_format's '%s': '%s', was '%s'", keys[k].name, line,
                   opt_str(keys[k].name), saved[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char line[MAX_LINE + 1];
    if (size > MAX_LINE)
        return 0;
    memcpy(line, data, size);
    line[size] = 0; // an embedded NUL ends the line, as it would in C
    const char *latest[MAX_KEYS] = {0};
    size_t lens[MAX_KEYS] = {0};
    size_t len = strlen(line);
    for (size_t i = 0; i < len;) { // words: runs of non-space bytes, as documented
        while (i < len && isspace((unsigned char)line[i]))
            i++;
        size_t start = i;
        while (i < len && !isspace((unsigned char)line[i]))
            i++;
        if (i == start)
            continue;
        check_word(line + start, i - start, latest, lens);
    }
    int problems = parse_captured(line);
    FUZZ_CHECK(problems == report_lines(), "%d problems, %d report lines:\n%s", problems,
               report_lines(), out);
    check_state(latest, lens);
    check_round_trip();
    return 0;
}
