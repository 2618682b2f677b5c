// The sizes of a run: scale= multiplies every scenario's sizes, labseed= gives each
// student of a lab sizes of their own (docs/labs/README.md), and the RAM a scenario
// needs grows with them. Apart from the runner so that the checks' tests link it alone.
#include "scenarios/runner_internal.h"
#include "sys/options.h"

int64_t sc_scale(void) {
    int64_t s = opt_int("scale");
    return s < 1 ? 1 : s;
}

// See scenario.h: k from a multiplicative hash of the seed (the same on every machine).
int64_t sc_scaled(int64_t per_scale) {
    int64_t s = per_scale * sc_scale();
    int64_t seed = opt_int("labseed");
    if (seed <= 0)
        return s;
    int64_t k = 1 + (int64_t)(((uint64_t)seed * 0x9e3779b97f4a7c15ull) >> 59); // 1..32
    return s / 64 * (64 + k) + s % 64;
}

// See runner_internal.h.
uint64_t sc_ram_needed(const sc_scenario_t *s) {
    return (uint64_t)sc_scaled((int64_t)s->ram_needed);
}
