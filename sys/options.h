// Command-line options: GODEBUG-style "key=value" words separated by spaces.
//
// One table in sys/options.c lists every key spanlab knows, its kind and its default.
// opt_parse() reads a command line into that table; an unknown key or a malformed
// value is reported by name on the console and ignored, never fatal. The kernel
// parses the line the loader hands over; the hosted program parses argv.
#ifndef SPANLAB_OPTIONS_H
#define SPANLAB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Parses line (NUL-terminated, may be empty). Returns the number of problems
// reported (unknown keys, malformed values). Safe to call more than once: later
// calls start from the defaults again.
int opt_parse(const char *line);

// Like opt_parse, but the words come from argv[0..argc), each entry split at
// spaces like a line (hosted main passes argc - 1, argv + 1).
int opt_parse_argv(int argc, char **argv);

// The value of key as an integer (sizes accept K/M/G suffixes, booleans 0/1,
// "off" is -1 for gogc). Panics on a key that is not in the table: that is a bug.
int64_t opt_int(const char *key);

// The value of key as a string (the raw text, or the default).
const char *opt_str(const char *key);

// True when key appeared on the command line (not just defaulted).
bool opt_given(const char *key);

// Writes the parsed command line, "key=value ..." for every given key, to buf
// (always NUL-terminated; words that do not fit are left out whole).
void opt_format(char *buf, size_t len);

// True when list option key (run=all|N,M,...) selects n. Panics on a non-list key.
bool opt_list_has(const char *key, int64_t n);

// Prints every key with its default and one line of help (also the word "help").
void opt_print_help(void);

#endif
