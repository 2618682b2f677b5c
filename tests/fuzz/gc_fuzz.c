// libFuzzer target for the collector: the fuzzer's bytes are the operations of the
// random-graph model (tests/unit/gc_graph_model.h: allocate, link, descend, drop,
// collect), with gcverify on; after every forced collection exactly the reachable
// objects must remain. The first byte picks the collector: odd is gcmode=inc with
// gcstress=7 (incremental cycles start and end every few allocations, so the
// model's allocations and barriered stores run between mark slices), even is
// gcmode=stw. Run: make fuzz FUZZ_TARGETS=gc [FUZZ_TIME=seconds].
#include <stdio.h>
#include "tests/unit/gc_graph_model.h"
#include "sys/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096)
        return 0; // keep single runs short
    bool inc = size > 0 && (data[0] & 1);
    opt_parse(inc ? "gcverify=1 gcmode=inc gcstress=7" : "gcverify=1 gcmode=stw");
    if (heap_ready())
        heap_destroy();
    heap_init();
    gc_reset();
    gm_t g;
    gm_init(&g, data, size, 0);
    const char *err = gm_run(&g, 0);
    if (err) {
        fprintf(stderr, "gc_fuzz: %s\n", err);
        abort();
    }
    gm_fini(&g);
    heap_destroy();
    return 0;
}
