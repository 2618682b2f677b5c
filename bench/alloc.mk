# Allocation benchmarks (issue 4): build/bench/alloc_{spanlab,spanlab_scan,glibc,
# mimalloc,jemalloc,tcmalloc,go}, each taking N as its first argument;
# bench/run_alloc.sh runs them side by side and prints the ratio table.
ALLOC_BENCH_C := alloc_spanlab alloc_spanlab_scan alloc_glibc alloc_mimalloc alloc_jemalloc \
                 alloc_tcmalloc
BENCH_PROGS += $(ALLOC_BENCH_C)
BENCH_BINS_EXTRA_ALLOC := $(BUILD)/bench/alloc_go
bench: $(BUILD)/bench/alloc_go

ALLOC_BENCH_CFLAGS := -std=gnu11 -O2 -march=x86-64-v2 -g -I. -DSPANLAB_HOSTED=1

$(BUILD)/bench/alloc_spanlab $(BUILD)/bench/alloc_spanlab_scan: $(BUILD)/bench/%: bench/%.c \
    bench/alloc_common.h $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< $(BUILD)/libspanlab.a $(HLDLIBS) -o $@
$(BUILD)/bench/alloc_glibc: bench/alloc_glibc.c bench/alloc_common.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -o $@
$(BUILD)/bench/alloc_mimalloc: bench/alloc_mimalloc.c bench/alloc_common.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -lmimalloc -o $@
$(BUILD)/bench/alloc_jemalloc: bench/alloc_jemalloc.c bench/alloc_common.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -ljemalloc -o $@
$(BUILD)/bench/alloc_tcmalloc: bench/alloc_tcmalloc.c bench/alloc_common.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -ltcmalloc -o $@
$(BUILD)/bench/alloc_go: bench/alloc_go/main.go
	@mkdir -p $(dir $@)
	$(Q)cd bench/alloc_go && GOCACHE=$(abspath $(BUILD))/gocache GO111MODULE=off \
	    /usr/lib/go-1.19/bin/go build -o $(abspath $@) main.go
