# The collector's benchmarks: binary-trees, churn and mark throughput on
# spanlab, Boehm GC, glibc malloc with explicit free, mimalloc and Go 1.19.
# bench/run_gc.sh runs them side by side, compares their outputs and prints the tables.
GC_BENCH_SPANLAB := binarytrees churn mark
GC_BENCH_PEERS   := binarytrees_boehm binarytrees_glibc binarytrees_mimalloc \
                    churn_boehm churn_glibc churn_mimalloc mark_boehm
GC_BENCH_GO      := binarytrees_go churn_go mark_go
BENCH_PROGS += $(GC_BENCH_SPANLAB) $(GC_BENCH_PEERS) $(GC_BENCH_GO)

GC_BENCH_CFLAGS := -std=gnu11 -O2 -march=x86-64-v2 -g $(WARN) -I.

$(patsubst %,$(BUILD)/bench/%,$(GC_BENCH_SPANLAB)): $(BUILD)/bench/%: bench/%.c \
    bench/gc_bench_util.h bench/mark_common.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(CORE_LIB) $(HLDLIBS) -o $@

$(BUILD)/bench/%_boehm: bench/%_peer.c bench/boehm_pauses.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GC_BENCH_CFLAGS) -DUSE_BOEHM $< -lgc -o $@
$(BUILD)/bench/mark_boehm: bench/mark_boehm.c bench/mark_common.h bench/boehm_pauses.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GC_BENCH_CFLAGS) $< -lgc -o $@
$(BUILD)/bench/%_glibc: bench/%_peer.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GC_BENCH_CFLAGS) $< -o $@
$(BUILD)/bench/%_mimalloc: bench/%_peer.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(GC_BENCH_CFLAGS) -DUSE_MIMALLOC $< -lmimalloc -o $@
$(BUILD)/bench/%_go: bench/gc_go/%.go
	@mkdir -p $(dir $@)
	$(Q)GOCACHE=$(abspath $(BUILD))/gocache GO111MODULE=off \
	    /usr/lib/go-1.19/bin/go build -o $(abspath $@) $<
