# Allocation benchmarks: build/bench/alloc_{rt,rt_scan,heap,heap_scan,glibc,mimalloc,
# jemalloc,tcmalloc,floor,go}, each taking N SIZE [options]; bench/run_alloc.sh runs them
# side by side and prints the tables.
ALLOC_BENCH_SPANLAB := alloc_rt alloc_rt_scan alloc_heap alloc_heap_scan
ALLOC_BENCH_PEERS   := alloc_glibc alloc_mimalloc alloc_jemalloc alloc_tcmalloc alloc_floor
BENCH_PROGS += $(ALLOC_BENCH_SPANLAB) $(ALLOC_BENCH_PEERS)
bench: $(BUILD)/bench/alloc_go

ALLOC_BENCH_CFLAGS := -std=gnu11 -O2 -march=x86-64-v2 -g $(WARN) -I. -MMD -MP
ALLOC_BENCH_HDRS   := bench/alloc_common.h bench/alloc_free.h bench/alloc_gc.h \
                      bench/alloc_ptrtype.h

$(patsubst %,$(BUILD)/bench/%,$(ALLOC_BENCH_SPANLAB)): $(BUILD)/bench/%: bench/%.c \
    $(ALLOC_BENCH_HDRS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(CORE_LIB) $(HLDLIBS) -o $@
$(BUILD)/bench/alloc_glibc: bench/alloc_glibc.c $(ALLOC_BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -o $@
$(BUILD)/bench/alloc_floor: bench/alloc_floor.c $(ALLOC_BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -o $@
$(BUILD)/bench/alloc_mimalloc: bench/alloc_mimalloc.c $(ALLOC_BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -lmimalloc -o $@
$(BUILD)/bench/alloc_jemalloc: bench/alloc_jemalloc.c $(ALLOC_BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -ljemalloc -o $@
$(BUILD)/bench/alloc_tcmalloc: bench/alloc_tcmalloc.c $(ALLOC_BENCH_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALLOC_BENCH_CFLAGS) $< -ltcmalloc -o $@
$(BUILD)/bench/alloc_go: bench/alloc_go/main.go
	@mkdir -p $(dir $@)
	$(Q)cd bench/alloc_go && GOCACHE=$(abspath $(BUILD))/gocache GO111MODULE=off \
	    /usr/lib/go-1.19/bin/go build -o $(abspath $@) main.go
