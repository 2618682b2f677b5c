// What the scenario runner keeps per variant and per scenario (shared by
// runner.c, results.c and report.c; scenarios themselves see only scenario.h).
#ifndef SPANLAB_RUNNER_INTERNAL_H
#define SPANLAB_RUNNER_INTERNAL_H

#include "scenarios/scenario.h"

#define SC_COMMON_KEYS 16

struct sc_run {
    const sc_scenario_t *scenario;
    const sc_variant_t *variant;
    const char *outcome; // "ok", "deadlock", "oom", "panic"
    char message[200];   // the panic or OOM message
    struct {
        const char *name;
        int64_t value;
    } keys[SC_MAX_KEYS + SC_COMMON_KEYS];
    int nkeys;
    int ncommon;      // the first ncommon keys are the common ones
    uint64_t wall_ns; // how long the variant ran
};

struct sc_results {
    const sc_scenario_t *scenario;
    sc_run_t runs[SC_MAX_VARIANTS];
    int nruns;
    int passed, failed;
    int checks_skipped; // checks skipped under a mode (mode_skips)
    bool skipped;       // the whole scenario: not enough RAM
    char missing[160];  // "variant.key,..." that sc_get missed since the last check
};

// The RAM s needs in this run: its ram_needed (per scale=1) grown as its sizes are,
// by scale= and labseed= (sc_scaled). Less than that: s is skipped with a message.
uint64_t sc_ram_needed(const sc_scenario_t *s);

// The modes a scenario may name in mode_skips, printed on the run's MODES line.
extern const char *const sc_mode_keys[];

// Whether mode ("gcstress" or "madv=free") is active in this run; writes
// "KEY=VALUE" as the run has it to desc. Panics on a key not in sc_mode_keys.
bool sc_mode_active(const char *mode, char *desc, size_t len);

// Prints the MODES line: every key of sc_mode_keys with its value in this run.
void sc_print_modes(void);

// Records the common keys (MemStats, page counts, goroutines, timers) of the
// runtime as it is now, ahead of the variant's own keys.
void sc_record_common(sc_run_t *r);

// Prints the human report of a finished variant and its RESULT line.
void sc_report_variant(const sc_run_t *r);

// Prints the side-by-side table of a scenario's variants.
void sc_report_table(const sc_results_t *res);

#endif
