// Scenario results: the keys each variant records, their outcomes, and the CHECK
// lines that compare them. Integers only, so every line parses the same way. A key
// a check asks for and no variant recorded fails that check by name; a check that
// cannot hold under a mode of the run (mode_skips) prints SKIP with its reason.
#include <stdio.h>
#include <string.h>
#include "scenarios/runner_internal.h"
#include "sys/sys.h"

// Records name=value for the running variant; a repeated name overwrites.
void sc_key(sc_run_t *r, const char *name, int64_t value) {
    for (int i = 0; i < r->nkeys; i++) {
        if (strcmp(r->keys[i].name, name) == 0) {
            r->keys[i].value = value;
            return;
        }
    }
    if (r->nkeys == SC_MAX_KEYS + SC_COMMON_KEYS)
        sys_panic("scenario %02d: too many keys (adding %s)", r->scenario->number, name);
    r->keys[r->nkeys].name = name;
    r->keys[r->nkeys].value = value;
    r->nkeys++;
}

// Finds the run of variant name, or NULL.
static const sc_run_t *find_run(const sc_results_t *res, const char *variant) {
    for (int i = 0; i < res->nruns; i++)
        if (strcmp(res->runs[i].variant->name, variant) == 0)
            return &res->runs[i];
    return NULL;
}

// Notes variant.key as missing, for the next sc_check to fail and name.
static void note_missing(sc_results_t *res, const char *variant, const char *key) {
    size_t used = strlen(res->missing);
    if (used + 1 >= sizeof res->missing)
        return; // enough names to fail the check; the rest would not fit
    snprintf(res->missing + used, sizeof res->missing - used, "%s%s.%s", used ? "," : "",
             variant, key);
}

// Returns the key of a variant; a missing one reads 0 and is noted (scenario.h).
int64_t sc_get(sc_results_t *res, const char *variant, const char *key) {
    const sc_run_t *r = find_run(res, variant);
    if (r)
        for (int i = 0; i < r->nkeys; i++)
            if (strcmp(r->keys[i].name, key) == 0)
                return r->keys[i].value;
    note_missing(res, variant, key);
    return 0;
}

int64_t sc_div(int64_t a, int64_t b) { return a / (b < 1 ? 1 : b); }

// Returns "ok", "deadlock", "oom", "panic", "skipped", or "missing".
const char *sc_outcome(const sc_results_t *res, const char *variant) {
    const sc_run_t *r = find_run(res, variant);
    return r ? r->outcome : "missing";
}

// Evaluates value OP expect.
static bool compare(int64_t value, const char *op, int64_t expect) {
    if (strcmp(op, ">=") == 0) return value >= expect;
    if (strcmp(op, "<=") == 0) return value <= expect;
    if (strcmp(op, "==") == 0) return value == expect;
    if (strcmp(op, "!=") == 0) return value != expect;
    if (strcmp(op, ">") == 0) return value > expect;
    if (strcmp(op, "<") == 0) return value < expect;
    sys_panic("sc_check: unknown operator '%s'", op);
}

// The reason the scenario gives for skipping check name under a mode active in
// this run (the mode written to under), or NULL.
static const char *skip_reason(const sc_scenario_t *s, const char *name, char *under,
                               size_t len) {
    for (const sc_mode_skip_t *k = s->mode_skips; k && k->mode; k++)
        if (strcmp(k->check, name) == 0 && sc_mode_active(k->mode, under, len))
            return k->why;
    return NULL;
}

// Prints one CHECK (or SKIP) line, counts it, returns whether it passed.
bool sc_check(sc_results_t *res, const char *name, int64_t value, const char *op,
              int64_t expect) {
    bool ok = compare(value, op, expect) && !res->missing[0];
    char under[64];
    const char *why = res->missing[0] ? NULL : skip_reason(res->scenario, name, under, sizeof under);
    const char *verb = why ? "SKIP" : "CHECK";
    sys_printf("%s bug=%02d name=%s value=%lld expect=%s%lld", verb, res->scenario->number, name,
               (long long)value, op, (long long)expect);
    if (why) {
        sys_printf(" under=%s: %s\n", under, why);
        res->checks_skipped++;
        return true;
    }
    if (res->missing[0])
        sys_printf(" FAIL missing=%s\n", res->missing);
    else
        sys_printf(" %s\n", ok ? "PASS" : "FAIL");
    res->missing[0] = 0;
    if (ok)
        res->passed++;
    else
        res->failed++;
    return ok;
}
