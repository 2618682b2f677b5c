// Scenario results: the keys each variant records, their outcomes, and the CHECK
// lines that compare them. Integers only, so every line parses the same way.
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

// Returns the key of a variant, or -1 when either is missing.
int64_t sc_get(const sc_results_t *res, const char *variant, const char *key) {
    const sc_run_t *r = find_run(res, variant);
    if (!r)
        return -1;
    for (int i = 0; i < r->nkeys; i++)
        if (strcmp(r->keys[i].name, key) == 0)
            return r->keys[i].value;
    return -1;
}

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

// Prints one CHECK line, counts it, returns whether it passed.
bool sc_check(sc_results_t *res, const char *name, int64_t value, const char *op,
              int64_t expect) {
    bool ok = compare(value, op, expect);
    sys_printf("CHECK bug=%02d name=%s value=%lld expect=%s%lld %s\n", res->scenario->number,
               name, (long long)value, op, (long long)expect, ok ? "PASS" : "FAIL");
    if (ok)
        res->passed++;
    else
        res->failed++;
    return ok;
}
