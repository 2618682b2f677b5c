// The run's modes a scenario check may depend on: the GC debug modes (gcverify,
// gcpoison, gcstress), the collector (gcmode: inc or stw) and the release mode
// (madv). The runner prints them on one MODES line, and a check a scenario skips
// under a mode (sc_mode_skip_t) names one of them, so tools/check-results.py can
// tell that the mode was really on.
#include <stdio.h>
#include <string.h>
#include "scenarios/runner_internal.h"
#include "sys/options.h"
#include "sys/sys.h"

const char *const sc_mode_keys[] = {"gcverify", "gcpoison", "gcstress", "gcmode", "madv", NULL};

// Whether key is one of sc_mode_keys.
static bool known_key(const char *key, size_t len) {
    for (int i = 0; sc_mode_keys[i]; i++)
        if (strlen(sc_mode_keys[i]) == len && strncmp(sc_mode_keys[i], key, len) == 0)
            return true;
    return false;
}

// See runner_internal.h.
bool sc_mode_active(const char *mode, char *desc, size_t len) {
    const char *eq = strchr(mode, '=');
    size_t klen = eq ? (size_t)(eq - mode) : strlen(mode);
    if (!known_key(mode, klen))
        sys_panic("scenario mode_skips: '%s' is not a mode of the run (gcverify, gcpoison, "
                  "gcstress, gcmode=..., madv=...)",
                  mode);
    char key[16];
    snprintf(key, sizeof key, "%.*s", (int)klen, mode);
    const char *value = opt_str(key);
    snprintf(desc, len, "%s=%s", key, value);
    if (eq)
        return strcmp(value, eq + 1) == 0;
    return opt_int(key) != 0;
}

// Prints "MODES gcverify=0 gcpoison=1 gcstress=0 gcmode=inc madv=dontneed".
void sc_print_modes(void) {
    sys_printf("MODES");
    for (int i = 0; sc_mode_keys[i]; i++)
        sys_printf(" %s=%s", sc_mode_keys[i], opt_str(sc_mode_keys[i]));
    sys_printf("\n");
}
